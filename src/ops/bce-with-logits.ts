/**
 * Binary cross-entropy from logits, elementwise (multi-label: one sigmoid per class):
 *
 *   l = −[y·log σ(x) + (1−y)·log(1 − σ(x))] = max(x, 0) − x·y + log(1 + e^(−|x|))
 *   dX = dOut · (σ(x) − y)
 *
 * The second form never takes the log of 0 nor exp of a large number, so logits of ±1000 are
 * fine. It is fused because the composed form has a kink at x = 0 (|x| and max) whose
 * one-sided derivatives an autograd engine cannot combine into the true σ(0) − y.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { formatShape, sameShape } from '../shape.js'
import { allocate } from '../buffers.js'

export const bceWithLogitsOp = defineOp({
  name: 'bceWithLogits',
  rule: 'dx = σ(x) − y',
  forward([x]: readonly Tensor[], y: Float64Array) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) {
      const v = xd[i]
      out[i] = Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v)))
    }
    return { out, shape: x.shape, saved: { x: x.data, y } }
  },
  backward(dOut, { x, y }) {
    const dX = allocate(x.length)
    for (let i = 0; i < x.length; i++) {
      const v = x[i]
      const s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))
      dX[i] = dOut[i] * (s - y[i])
    }
    return [dX]
  },
})

/** bceWithLogits(logits, targets) → the elementwise losses (no reduction); targets in [0, 1]. */
export function bceWithLogits(logits: Tensor, target: Tensor, op = 'BCEWithLogitsLoss'): Tensor {
  if (!sameShape(logits.shape, target.shape)) {
    throw new Error(`${op}: target ${formatShape(target.shape)} must have the logits' shape ${formatShape(logits.shape)}`)
  }
  for (let i = 0; i < target.size; i++) {
    const t = target.data[i]
    if (!(t >= 0 && t <= 1)) throw new Error(`${op}: target value ${t} at position ${i} is outside [0, 1]`)
  }
  return apply(bceWithLogitsOp, [logits], target.data)
}
