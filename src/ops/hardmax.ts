/**
 * hardmax:  out = onehot(argmax z) along the dim (the first index wins a tie)
 *           backward: dZ = 0   (piecewise constant: a small nudge never moves the argmax)
 *
 * What softmax tends to as T → 0. It passes no gradient, which is why training uses softmax
 * and why gumbelSoftmax's `hard` mode borrows softmax's gradient (straight-through).
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { argmaxKernel, splitAtDim, type DimSplit } from '../kernels/reduce.js'
import { normaliseDim } from '../shape.js'
import { allocate } from '../buffers.js'

export const hardmaxOp = defineOp({
  name: 'hardmax',
  rule: 'd onehot(argmax z)/dz = 0 (piecewise constant)',
  forward([z]: readonly Tensor[], { outer, n, inner }: DimSplit) {
    const argmax = argmaxKernel(z.data, outer, n, inner)
    const out = allocate(z.size)
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) out[(o * n + argmax[o * inner + i]) * inner + i] = 1
    }
    return { out, shape: z.shape, saved: undefined }
  },
  backward(dOut) {
    return [allocate(dOut.length)]
  },
})

/** hardmax(tensor([[1, 3, 2], [5, 0, 5]])) → [[0, 1, 0], [1, 0, 0]] */
export function hardmax(z: Tensor, dim = -1): Tensor {
  if (z.shape.length === 0) throw new Error('hardmax: needs at least one dim, got a 0-d tensor')
  return apply(hardmaxOp, [z], splitAtDim(z.shape, normaliseDim(dim, z.shape.length, 'hardmax')))
}
