/** Picking rows of a dataset by index: the one copy loop that batching and splitting share. */
import { Tensor } from '../tensor.js'

/** The rows `index` of a [N, ...] tensor, in that order, as a new tensor. */
export function takeRows(X: Tensor, index: ArrayLike<number>): Tensor {
  const width = X.shape.length === 0 ? 1 : X.size / X.shape[0]
  const out = new Float64Array(index.length * width)
  for (let r = 0; r < index.length; r++) {
    const from = index[r] * width
    out.set(X.data.subarray(from, from + width), r * width)
  }
  return new Tensor(out, [index.length, ...X.shape.slice(1)])
}

/** The labels `index`, in that order. */
export function takeLabels(y: ArrayLike<number>, index: ArrayLike<number>): Int32Array {
  const out = new Int32Array(index.length)
  for (let r = 0; r < index.length; r++) out[r] = y[index[r]]
  return out
}
