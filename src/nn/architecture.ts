/**
 * A model's architecture as plain JSON, so a model file can rebuild the model before loading
 * its numbers: `describeModel(model)` → LayerSpec, `buildModel(spec)` → Module. A spec is the
 * layer's registered name and its config side by side, `{ type: 'Linear', inFeatures: 2, ... }`;
 * a container such as Sequential holds its children's specs in its config. Any registered layer
 * works (see registry.ts); there is no list of layer classes here.
 */
import type { Module } from './module.js'
import { registeredModule, registeredName, type ModuleClass } from './registry.js'
import { withDefaultRng, type Rng } from '../random.js'

/** `{ type: 'LeakyReLU', negativeSlope: 0.1 }`: the registered name, then the layer's config. */
export interface LayerSpec {
  type: string
  [setting: string]: unknown
}

/**
 * describeModel(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()))
 *   → { type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 3, bias: true }, { type: 'ReLU' }] }
 */
export function describeModel(m: Module): LayerSpec {
  const type = registeredName(m)
  if (type === undefined) {
    const cls = m?.constructor?.name || 'this module'
    throw new Error(`describeModel: ${cls} is not registered, so a model file cannot name it; ` +
      `give ${cls} a config() and a static fromConfig(config), then call nn.registerModule(${cls})`)
  }
  const config: unknown = (m as ModuleClass['prototype']).config() // registerModule checked that it has one
  checkConfig(config, type)
  return { type, ...config }
}

/**
 * buildModel({ type: 'Linear', inFeatures: 2, outFeatures: 3, bias: true }) → a new nn.Linear(2, 3)
 * with fresh weights (drawn from `rng`, else the default generator): load a state dict into it.
 */
export function buildModel(spec: LayerSpec, rng?: Rng): Module {
  // fromConfig takes no rng: the layers draw from the default generator, so lend them this one.
  if (rng !== undefined) return withDefaultRng(rng, () => buildModel(spec))
  if (!isPlainObject(spec) || typeof spec.type !== 'string') {
    throw new Error(`buildModel: a layer spec is { type: 'Linear', ...its config }, got ${JSON.stringify(spec)?.slice(0, 200)}`)
  }
  const { type, ...config } = spec
  const Class = registeredModule(type)
  if (Class === undefined) throw new UnregisteredLayerError(type)
  const m = Class.fromConfig(config)
  if (m?.constructor !== (Class as unknown)) {
    throw new Error(`buildModel: ${type}.fromConfig returned ${m?.constructor?.name ?? String(m)}; it must return a new ${type}(...)`)
  }
  return m
}

/** buildModel's error for a layer that no class is registered under; decodeModel words it for a file. */
export class UnregisteredLayerError extends Error {
  /** what the user must do, without the function name */
  readonly reason: string

  constructor(readonly layer: string) {
    const call = /^[A-Za-z_$][\w$]*$/.test(layer) ? `nn.registerModule(${layer})` : `nn.registerModule(TheClass, '${layer}')`
    const reason = `the architecture uses layer '${layer}', which this program has not registered; ` +
      `import the file that defines it and call ${call} before loading`
    super(`buildModel: ${reason}`)
    this.reason = reason
  }
}

/**
 * A config must come back from JSON unchanged, or a loaded model would differ from the saved
 * one: a plain object of finite numbers, strings, booleans, null, arrays and plain objects.
 */
function checkConfig(config: unknown, type: string): asserts config is object {
  const bad = (why: string) =>
    new Error(`describeModel: ${type}.config() ${why}; config() returns a plain object of JSON-safe values ` +
      `(finite numbers, strings, booleans, null, arrays and plain objects of them)`)
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, `${path}[${i}]`))
    if (!isPlainObject(v)) {
      throw bad(`gives ${path.slice(1)} = ${typeof v === 'number' ? v : (v as object)?.constructor?.name ?? typeof v}, which JSON cannot hold`)
    }
    // An undefined setting is left out of the JSON and comes back undefined: the same.
    for (const [key, item] of Object.entries(v)) if (item !== undefined) walk(item, `${path}.${key}`)
  }
  if (!isPlainObject(config)) throw bad(`returned ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config}, not a plain object`)
  if ('type' in config) throw bad(`has a key 'type', which the model file uses for the layer's name: rename it`)
  walk(config, '')
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
