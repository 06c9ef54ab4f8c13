/**
 * Loops for reducing along one dim. A shape seen from dim d is [outer, n, inner]: element
 * (o, j, i) sits at o·n·inner + j·inner + i, so every reduction is the same three loops.
 */
import { allocate } from '../buffers.js'

export interface DimSplit {
  outer: number
  n: number
  inner: number
}

export function splitAtDim(shape: readonly number[], dim: number): DimSplit {
  let outer = 1
  let inner = 1
  for (let d = 0; d < dim; d++) outer *= shape[d]
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]
  return { outer, n: shape[dim], inner }
}

/** out[o, i] = Σ_j x[o, j, i]. Loop order o-j-i streams x once. */
export function sumDimKernel(x: Float64Array, outer: number, n: number, inner: number): Float64Array {
  const out = allocate(outer * inner)
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner
    const ob = o * inner
    for (let j = 0; j < n; j++) {
      const row = base + j * inner
      for (let i = 0; i < inner; i++) out[ob + i] += x[row + i]
    }
  }
  return out
}

/** out[o, j, i] = g[o, i]: the reverse of a reduction, copying each value back along the dim. */
export function expandDimKernel(g: Float64Array, outer: number, n: number, inner: number): Float64Array {
  const out = allocate(outer * n * inner)
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner
    const gb = o * inner
    for (let j = 0; j < n; j++) {
      const row = base + j * inner
      for (let i = 0; i < inner; i++) out[row + i] = g[gb + i]
    }
  }
  return out
}

/** The first index of the largest value along the dim, for each (o, i). NaN counts as largest. */
export function argmaxKernel(x: Float64Array, outer: number, n: number, inner: number): Int32Array {
  const out = new Int32Array(outer * inner)
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner
    for (let i = 0; i < inner; i++) {
      let best = 0
      let bestValue = x[base + i]
      for (let j = 1; j < n && bestValue === bestValue; j++) {
        const v = x[base + j * inner + i]
        if (v > bestValue || v !== v) {
          best = j
          bestValue = v
        }
      }
      out[o * inner + i] = best
    }
  }
  return out
}
