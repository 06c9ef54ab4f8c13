/**
 * gelu (Hendrycks & Gimpel 2016), in the tanh form of GPT-2 and BERT (PyTorch's
 * `gelu(x, approximate='tanh')`):
 *
 *   u   = √(2/π) · (x + 0.044715·x³)
 *   t   = tanh u
 *   out = ½·x·(1 + t)
 *
 * backward, by the product rule and tanh' = 1 − t²:
 *   dX = dOut · (½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { allocate } from '../buffers.js'

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI)
const C = 0.044715

export const geluOp = defineOp({
  name: 'gelu',
  rule: 'd gelu(x)/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x + 0.044715x³))',
  forward([x]: readonly Tensor[]) {
    const xs = x.data
    const out = allocate(xs.length)
    const t = allocate(xs.length)
    for (let i = 0; i < xs.length; i++) {
      t[i] = Math.tanh(SQRT_2_OVER_PI * (xs[i] + C * xs[i] ** 3))
      out[i] = 0.5 * xs[i] * (1 + t[i])
    }
    return { out, shape: x.shape, saved: { x: xs, t } }
  },
  backward(dOut, { x, t }) {
    const dX = allocate(x.length)
    for (let i = 0; i < x.length; i++) {
      const du = SQRT_2_OVER_PI * (1 + 3 * C * x[i] ** 2)
      dX[i] = dOut[i] * (0.5 * (1 + t[i]) + 0.5 * x[i] * (1 - t[i] ** 2) * du)
    }
    return [dX]
  },
})

/** gelu(tensor([-1, 0, 1])) → [−0.159, 0, 0.841] */
export function gelu(x: Tensor): Tensor {
  return apply(geluOp, [x])
}

/** The Tensor methods: x.gelu(). */
export const geluMethods = { gelu }
