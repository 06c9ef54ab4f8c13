/**
 * relu:       out = max(x, 0)                 backward: dX = dOut · [x > 0]
 * leakyRelu:  out = x > 0 ? x : slope · x     backward: dX = dOut · (x > 0 ? 1 : slope)
 * tanh:       out = tanh x                    backward: dX = dOut · (1 − out²)
 * sigmoid:    out = 1 / (1 + e⁻ˣ)             backward: dX = dOut · out · (1 − out)
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { allocate } from '../buffers.js'
import { reluBackwardKernel, reluKernel } from '../kernels/activations.js'

export const reluOp = defineOp({
  name: 'relu',
  rule: 'd relu(x)/dx = 1 if x > 0 else 0',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    reluKernel(x.data, out)
    return { out, shape: x.shape, saved: { out } }
  },
  backward(dOut, { out }) {
    const dX = allocate(out.length)
    reluBackwardKernel(out, dOut, dX)
    return [dX]
  },
})

export const leakyReluOp = defineOp({
  name: 'leakyRelu',
  rule: 'd leakyRelu(x)/dx = 1 if x > 0 else slope',
  forward([x]: readonly Tensor[], slope: number) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = xd[i] > 0 ? xd[i] : slope * xd[i]
    return { out, shape: x.shape, saved: { x: x.data, slope } }
  },
  backward(dOut, { x, slope }) {
    const dX = allocate(x.length)
    for (let i = 0; i < x.length; i++) dX[i] = x[i] > 0 ? dOut[i] : slope * dOut[i]
    return [dX]
  },
})

export const tanhOp = defineOp({
  name: 'tanh',
  rule: 'd tanh(x)/dx = 1 − tanh(x)²',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) out[i] = Math.tanh(xd[i])
    return { out, shape: x.shape, saved: { out } }
  },
  backward(dOut, { out }) {
    const dX = allocate(out.length)
    for (let i = 0; i < out.length; i++) dX[i] = dOut[i] * (1 - out[i] * out[i])
    return [dX]
  },
})

export const sigmoidOp = defineOp({
  name: 'sigmoid',
  rule: 'd σ(x)/dx = σ(x) · (1 − σ(x))',
  forward([x]: readonly Tensor[]) {
    const out = allocate(x.size)
    const xd = x.data
    for (let i = 0; i < out.length; i++) {
      const v = xd[i]
      // Two forms so that e^(−x) never overflows: for x < 0 use eˣ / (1 + eˣ).
      if (v >= 0) {
        out[i] = 1 / (1 + Math.exp(-v))
      } else {
        const e = Math.exp(v)
        out[i] = e / (1 + e)
      }
    }
    return { out, shape: x.shape, saved: { out } }
  },
  backward(dOut, { out }) {
    const dX = allocate(out.length)
    for (let i = 0; i < out.length; i++) dX[i] = dOut[i] * out[i] * (1 - out[i])
    return [dX]
  },
})

/** relu(tensor([-1, 2])) → [0, 2] */
export function relu(x: Tensor): Tensor {
  return apply(reluOp, [x])
}

/** leakyRelu(tensor([-1, 2]), 0.1) → [-0.1, 2]; the slope defaults to 0.01 as in PyTorch. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  if (!Number.isFinite(slope)) throw new Error(`leakyRelu: slope must be a finite number, got ${slope}`)
  return apply(leakyReluOp, [x], slope)
}

/** tanh(tensor([0])) → [0] */
export function tanh(x: Tensor): Tensor {
  return apply(tanhOp, [x])
}

/** sigmoid(tensor([0])) → [0.5] */
export function sigmoid(x: Tensor): Tensor {
  return apply(sigmoidOp, [x])
}

/** The Tensor methods: x.relu(), x.leakyRelu(slope), x.tanh(), x.sigmoid(). */
export const activationMethods = { relu, leakyRelu, tanh, sigmoid }
