/**
 * logsumexp:  out = log Σⱼ exp(xⱼ) along a dim, computed as m + log Σ exp(x − m), m = max x
 * backward:   dX = dOut · exp(x − out)   (that is, dOut · softmax(x))
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { expandDimKernel, splitAtDim } from '../kernels/reduce.js'
import { logsumexpKernel } from '../kernels/softmax.js'
import { normaliseDim } from '../shape.js'

export const logsumexpOp = defineOp({
  name: 'logsumexp',
  rule: 'd logsumexp(x)/dx = softmax(x)',
  forward([x]: readonly Tensor[], { dim, keepDim }: { dim: number; keepDim: boolean }) {
    const { outer, n, inner } = splitAtDim(x.shape, dim)
    const out = logsumexpKernel(x.data, outer, n, inner)
    const shape = keepDim ? x.shape.map((d, i) => (i === dim ? 1 : d)) : x.shape.filter((_, i) => i !== dim)
    return { out, shape, saved: { x: x.data, out, outer, n, inner } }
  },
  backward(dOut, { x, out, outer, n, inner }) {
    const dX = expandDimKernel(dOut, outer, n, inner)
    const lse = expandDimKernel(out, outer, n, inner)
    for (let k = 0; k < dX.length; k++) dX[k] *= Math.exp(x[k] - lse[k])
    return [dX]
  },
})

/** logsumexp(tensor([0, 0]), 0) → log 2 */
export function logsumexp(x: Tensor, dim: number, keepDim = false): Tensor {
  return apply(logsumexpOp, [x], { dim: normaliseDim(dim, x.shape.length, 'logsumexp'), keepDim })
}

/** The Tensor methods: x.logsumexp(dim, keepDim?). */
export const logsumexpMethods = { logsumexp }
