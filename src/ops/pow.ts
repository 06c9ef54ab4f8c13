/**
 * pow:   out = xᵖ (p a number)   backward: dX = dOut · p · xᵖ⁻¹
 * sqrt:  out = √x                backward: dX = dOut / (2·out)
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { allocate } from '../buffers.js'

export const powOp = defineOp({
  name: 'pow',
  rule: 'd xᵖ/dx = p · xᵖ⁻¹',
  forward([x]: readonly Tensor[], p: number) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = Math.pow(xd[i], p)
    return { out, shape: x.shape, saved: { x: x.data, p } }
  },
  backward(dOut, { x, p }) {
    const dX = allocate(x.length)
    for (let i = 0; i < x.length; i++) dX[i] = dOut[i] * p * Math.pow(x[i], p - 1)
    return [dX]
  },
})

export const sqrtOp = defineOp({
  name: 'sqrt',
  rule: 'd √x/dx = 1 / (2√x)',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(xd[i])
    return { out, shape: x.shape, saved: { out } }
  },
  backward(dOut, { out }) {
    const dX = allocate(out.length)
    for (let i = 0; i < out.length; i++) dX[i] = dOut[i] / (2 * out[i])
    return [dX]
  },
})

/** pow(tensor([2, 3]), 2) → [4, 9] */
export function pow(x: Tensor, p: number): Tensor {
  if (typeof p !== 'number' || Number.isNaN(p)) {
    throw new Error(`pow: the exponent must be a number, got ${String(p)}`)
  }
  return apply(powOp, [x], p)
}

/** sqrt(tensor([4, 9])) → [2, 3] */
export function sqrt(x: Tensor): Tensor {
  return apply(sqrtOp, [x])
}

/** The Tensor methods: x.pow(p), x.sqrt(). */
export const powMethods = { pow, sqrt }
