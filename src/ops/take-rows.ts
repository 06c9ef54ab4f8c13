/**
 * takeRows:  out[i] = x[index[i]]          x [R, ...rest], index of rows → [...indexShape, ...rest]
 * backward:  dX[index[i]] += dOut[i]       a row taken twice gets both gradients; the index none
 *
 * A row gather (torch.index_select along dim 0, an embedding lookup): the rows of a weight
 * matrix that a batch needs, without touching the others.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { formatShape, shapeSize } from '../shape.js'
import { allocate } from '../buffers.js'
import { checkRowIndex } from './checks.js'

export interface TakeRowsParams {
  index: Int32Array
  /** how many numbers one row holds: the product of x.shape[1:] */
  rowSize: number
  rows: number
  shape: number[]
}

export const takeRowsOp = defineOp({
  name: 'takeRows',
  rule: 'dX[index[i]] += dOut[i]; no gradient for the index',
  forward([x]: readonly Tensor[], p: TakeRowsParams) {
    const { index, rowSize } = p
    const out = allocate(index.length * rowSize)
    for (let i = 0; i < index.length; i++) out.set(x.data.subarray(index[i] * rowSize, (index[i] + 1) * rowSize), i * rowSize)
    return { out, shape: p.shape, saved: p }
  },
  backward(dOut, { index, rowSize, rows }) {
    const dX = allocate(rows * rowSize)
    for (let i = 0; i < index.length; i++) {
      const from = i * rowSize
      const to = index[i] * rowSize
      for (let j = 0; j < rowSize; j++) dX[to + j] += dOut[from + j]
    }
    return [dX]
  },
})

/** takeRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0, 2]) → [[5, 6], [1, 2], [5, 6]] */
export function takeRows(x: Tensor, index: Int32Array | readonly number[], indexShape: readonly number[] = [index.length]): Tensor {
  if (x.shape.length < 1) throw new Error(`takeRows: x must have at least one dim (its rows), got a 0-d tensor`)
  if (shapeSize(indexShape) !== index.length) {
    throw new Error(`takeRows: an index of ${index.length} rows cannot have shape ${formatShape(indexShape)}`)
  }
  const rows = x.shape[0]
  const idx = checkRowIndex(index, rows, 'takeRows', `x of shape ${formatShape(x.shape)}`)
  const rowSize = shapeSize(x.shape.slice(1))
  return apply(takeRowsOp, [x], { index: idx, rowSize, rows, shape: [...indexShape, ...x.shape.slice(1)] })
}
