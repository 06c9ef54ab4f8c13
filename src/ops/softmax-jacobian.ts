/**
 * The softmax Jacobian written out: J = diag(s) − s sᵀ, i.e. J_ij = ∂s_i/∂z_j = s_i(δ_ij − s_j).
 *
 * Not an op and not how softmax's backward works: that applies J to the gradient without
 * building it (s ⊙ (g − Σ g·s), O(K) instead of O(K²)). This is the matrix a learner writes on
 * paper, made so tests can hold it against jacobian(softmax, z) and finite differences.
 */
import { Tensor } from '../tensor.js'
import { formatShape } from '../shape.js'
import { allocate } from '../buffers.js'

/** softmaxJacobian(tensor([0.5, 0.5])) → [[0.25, −0.25], [−0.25, 0.25]] */
export function softmaxJacobian(s: Tensor): Tensor {
  if (s.shape.length !== 1) {
    throw new Error(
      `softmaxJacobian: s must be a 1-D probability vector (the softmax of one row), got shape ${formatShape(s.shape)}`,
    )
  }
  const K = s.size
  const J = allocate(K * K)
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) J[i * K + j] = (i === j ? s.data[i] : 0) - s.data[i] * s.data[j]
  }
  return new Tensor(J, [K, K])
}
