/**
 * sum:   out = Σ x over one dim (or all)   backward: dX = dOut copied back along that dim
 * mean:  sum(x) · 1/n                      composite, no backward of its own
 * max:   out = max x over one dim          backward: dX = dOut at the (first) argmax, 0 elsewhere
 */
import type { Tensor } from '../tensor.js'
import { apply, defineComposite, defineOp } from './op.js'
import { mul } from './mul.js'
import { argmaxKernel, expandDimKernel, splitAtDim, sumDimKernel } from '../kernels/reduce.js'
import { formatShape, normaliseDim } from '../shape.js'
import { allocate } from '../buffers.js'

export interface DimParams {
  /** null: reduce over every element */
  dim: number | null
  keepDim: boolean
}

/** The shape left after reducing `dim` (all dims when null). */
function reducedShape(shape: readonly number[], { dim, keepDim }: DimParams): number[] {
  if (dim === null) return keepDim ? shape.map(() => 1) : []
  if (keepDim) return shape.map((d, i) => (i === dim ? 1 : d))
  return shape.filter((_, i) => i !== dim)
}

export const sumOp = defineOp({
  name: 'sum',
  rule: 'd Σx/dx = 1 for every element summed',
  forward([x]: readonly Tensor[], params: DimParams) {
    const shape = reducedShape(x.shape, params)
    if (params.dim === null) {
      const xd = x.data
      let s = 0
      for (let i = 0; i < xd.length; i++) s += xd[i]
      return { out: Float64Array.of(s), shape, saved: { split: { outer: 1, n: x.size, inner: 1 } } }
    }
    const split = splitAtDim(x.shape, params.dim)
    return { out: sumDimKernel(x.data, split.outer, split.n, split.inner), shape, saved: { split } }
  },
  backward(dOut, { split }) {
    return [expandDimKernel(dOut, split.outer, split.n, split.inner)]
  },
})

export const meanOp = defineComposite({ name: 'mean', rule: 'mean(x) = sum(x) · 1/n', composedOf: ['sum', 'mul'] })

export const maxOp = defineOp({
  name: 'max',
  rule: 'd max(x)/dxᵢ = 1 for the (first) largest xᵢ, else 0',
  forward([x]: readonly Tensor[], params: DimParams & { dim: number }) {
    const { outer, n, inner } = splitAtDim(x.shape, params.dim)
    const argmax = argmaxKernel(x.data, outer, n, inner)
    const out = allocate(argmax.length)
    const xd = x.data
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) out[o * inner + i] = xd[o * n * inner + argmax[o * inner + i] * inner + i]
    }
    return { out, shape: reducedShape(x.shape, params), saved: { argmax, outer, n, inner } }
  },
  backward(dOut, { argmax, outer, n, inner }) {
    const dX = allocate(outer * n * inner)
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) dX[o * n * inner + argmax[o * inner + i] * inner + i] = dOut[o * inner + i]
    }
    return [dX]
  },
})

/** sum(tensor([[1, 2], [3, 4]]), 0) → [4, 6]; with no dim, the sum of everything. */
export function sum(x: Tensor, dim?: number, keepDim = false): Tensor {
  const d = dim === undefined ? null : normaliseDim(dim, x.shape.length, 'sum')
  return apply(sumOp, [x], { dim: d, keepDim })
}

/** mean(tensor([[1, 2], [3, 4]]), 1) → [1.5, 3.5] */
export function mean(x: Tensor, dim?: number, keepDim = false): Tensor {
  const d = dim === undefined ? undefined : normaliseDim(dim, x.shape.length, 'mean')
  const n = d === undefined ? x.size : x.shape[d]
  if (n === 0) throw new Error(`mean: cannot average over an empty dim (shape ${formatShape(x.shape)})`)
  return mul(sum(x, d, keepDim), 1 / n)
}

/** max(tensor([[1, 5], [7, 2]]), 1) → [5, 7] (the values; argmax() gives the indices) */
export function max(x: Tensor, dim: number, keepDim = false): Tensor {
  const d = normaliseDim(dim, x.shape.length, 'max')
  if (x.shape[d] === 0) throw new Error(`max: dim ${dim} of ${formatShape(x.shape)} is empty`)
  return apply(maxOp, [x], { dim: d, keepDim })
}

/** The Tensor methods: x.sum(dim?, keepDim?), x.mean(dim?, keepDim?), x.max(dim, keepDim?). */
export const reduceMethods = { sum, mean, max }
