/** abs:  out = |x|    backward: dX = dOut · sign(x)   (0 at x = 0, as PyTorch) */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { allocate } from '../buffers.js'

export const absOp = defineOp({
  name: 'abs',
  rule: 'd |x|/dx = sign(x)',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = Math.abs(xd[i])
    return { out, shape: x.shape, saved: { x: x.data } }
  },
  backward(dOut, { x }) {
    const dX = allocate(x.length)
    for (let i = 0; i < x.length; i++) dX[i] = dOut[i] * Math.sign(x[i])
    return [dX]
  },
})

/** abs(tensor([-2, 3])) → [2, 3] */
export function abs(x: Tensor): Tensor {
  return apply(absOp, [x])
}

/** The Tensor methods: x.abs(). */
export const absMethods = { abs }
