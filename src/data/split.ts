/** Splitting a dataset into train and test rows, optionally keeping each class's share. */
import type { Tensor } from '../tensor.js'
import { makeRng, permutation, checkSeed } from '../random.js'
import { takeLabels, takeRows } from './rows.js'

export interface SplitOptions {
  /** the fraction of rows held out for testing, in (0, 1); default 0.2 */
  testFraction?: number
  /** seeds the shuffle, a whole number from 0 to 4294967295 (default 0) */
  seed?: number
  /** keep each class's share in both parts; default true */
  stratify?: boolean
}

export interface Split {
  XTrain: Tensor
  yTrain: Int32Array
  XTest: Tensor
  yTest: Int32Array
}

/**
 * trainTestSplit(X, y, { testFraction: 0.2, seed: 0 }) → { XTrain, yTrain, XTest, yTest }
 *
 * Stratified, the test part holds round(N · f) rows shared out by class in proportion to the
 * class sizes (largest remainders get the leftover rows), so every class's share of the test
 * part is within one row of its share of the whole. Rows come out in a seeded shuffled order.
 */
export function trainTestSplit(X: Tensor, y: Int32Array | readonly number[], options: SplitOptions = {}): Split {
  const { testFraction = 0.2, seed = 0, stratify = true } = options
  const n = X.shape[0]
  if (y.length !== n) throw new Error(`trainTestSplit: X has ${n} rows but y has ${y.length} labels`)
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`)
  const nTest = Math.round(n * testFraction)
  if (nTest < 1 || nTest > n - 1) {
    throw new Error(`trainTestSplit: ${n} rows × testFraction ${testFraction} leaves ${nTest} test and ${n - nTest} train rows; each part needs at least one`)
  }
  const rng = makeRng(checkSeed(seed, 'trainTestSplit'))
  const order = permutation(n, rng)
  const isTest = new Uint8Array(n)
  if (stratify) {
    // Rows of each class, in the shuffled order.
    const byClass = new Map<number, number[]>()
    for (const i of order) {
      const list = byClass.get(y[i]) ?? []
      list.push(i)
      byClass.set(y[i], list)
    }
    const groups = [...byClass.values()]
    const quotas = groups.map((g) => (g.length * nTest) / n)
    const counts = quotas.map(Math.floor)
    let left = nTest - counts.reduce((a, b) => a + b, 0)
    const byRemainder = quotas.map((q, k) => [q - Math.floor(q), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
    for (const [, k] of byRemainder) {
      if (left === 0) break
      counts[k]++
      left--
    }
    groups.forEach((g, k) => {
      for (let r = 0; r < counts[k]; r++) isTest[g[r]] = 1
    })
  } else {
    for (let r = 0; r < nTest; r++) isTest[order[r]] = 1
  }
  const train = Int32Array.from(order.filter((i) => !isTest[i]))
  const test = Int32Array.from(order.filter((i) => isTest[i]))
  return { XTrain: takeRows(X, train), yTrain: takeLabels(y, train), XTest: takeRows(X, test), yTest: takeLabels(y, test) }
}
