/**
 * Tensor methods from op files. An op file that wants `x.gelu()` exports a table beside its
 * function, `export const geluMethods = { gelu }`; src/ops/index.ts (written by
 * scripts/gather-ops.mjs) hands every such table to installTensorMethods, which puts each
 * function f(x, ...args) on Tensor.prototype as x.f(...args). Types follow by declaration
 * merging (src/ops/index.ts), so tensor.ts itself names no op.
 */
import { Tensor } from '../tensor.js'
import { transpose } from './shape.js'

/** A method table: free functions whose first argument is the tensor. */
export type MethodTable = Readonly<Record<string, (self: Tensor, ...args: any[]) => Tensor>>

/** A free function f(x, ...args) seen as the method x.f(...args). */
type AsMethod<F> = F extends (self: Tensor, ...args: infer A) => infer R ? (...args: A) => R : never
type Merged<U> = (U extends unknown ? (u: U) => void : never) extends (m: infer M) => void ? M : never
/** The methods that tables of methods, by table name, give Tensor. */
export type MethodsOf<T extends Readonly<Record<string, MethodTable>>> = { [K in keyof Merged<T[keyof T]>]: AsMethod<Merged<T[keyof T]>[K]> }

declare module '../tensor.js' {
  interface Tensor {
    /** x.T is x.transpose(): the last two dims swapped */
    readonly T: Tensor
  }
}

/**
 * Puts every table's functions on Tensor.prototype. A name given twice, or one Tensor already
 * has (`backward`, `shape`, ...), is refused: a method must never hide another silently.
 */
export function installTensorMethods(tables: Readonly<Record<string, MethodTable>>): void {
  const from = new Map<string, string>()
  for (const [tableName, table] of Object.entries(tables)) {
    for (const name of Object.keys(table)) {
      const other = from.get(name) ?? (name in Tensor.prototype ? 'Tensor itself' : undefined)
      if (other !== undefined) {
        throw new Error(`Tensor method '${name}' in ${tableName} is already defined by ${other}; give the method another name`)
      }
      from.set(name, tableName)
    }
  }
  for (const table of Object.values(tables)) {
    for (const [name, fn] of Object.entries(table)) {
      Object.defineProperty(Tensor.prototype, name, {
        value: function (this: Tensor, ...args: unknown[]) {
          return fn(this, ...args)
        },
        writable: true,
        configurable: true,
      })
    }
  }
  if (!Object.hasOwn(Tensor.prototype, 'T')) {
    Object.defineProperty(Tensor.prototype, 'T', {
      get(this: Tensor) {
        return transpose(this)
      },
      configurable: true,
    })
  }
}
