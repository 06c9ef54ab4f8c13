/**
 * gather:  out[o, j, i] = x[o, index[o, j, i], i] along `dim` (torch.gather)
 * backward: dX[o, index[o, j, i], i] += dOut[o, j, i]; the index gets no gradient.
 *
 * The index is flat, row-major, and has the output's shape: x's shape with `dim` resized to
 * however many picks each position gets. The classic use picks each row's label:
 * logSoftmax(z).gather(1, labels) → shape [N, 1].
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { splitAtDim } from '../kernels/reduce.js'
import { formatShape, normaliseDim } from '../shape.js'
import { allocate } from '../buffers.js'

export interface GatherParams {
  index: Int32Array
  outer: number
  n: number
  inner: number
  picks: number
  shape: number[]
}

export const gatherOp = defineOp({
  name: 'gather',
  rule: 'd gather(x, idx)/dx: dX[idx] += dOut; no gradient for idx',
  forward([x]: readonly Tensor[], p: GatherParams) {
    const { index, outer, n, inner, picks } = p
    const out = allocate(index.length)
    const xd = x.data
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < picks; j++) {
        for (let i = 0; i < inner; i++) {
          const k = (o * picks + j) * inner + i
          out[k] = xd[(o * n + index[k]) * inner + i]
        }
      }
    }
    return { out, shape: p.shape, saved: p }
  },
  backward(dOut, { index, outer, n, inner, picks }) {
    const dX = allocate(outer * n * inner)
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < picks; j++) {
        for (let i = 0; i < inner; i++) {
          const k = (o * picks + j) * inner + i
          dX[(o * n + index[k]) * inner + i] += dOut[k]
        }
      }
    }
    return [dX]
  },
})

/** gather(tensor([[1, 2], [3, 4]]), 1, [1, 0]) → [[2], [3]] */
export function gather(x: Tensor, dim: number, index: Int32Array | readonly number[]): Tensor {
  const d = normaliseDim(dim, x.shape.length, 'gather')
  const { outer, n, inner } = splitAtDim(x.shape, d)
  const idx = index instanceof Int32Array ? index : Int32Array.from(index)
  const picks = idx.length / (outer * inner)
  if (!Number.isInteger(picks)) {
    throw new Error(
      `gather: an index of ${idx.length} numbers does not fit x of shape ${formatShape(x.shape)} along dim ${dim}: ` +
        `it needs a multiple of ${outer * inner} (one pick per row is ${outer * inner})`,
    )
  }
  for (let k = 0; k < idx.length; k++) {
    if (idx[k] < 0 || idx[k] >= n || idx[k] !== (index as ArrayLike<number>)[k]) {
      throw new Error(`gather: index ${String((index as ArrayLike<number>)[k])} at position ${k} is out of range for dim ${dim} of size ${n} (shape ${formatShape(x.shape)})`)
    }
  }
  const shape = x.shape.slice()
  shape[d] = picks
  return apply(gatherOp, [x], { index: idx, outer, n, inner, picks, shape })
}

/** The Tensor methods: x.gather(dim, index). */
export const gatherMethods = { gather }
