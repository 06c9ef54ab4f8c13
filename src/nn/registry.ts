/**
 * The layer registry: the name a model file uses for each layer class. A registered class gives
 * its settings with `config()` and is rebuilt by `static fromConfig(config)`, as Keras's
 * get_config / from_config; describeModel and buildModel look the names up here, so they keep no
 * list of layer classes, and a learner's layer is saved the same way as nn.Linear.
 *
 *   nn.registerModule(LayerNorm)           // under its class name, 'LayerNorm'
 *   registerModule(Linear, 'Linear')       // the built-ins pass their names: a minifier renames classes
 */
import { Module } from './module.js'

/**
 * A layer's constructor arguments as a plain object of JSON-safe values (numbers, strings,
 * booleans, null, arrays and plain objects of them): `{ inFeatures: 2, outFeatures: 3, bias: true }`.
 */
export type ModuleConfig = object

/** A layer class that model files can hold: its layers give config(), the class rebuilds one from it. */
export interface ModuleClass {
  readonly name: string
  readonly prototype: Module & { config(): ModuleConfig }
  /** a new layer (fresh weights) built from what its config() returned */
  fromConfig(config: ModuleConfig): Module
}

const classByName = new Map<string, ModuleClass>()
const nameByClass = new Map<unknown, string>()

/** nn.registerModule(LayerNorm): from now on describeModel, saveModel and loadModel know LayerNorm. */
export function registerModule(Class: ModuleClass, name: string = Class?.name): void {
  const op = 'nn.registerModule'
  // Checked here too: a JavaScript caller, or a cast, gets past the type.
  if (!extendsModule(Class)) {
    throw new Error(`${op}: expected a class that extends nn.Module, got ${String(Class)}`)
  }
  const cls = Class.name || 'MyLayer'
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$.-]*$/.test(name)) {
    throw new Error(`${op}: ${JSON.stringify(name)} is not a name a model file can use for ${Class.name || 'an anonymous class'}; ` +
      `pass one of letters, digits and _ $ . -, e.g. nn.registerModule(${cls}, '${cls}')`)
  }
  if (typeof Class.prototype.config !== 'function') {
    throw new Error(`${op}: ${cls} has no config() method; add one that returns its constructor arguments as JSON-safe values, ` +
      `e.g. config() { return { size: this.size } }`)
  }
  // Own, not inherited: a parent's fromConfig would rebuild the parent, and the file would load the wrong layer.
  if (!Object.hasOwn(Class, 'fromConfig') || typeof Class.fromConfig !== 'function') {
    const parent = (Object.getPrototypeOf(Class) as { name?: string }).name
    const why = typeof Class.fromConfig === 'function' ? `inherits fromConfig from ${parent}, which would build a ${parent}` : 'has no static fromConfig(config)'
    throw new Error(`${op}: ${cls} ${why}; add a static fromConfig(config) that rebuilds a ${cls} from what config() returns, ` +
      `e.g. static fromConfig(config) { return new ${cls}(config.size) }`)
  }
  const taken = classByName.get(name)
  if (taken === Class) return // registering twice, e.g. from two imports, is harmless
  if (taken !== undefined) {
    throw new Error(`${op}: the name '${name}' is already registered for another class (${taken.name}); ` +
      `register ${cls} under a name of its own: nn.registerModule(${cls}, 'My${name}')`)
  }
  const old = nameByClass.get(Class)
  if (old !== undefined) throw new Error(`${op}: ${cls} is already registered as '${old}'; a class has one name in model files`)
  classByName.set(name, Class)
  nameByClass.set(Class, name)
}

function extendsModule(Class: unknown): boolean {
  return typeof Class === 'function' && Class.prototype instanceof Module
}

/** registeredModule('Linear') → nn.Linear; undefined for a name this program has not registered. */
export function registeredModule(name: string): ModuleClass | undefined {
  return classByName.get(name)
}

/** The name `module`'s own class was registered under (not a parent's), or undefined. */
export function registeredName(module: Module): string | undefined {
  return nameByClass.get(module?.constructor)
}
