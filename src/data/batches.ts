/** Minibatches: the rows in a seeded shuffled order (or in order), `batchSize` at a time. */
import { Tensor } from '../tensor.js'
import { makeRng, permutation, checkSeed, type Rng } from '../random.js'
import { takeLabels, takeRows } from './rows.js'

export interface BatchOptions {
  batchSize?: number
  /** default true */
  shuffle?: boolean
  /** seeds the shuffle (a whole number from 0 to 4294967295); or pass `rng` to continue a stream (fit does, one order per epoch) */
  seed?: number
  rng?: Rng
}

export interface Batch<Y extends Int32Array | Tensor = Int32Array | Tensor> {
  X: Tensor
  /** class indices, or the rows of a probability tensor when y is one */
  y: Y
  /** which rows of the dataset this batch holds */
  index: Int32Array
}

/**
 * for (const { X, y } of batches(X, y, { batchSize: 32, seed: 0 })) …
 * The last batch holds the remainder. The same seed gives the same order on every machine.
 */
export function batches(X: Tensor, y: Int32Array | readonly number[], options?: BatchOptions): Generator<Batch<Int32Array>>
export function batches(X: Tensor, y: Tensor, options?: BatchOptions): Generator<Batch<Tensor>>
export function batches(X: Tensor, y: Int32Array | readonly number[] | Tensor, options?: BatchOptions): Generator<Batch>
export function* batches(X: Tensor, y: Int32Array | readonly number[] | Tensor, options: BatchOptions = {}): Generator<Batch> {
  const { batchSize = 32, shuffle = true } = options
  const n = X.shape[0]
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batches: batchSize must be a whole number ≥ 1, got ${batchSize}`)
  const yLength = y instanceof Tensor ? y.shape[0] : y.length
  if (yLength !== n) throw new Error(`batches: X has ${n} rows but y has ${yLength} labels`)
  let order: Int32Array
  if (shuffle) {
    order = permutation(n, options.rng ?? makeRng(checkSeed(options.seed ?? 0, 'batches')))
  } else {
    order = new Int32Array(n)
    for (let i = 0; i < n; i++) order[i] = i
  }
  for (let start = 0; start < n; start += batchSize) {
    const index = order.subarray(start, Math.min(start + batchSize, n))
    yield { X: takeRows(X, index), y: y instanceof Tensor ? takeRows(y, index) : takeLabels(y, index), index }
  }
}
