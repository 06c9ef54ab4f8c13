/**
 * softmax:     s = exp((z − max z)/T) / Σ exp((z − max z)/T)
 *              backward: dZ = s ⊙ (dOut − Σ dOut·s) / T    (the Jacobian diag(s) − s sᵀ, applied)
 * logSoftmax:  out = z/T − logsumexp(z/T)
 *              backward: dZ = (dOut − softmax(z/T) · Σ dOut) / T
 *
 * T is the temperature: below 1 sharpens toward hardmax, above 1 flattens toward uniform.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { splitAtDim, type DimSplit } from '../kernels/reduce.js'
import { logSoftmaxBackwardKernel, logSoftmaxKernel, softmaxBackwardKernel, softmaxKernel } from '../kernels/softmax.js'
import { normaliseDim } from '../shape.js'
import { checkTemperature } from './checks.js'

export interface SoftmaxOptions {
  /** the dim that sums to 1; default −1, the last */
  dim?: number
  /** default 1; must be a finite number > 0 */
  temperature?: number
}

export interface SoftmaxParams {
  split: DimSplit
  temperature: number
}

export const softmaxOp = defineOp({
  name: 'softmax',
  rule: 'dz = s ⊙ (g − Σ g·s) / T',
  forward([z]: readonly Tensor[], { split, temperature }: SoftmaxParams) {
    const out = softmaxKernel(z.data, split.outer, split.n, split.inner, 1 / temperature)
    return { out, shape: z.shape, saved: { out, split, temperature } }
  },
  backward(dOut, { out, split, temperature }) {
    return [softmaxBackwardKernel(dOut, out, split.outer, split.n, split.inner, 1 / temperature)]
  },
})

export const logSoftmaxOp = defineOp({
  name: 'logSoftmax',
  rule: 'dz = (g − softmax(z/T) · Σ g) / T',
  forward([z]: readonly Tensor[], { split, temperature }: SoftmaxParams) {
    const out = logSoftmaxKernel(z.data, split.outer, split.n, split.inner, 1 / temperature)
    return { out, shape: z.shape, saved: { out, split, temperature } }
  },
  backward(dOut, { out, split, temperature }) {
    return [logSoftmaxBackwardKernel(dOut, out, split.outer, split.n, split.inner, 1 / temperature)]
  },
})

/** Check the options and turn them into the op's parameters; errors name `op`. */
function softmaxParams(z: Tensor, options: SoftmaxOptions | number, op: string): SoftmaxParams {
  const { dim = -1, temperature = 1 } = typeof options === 'number' ? { dim: options } : options
  checkTemperature(temperature, op)
  if (z.shape.length === 0) throw new Error(`${op}: needs at least one dim, got a 0-d tensor`)
  return { split: splitAtDim(z.shape, normaliseDim(dim, z.shape.length, op)), temperature }
}


/** softmax(tensor([4, 2, -1])) → [0.8756, 0.1185, 0.0059]; `{ temperature: 3 }` → [0.587, 0.302, 0.111] */
export function softmax(z: Tensor, options: SoftmaxOptions | number = {}): Tensor {
  return apply(softmaxOp, [z], softmaxParams(z, options, 'softmax'))
}

/** logSoftmax(tensor([3, 1, 0.2])) → [−0.179, −2.179, −2.979] */
export function logSoftmax(z: Tensor, options: SoftmaxOptions | number = {}): Tensor {
  return apply(logSoftmaxOp, [z], softmaxParams(z, options, 'logSoftmax'))
}

/** The Tensor methods take the dim first, as PyTorch's do: x.softmax(-1, { temperature: 2 }). */
export const softmaxMethods = {
  softmax: (z: Tensor, dim = -1, options: Omit<SoftmaxOptions, 'dim'> = {}) => softmax(z, { ...options, dim }),
  logSoftmax: (z: Tensor, dim = -1, options: Omit<SoftmaxOptions, 'dim'> = {}) => logSoftmax(z, { ...options, dim }),
}
