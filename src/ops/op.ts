/**
 * How an op is defined: a forward that computes the output from the inputs and keeps what
 * the backward will need (`saved`), and a backward that turns the output's gradient `dOut`
 * into one gradient per input (null for inputs without one, such as indices).
 *
 *   export const expOp = defineOp({
 *     name: 'exp',
 *     rule: 'd exp(x)/dx = exp(x)',
 *     forward([x]) { const out = ...; return { out, shape: x.shape, saved: { out } } },
 *     backward(dOut, { out }) { return [mulKernel(dOut, null, out, null, out.length)] },
 *   })
 */
import { Tensor, isGradEnabled } from '../tensor.js'
import { broadcastIndex, scatterAddKernel } from '../kernels/elementwise.js'
import { formatShape, sameShape, shapeSize } from '../shape.js'

export interface Forward<S> {
  out: Float64Array
  shape: readonly number[]
  saved: S
}

export interface OpDef<P, S> {
  readonly name: string
  /** The local derivative in one line, as a learner writes it. */
  readonly rule: string
  forward(inputs: readonly Tensor[], params: P): Forward<S>
  /**
   * `needsGrad[i]` says whether input i wants a gradient; an op may skip the work for those
   * that do not (the input layer's dX, a label's gradient) and return null there.
   */
  backward(dOut: Float64Array, saved: S, needsGrad: readonly boolean[]): ReadonlyArray<Float64Array | null>
}

/** An op written as a composition of other ops (`sub` is `add(a, neg(b))`): no backward of its own. */
export interface CompositeDef {
  readonly name: string
  readonly rule: string
  readonly composedOf: readonly string[]
}

export type OpEntry = OpDef<any, any> | CompositeDef

export function defineOp<P = void, S = void>(def: OpDef<P, S>): OpDef<P, S> {
  return def
}

export function defineComposite(def: CompositeDef): CompositeDef {
  return def
}

/** Run an op's forward and, when any input needs a gradient, record the node for backward. */
export function apply<P, S>(op: OpDef<P, S>, inputs: readonly Tensor[], params: P): Tensor {
  const { out, shape, saved } = op.forward(inputs, params)
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

/** NumPy broadcasting: align shapes on the right; each dim pair must be equal or contain a 1. */
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
 */
export function sumToShape(grad: Float64Array, from: readonly number[], to: readonly number[]): Float64Array {
  if (sameShape(from, to)) return grad
  return scatterAddKernel(grad, broadcastIndex(to, from), shapeSize(to))
}
