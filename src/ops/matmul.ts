/**
 * matmul:  out = A·B   (A [m×k], B [k×n], out [m×n])
 * backward: dA = dOut·Bᵀ,  dB = Aᵀ·dOut — computed by the transposed kernels, so no
 * transpose is ever copied out.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js'
import { formatShape } from '../shape.js'

export const matmulOp = defineOp({
  name: 'matmul',
  rule: 'd(A·B)/dA: dA = dOut·Bᵀ;  d(A·B)/dB: dB = Aᵀ·dOut',
  forward([a, b]: readonly Tensor[]) {
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      throw new Error(
        `matmul: expects two 2-D tensors, a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)} ` +
          `(reshape a vector to [1,n] or [n,1] first)`,
      )
    }
    const [m, k] = a.shape
    const [k2, n] = b.shape
    if (k !== k2) {
      throw new Error(`matmul: inner sizes differ, a is ${formatShape(a.shape)}, b is ${formatShape(b.shape)}`)
    }
    const out = matmulNN(a.data, b.data, m, k, n)
    return { out, shape: [m, n], saved: { a: a.data, b: b.data, m, k, n } }
  },
  backward(dOut, { a, b, m, k, n }, needsGrad) {
    const dA = needsGrad[0] ? matmulNT(dOut, b, m, n, k) : null // [m×n]·[k×n]ᵀ = [m×k]
    const dB = needsGrad[1] ? matmulTN(a, dOut, k, m, n) : null // [m×k]ᵀ·[m×n] = [k×n]
    return [dA, dB]
  },
})

/** matmul(tensor([[1, 2]]), tensor([[3], [4]])) → [[11]] */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return apply(matmulOp, [a, b])
}

/** The Tensor methods: a.matmul(b). */
export const matmulMethods = { matmul }
