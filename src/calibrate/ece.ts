/**
 * ece: how far a classifier's confidence is from its accuracy (Guo et al. 2017, "On Calibration
 * of Modern Neural Networks"). Each row's confidence is its top-class probability; the rows are
 * put into B equal-width bins by confidence, and in each bin the mean confidence is compared
 * with the share of rows that are right:
 *
 *   ECE = Σ_b (|B_b| / N) · |acc(B_b) − conf(B_b)|        MCE = max_b |acc(B_b) − conf(B_b)|
 *
 * Bins are (lo, hi] with lo = b/B and hi = (b+1)/B (the first is [0, hi]): a confidence equal to
 * an upper edge counts in the bin below it, so a row at exactly 0.8 with B = 5 is in (0.6, 0.8].
 */
import { Tensor } from '../tensor.js'
import { formatShape } from '../shape.js'

export interface EceOptions {
  /** the number of equal-width bins over [0, 1]; default 15, as in Guo et al. */
  bins?: number
}

export interface ReliabilityBin {
  /** the lower edge b/B (excluded, except for the first bin, which starts at 0 included) */
  lo: number
  /** the upper edge (b+1)/B (included) */
  hi: number
  /** the rows whose confidence falls in (lo, hi] */
  count: number
  /** their mean top-class probability (0 for an empty bin) */
  confidence: number
  /** the share of them whose top class is the label (0 for an empty bin) */
  accuracy: number
}

export interface EceResult {
  /** expected calibration error: the count-weighted mean gap |accuracy − confidence| */
  ece: number
  /** maximum calibration error: the largest gap over the non-empty bins */
  mce: number
  /** all B bins, in order of confidence, empty ones included */
  bins: ReliabilityBin[]
}

/**
 * Check a [N, C] tensor of scores and N labels in [0, C); errors name `op`.
 * Shared by ece and fitTemperature.
 */
export function checkScoresAndLabels(scores: Tensor, y: Int32Array | readonly number[], op: string, what: 'probs' | 'logits'): { n: number; c: number } {
  if (!(scores instanceof Tensor)) throw new Error(`${op}: ${what} must be a Tensor of shape [N, C], got ${typeof scores}`)
  if (scores.shape.length !== 2) {
    throw new Error(`${op}: ${what} must have shape [N, C] (one row per example, one column per class), got ${formatShape(scores.shape)}`)
  }
  const [n, c] = scores.shape
  if (n === 0) throw new Error(`${op}: ${what} has no rows (shape ${formatShape(scores.shape)}); give at least one example`)
  if (c === 0) throw new Error(`${op}: ${what} has no classes (shape ${formatShape(scores.shape)})`)
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new Error(`${op}: y must be an Int32Array or an array of class indices, got ${String(y)}`)
  }
  if (y.length !== n) {
    throw new Error(`${op}: ${what} has ${n} rows (shape ${formatShape(scores.shape)}) but y has ${y.length} labels; give one label per row`)
  }
  for (let i = 0; i < n; i++) {
    const label = y[i]
    if (!Number.isInteger(label) || label < 0 || label >= c) {
      throw new Error(`${op}: y[${i}] is ${String(label)}, but labels must be class indices 0 … ${c - 1} for ${c} classes`)
    }
  }
  return { n, c }
}

/** binIndex(0.8, 5) → 3: the bin (lo, hi] holding a confidence, with the edges computed as b/B. */
export function binIndex(confidence: number, bins: number): number {
  let b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1))
  // NOTE: confidence · B can round across an integer (k/B · B need not be exactly k), so the
  // guess is checked against the edges themselves, written as b/B just like the bins' lo and hi.
  while (b > 0 && confidence <= b / bins) b--
  while (b < bins - 1 && confidence > (b + 1) / bins) b++
  return b
}

/**
 * ece(probs, y) → { ece, mce, bins }: the expected and maximum calibration error over 15 bins.
 *
 *   ece(tensor([[0.9, 0.1], [0.6, 0.4]]), [0, 1], { bins: 10 }).ece   // (|1 − 0.9| + |0 − 0.6|) / 2 = 0.35
 */
export function ece(probs: Tensor, y: Int32Array | readonly number[], { bins = 15 }: EceOptions = {}): EceResult {
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1) {
    throw new Error(`ece: bins must be a whole number ≥ 1, got ${String(bins)}`)
  }
  const { n, c } = checkScoresAndLabels(probs, y, 'ece', 'probs')

  const count = new Array<number>(bins).fill(0)
  const confidenceSum = new Array<number>(bins).fill(0)
  const rightCount = new Array<number>(bins).fill(0)
  for (let i = 0; i < n; i++) {
    // the top class: the first index of the largest probability
    let top = 0
    let confidence = probs.data[i * c]
    for (let k = 0; k < c; k++) {
      const p = probs.data[i * c + k]
      if (!(p >= 0 && p <= 1)) throw new Error(`ece: probs[${i}][${k}] is ${p}; probabilities must lie in [0, 1] (pass softmax(logits), not the logits)`)
      if (p > confidence) {
        confidence = p
        top = k
      }
    }
    const b = binIndex(confidence, bins)
    count[b]++
    confidenceSum[b] += confidence
    if (top === y[i]) rightCount[b]++
  }

  let total = 0
  let worst = 0
  const table: ReliabilityBin[] = []
  for (let b = 0; b < bins; b++) {
    const empty = count[b] === 0
    const confidence = empty ? 0 : confidenceSum[b] / count[b]
    const accuracy = empty ? 0 : rightCount[b] / count[b]
    if (!empty) {
      const gap = Math.abs(accuracy - confidence)
      total += (count[b] / n) * gap
      worst = Math.max(worst, gap)
    }
    table.push({ lo: b / bins, hi: (b + 1) / bins, count: count[b], confidence, accuracy })
  }
  return { ece: total, mce: worst, bins: table }
}
