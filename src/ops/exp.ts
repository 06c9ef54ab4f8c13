/**
 * exp:  out = eˣ        backward: dX = dOut · out
 * log:  out = ln x      backward: dX = dOut / x
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { allocate } from '../buffers.js'

export const expOp = defineOp({
  name: 'exp',
  rule: 'd exp(x)/dx = exp(x)',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = Math.exp(xd[i])
    return { out, shape: x.shape, saved: { out } }
  },
  backward(dOut, { out }) {
    const dX = allocate(out.length)
    for (let i = 0; i < dX.length; i++) dX[i] = dOut[i] * out[i]
    return [dX]
  },
})

export const logOp = defineOp({
  name: 'log',
  rule: 'd log(x)/dx = 1/x',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = Math.log(xd[i])
    return { out, shape: x.shape, saved: { x: x.data } }
  },
  backward(dOut, { x }) {
    const dX = allocate(x.length)
    for (let i = 0; i < dX.length; i++) dX[i] = dOut[i] / x[i]
    return [dX]
  },
})

/** exp(tensor([0, 1])) → [1, 2.718…] */
export function exp(x: Tensor): Tensor {
  return apply(expOp, [x])
}

/** log(tensor([1, Math.E])) → [0, 1] */
export function log(x: Tensor): Tensor {
  return apply(logOp, [x])
}

/** The Tensor methods: x.exp(), x.log(). */
export const expMethods = { exp, log }
