/**
 * sparsemax (Martins & Astudillo 2016): the Euclidean projection of z onto the probability
 * simplex, argmin_p ‖p − z‖² with p ≥ 0, Σp = 1. Unlike softmax it gives exact zeros.
 *
 *   sort z descending:  z_(1) ≥ z_(2) ≥ ... ≥ z_(n)
 *   k(z) = max{k : 1 + k·z_(k) > Σ_{j≤k} z_(j)}      (how many entries stay above zero)
 *   τ(z) = (Σ_{j≤k} z_(j) − 1) / k                   (the threshold)
 *   p    = max(z − τ, 0)
 *
 * backward, on the support S = {j : p_j > 0}:
 *   dZ_j = [j ∈ S] · (dOut_j − Σ_{i∈S} dOut_i / |S|)
 * The Jacobian is diag(s) − s sᵀ/|S| with s the 0/1 indicator of S: inside the support the
 * output moves one-for-one with z, minus the shared shift of τ; outside it nothing moves.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { splitAtDim, type DimSplit } from '../kernels/reduce.js'
import { sparsemaxBackwardKernel, sparsemaxKernel } from '../kernels/sparsemax.js'
import { normaliseDim } from '../shape.js'

export const sparsemaxOp = defineOp({
  name: 'sparsemax',
  rule: 'dz = [p > 0] ⊙ (g − Σ_{p>0} g / |{p > 0}|)',
  forward([z]: readonly Tensor[], split: DimSplit) {
    const out = sparsemaxKernel(z.data, split.outer, split.n, split.inner)
    return { out, shape: z.shape, saved: { out, split } }
  },
  backward(dOut, { out, split }) {
    return [sparsemaxBackwardKernel(dOut, out, split.outer, split.n, split.inner)]
  },
})

/** sparsemax(tensor([1, 0.8, -1])) → [0.6, 0.4, 0] */
export function sparsemax(z: Tensor, dim = -1): Tensor {
  if (z.shape.length === 0) throw new Error('sparsemax: needs at least one dim, got a 0-d tensor')
  return apply(sparsemaxOp, [z], splitAtDim(z.shape, normaliseDim(dim, z.shape.length, 'sparsemax')))
}
