/** Copying loops that change the layout of data (no arithmetic). */
import { allocate } from '../buffers.js'

/**
 * Swap dims d0 and d1 of a row-major array of `shape`. A 2-D transpose walks the output row
 * by row; any rank works through strides.
 */
export function transposeKernel(x: Float64Array, shape: readonly number[], d0: number, d1: number): Float64Array {
  const out = allocate(x.length)
  if (shape.length === 2) {
    const [rows, cols] = shape
    for (let c = 0; c < cols; c++) {
      const o = c * rows
      for (let r = 0; r < rows; r++) out[o + r] = x[r * cols + c]
    }
    return out
  }
  const rank = shape.length
  const inStride = new Array<number>(rank)
  let s = 1
  for (let d = rank - 1; d >= 0; d--) {
    inStride[d] = s
    s *= shape[d]
  }
  const outShape = shape.slice()
  outShape[d0] = shape[d1]
  outShape[d1] = shape[d0]
  // Reading stride for each output dim: the input stride of the dim it came from.
  const readStride = inStride.slice()
  readStride[d0] = inStride[d1]
  readStride[d1] = inStride[d0]
  const counter = new Array<number>(rank).fill(0)
  let pos = 0
  for (let i = 0; i < out.length; i++) {
    out[i] = x[pos]
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++
      pos += readStride[d]
      if (counter[d] < outShape[d]) break
      pos -= readStride[d] * counter[d]
      counter[d] = 0
    }
  }
  return out
}
