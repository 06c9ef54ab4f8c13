/**
 * How an op is defined: a forward that computes the output from the inputs and keeps what
 * the backward will need (`saved`), and a backward that turns the output's gradient `dOut`
 * into one gradient per input (null for inputs that need none).
 *
 *   export const expOp = defineOp({
 *     name: 'exp',
 *     rule: 'd exp(x)/dx = exp(x)',
 *     forward([x]) { const out = ...; return { out, shape: x.shape, saved: { out } } },
 *     backward(dOut, { out }) { const dX = ...; return [dX] },
 *   })
 *   export function exp(x: Tensor): Tensor { return apply(expOp, [x]) }
 *
 * Every op defined here joins one registry, from which src/ops/index.ts takes `OPS`; backward()
 * checks that each gradient an op returns fits its input (src/tensor.ts).
 */
import { Tensor, isGradEnabled } from '../tensor.js'
import { broadcastIndex, scatterAddKernel } from '../kernels/elementwise.js'
import { formatShape, sameShape, shapeSize } from '../shape.js'

export interface Forward<S> {
  out: Float64Array
  shape: readonly number[]
  saved: S
}

export interface OpDef<P, S, N extends string = string> {
  readonly name: N
  /** The local derivative in one line, as a learner writes it. */
  readonly rule: string
  forward(inputs: readonly Tensor[], params: P): Forward<S>
  /**
   * One gradient per input, each with as many numbers as that input, or null where
   * `needsGrad[i]` is false: an op may skip the work nobody needs (the input layer's dX).
   */
  backward(dOut: Float64Array, saved: S, needsGrad: readonly boolean[]): ReadonlyArray<Float64Array | null>
}

/** An op written as a composition of other ops (`sub` is `add(a, neg(b))`): no backward of its own. */
export interface CompositeDef<N extends string = string> {
  readonly name: N
  readonly rule: string
  readonly composedOf: readonly string[]
}

export type OpEntry = OpDef<any, any> | CompositeDef

/** Every op defined so far, by name: the library's (src/ops/index.ts exports them as OPS) and yours. */
const registry: Record<string, OpEntry> = {}

function register<E extends OpEntry>(entry: E): E {
  const { name, rule } = entry
  if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new Error(`defineOp: an op's name is an identifier such as 'gelu', got ${JSON.stringify(name)}`)
  }
  if (typeof rule !== 'string' || rule.length === 0 || rule.includes('\n')) {
    throw new Error(`defineOp: op '${name}' needs its rule, the local derivative in one line, e.g. 'd exp(x)/dx = exp(x)'`)
  }
  if (name in registry) throw new Error(`defineOp: there is already an op named '${name}'; give yours another name`)
  registry[name] = entry
  return entry
}

/** The ops defined so far, by name (a copy). */
export function definedOps(): Record<string, OpEntry> {
  return { ...registry }
}

/** defineOp({ name: 'square', rule: 'd x²/dx = 2x', forward, backward }): an op that apply() runs and backward() differentiates. */
export function defineOp<P = void, S = void, const N extends string = string>(def: OpDef<P, S, N>): OpDef<P, S, N> {
  for (const part of ['forward', 'backward'] as const) {
    if (typeof def[part] !== 'function') throw new Error(`defineOp: op '${def.name}' needs a ${part}(…) function`)
  }
  return register(def)
}

/** defineComposite({ name: 'sub', rule: 'a − b = a + (−b)', composedOf: ['add', 'neg'] }): an op made of others. */
export function defineComposite<const N extends string>(def: CompositeDef<N>): CompositeDef<N> {
  return register(def)
}

/**
 * apply(squareOp, [x]): run an op's forward and, when an input needs a gradient and grad mode
 * is on, record the node that backward() will visit. Ops with parameters pass them third.
 */
export function apply<P, S>(op: OpDef<P, S>, inputs: readonly Tensor[], ...[params]: P extends void ? [params?: undefined] : [params: P]): Tensor {
  const { out, shape, saved } = op.forward(inputs, params as P)
  if (shapeSize(shape) !== out.length) {
    throw new Error(`${op.name} forward: returned ${out.length} numbers for shape ${formatShape(shape)} (${shapeSize(shape)} numbers)`)
  }
  const result = new Tensor(out, shape)
  if (isGradEnabled()) {
    for (const input of inputs) {
      if (input.requiresGrad) {
        result.requiresGrad = true
        result.node = { op, inputs, saved }
        break
      }
    }
  }
  return result
}

/** Binary ops take a Tensor or a plain number on either side. */
export function toTensor(x: Tensor | number, op: string): Tensor {
  if (x instanceof Tensor) return x
  if (typeof x === 'number') return new Tensor(Float64Array.of(x), [])
  throw new Error(`${op}: expected a Tensor or a number, got ${typeof x}`)
}

/** broadcastShape([4, 1], [3], 'mul') → [4, 3]: NumPy's rule, shapes aligned on the right, each dim pair equal or one of them 1. */
export function broadcastShape(a: readonly number[], b: readonly number[], op: string): number[] {
  const rank = Math.max(a.length, b.length)
  const out = new Array<number>(rank)
  for (let i = 1; i <= rank; i++) {
    const da = a.length - i >= 0 ? a[a.length - i] : 1
    const db = b.length - i >= 0 ? b[b.length - i] : 1
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast ` +
          `(dim ${-i}: ${da} vs ${db}; sizes must match or one of them be 1)`,
      )
    }
    out[rank - i] = da === 1 ? db : da
  }
  return out
}

/** How two operands line up with their broadcast output. */
export interface Broadcast {
  shape: number[]
  size: number
  /** null when the operand already has the output's shape */
  aIndex: Int32Array | null
  bIndex: Int32Array | null
}

/** The broadcast output shape of a and b, and where each output number reads its operands. */
export function planBroadcast(a: Tensor, b: Tensor, op: string): Broadcast {
  const shape = broadcastShape(a.shape, b.shape, op)
  return {
    shape,
    size: shapeSize(shape),
    aIndex: sameShape(a.shape, shape) ? null : broadcastIndex(a.shape, shape),
    bIndex: sameShape(b.shape, shape) ? null : broadcastIndex(b.shape, shape),
  }
}

/**
 * Undo broadcasting: a gradient of the broadcast shape `from` summed back to the operand's
 * shape `to`. The one place every binary op's backward goes through.
 *
 *   sumToShape(dOut of [3, 2], [3, 2], [2]) → the 2 column sums
 */
export function sumToShape(grad: Float64Array, from: readonly number[], to: readonly number[]): Float64Array {
  if (grad.length !== shapeSize(from)) {
    throw new Error(`sumToShape: the gradient has ${grad.length} numbers but \`from\` is ${formatShape(from)} (${shapeSize(from)} numbers)`)
  }
  if (sameShape(from, to)) return grad
  return scatterAddKernel(grad, broadcastIndex(to, from), shapeSize(to))
}
