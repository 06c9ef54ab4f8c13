/**
 * transpose:  swap two dims             backward: transpose dOut back
 * reshape:    same numbers, new shape   backward: dOut reshaped to the input's shape
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { transposeKernel } from '../kernels/layout.js'
import { formatShape, normaliseDim } from '../shape.js'

export const transposeOp = defineOp({
  name: 'transpose',
  rule: 'd xᵀ/dx: dX = dOutᵀ',
  forward([x]: readonly Tensor[], { dim0, dim1 }: { dim0: number; dim1: number }) {
    const shape = x.shape.slice()
    shape[dim0] = x.shape[dim1]
    shape[dim1] = x.shape[dim0]
    return { out: transposeKernel(x.data, x.shape, dim0, dim1), shape, saved: { outShape: shape, dim0, dim1 } }
  },
  backward(dOut, { outShape, dim0, dim1 }) {
    return [transposeKernel(dOut, outShape, dim0, dim1)]
  },
})

export const reshapeOp = defineOp({
  name: 'reshape',
  rule: 'd reshape(x)/dx: dX = dOut with the shape of x',
  forward([x]: readonly Tensor[], shape: number[]) {
    // Row-major data means a reshape needs no copy: the output shares x's numbers.
    return { out: x.data, shape, saved: undefined }
  },
  backward(dOut) {
    return [dOut]
  },
})

/** transpose(tensor([[1, 2, 3]])) → [[1], [2], [3]]; by default the last two dims swap. */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  if (x.shape.length < 2) {
    throw new Error(`transpose: needs a tensor with at least 2 dims, got ${formatShape(x.shape)} (reshape it to [1,n] first)`)
  }
  const d0 = normaliseDim(dim0, x.shape.length, 'transpose')
  const d1 = normaliseDim(dim1, x.shape.length, 'transpose')
  return apply(transposeOp, [x], { dim0: d0, dim1: d1 })
}

/** reshape(arange(6), [2, -1]) → shape [2, 3]; one dim may be −1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return apply(reshapeOp, [x], resolveShape(x.shape, shape))
}

function resolveShape(from: readonly number[], to: readonly number[]): number[] {
  const size = from.reduce((p, d) => p * d, 1)
  const unknown = to.filter((d) => d === -1).length
  const known = to.reduce((p, d) => (d === -1 ? p : p * d), 1)
  const bad = to.some((d) => !Number.isInteger(d) || d < -1)
  if (bad || unknown > 1 || (unknown === 0 && known !== size) || (unknown === 1 && (known === 0 || size % known !== 0))) {
    throw new Error(`reshape: cannot reshape ${formatShape(from)} (${size} numbers) to ${formatShape(to)}`)
  }
  return to.map((d) => (d === -1 ? size / known : d))
}

/** The Tensor methods: x.transpose(dim0, dim1), x.reshape(shape). */
export const shapeMethods = { transpose, reshape }
