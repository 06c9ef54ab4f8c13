/**
 * Every number the softmax lab shows, computed by softgrad's own ops (the ones the CLI and the
 * tests use), with one exception written by hand on purpose: `naiveSoftmax`, the textbook
 * formula that overflows. Nothing here touches the page, so the same numbers come out in Node.
 *
 *   labNumbers({ logits: [4, 2, -1], temperature: 3, label: 0, seed: 0 }).probs.values
 *   // [0.5874430332413048, 0.30160330972251786, 0.11095365703617734], as `softgrad softmax 4 2 -1 --temperature 3`
 */
import {
  div, gumbelSoftmax, hardmax, logSoftmax, makeRng, numericJacobian, sigmoid, softmax,
  softmaxCrossEntropy, softmaxJacobian, sparsemax, sum, tensor, type Tensor,
} from '../src/browser.js'
import type { LabState } from './lab-state.js'

/** One number a class, and their sum (1 for a probability distribution). */
export interface Row {
  values: number[]
  total: number
}

export interface LabNumbers {
  /** softmax(z / T) */
  probs: Row
  /** logSoftmax(z / T), computed directly, never as log(softmax) */
  logProbs: number[]
  /** exp(z / T) / Σ exp(z / T) written by hand: NaN once exp overflows */
  naive: Row
  /** softgrad's softmax: the maximum subtracted first */
  stable: Row
  /** diag(s) − s sᵀ of s = softmax(z / T), row by row */
  jacobian: number[][]
  /** each row of the Jacobian summed: 0 up to rounding */
  jacobianRowSums: number[]
  /** the cross-entropy −log p_y at temperature T */
  loss: number
  /** ∂loss/∂z from the fused loss's backward: (p − y) / T */
  grad: number[]
  /** ∂loss/∂z by central differences of the loss (softgrad's numericJacobian, ε = 1e-6) */
  numeric: number[]
  /** sparsemax(z / T): exact zeros */
  sparsemax: Row
  /** hardmax(z): the one-hot of the argmax, softmax's limit as T → 0 */
  hardmax: Row
  /** gumbelSoftmax(z, { temperature: T }) with noise from makeRng(seed) */
  gumbel: Row
  /** sigmoid(z / T), each class on its own */
  sigmoid: Row
}

/** The numbers of a 1-D tensor, copied out, with their sum by softgrad's sum. */
function row(t: Tensor): Row {
  return { values: Array.from(t.data), total: sum(t).item() }
}

/**
 * The textbook softmax exp(z/T) / Σ exp(z/T), as it is first written: the formula not to use.
 * NOTE: deliberately not softgrad's: exp(1000) is Infinity in float64, and Infinity / Infinity is NaN.
 */
export function naiveSoftmax(logits: readonly number[], temperature: number): Row {
  const e = logits.map((z) => Math.exp(z / temperature))
  const total = e.reduce((s, v) => s + v, 0)
  const values = e.map((v) => v / total)
  return { values, total: values.reduce((s, v) => s + v, 0) }
}

/** The cross-entropy of one row of logits against its true class, at temperature T. */
function lossOf(z: Tensor, label: number, temperature: number): Tensor {
  return softmaxCrossEntropy(z, [label], { temperature })
}

/** Everything the lab shows for one state. */
export function labNumbers({ logits, temperature, label, seed }: LabState): LabNumbers {
  const z = tensor(logits)
  const scaled = div(z, temperature)
  const probs = softmax(z, { temperature })

  const J = softmaxJacobian(probs)
  const K = logits.length
  const jacobian = Array.from({ length: K }, (_, i) => Array.from(J.data.subarray(i * K, (i + 1) * K)))

  // The loss of one example: logits as a [1, K] batch, its gradient from the fused backward.
  const zRow = tensor([logits], { requiresGrad: true })
  const loss = lossOf(zRow, label, temperature)
  loss.backward()
  const numeric = numericJacobian((x) => lossOf(x, label, temperature), tensor([logits]))

  return {
    probs: row(probs),
    logProbs: Array.from(logSoftmax(z, { temperature }).data),
    naive: naiveSoftmax(logits, temperature),
    stable: row(probs),
    jacobian,
    jacobianRowSums: Array.from(sum(J, 1).data),
    loss: loss.item(),
    grad: Array.from(zRow.grad!.data),
    numeric: Array.from(numeric.data),
    sparsemax: row(sparsemax(scaled)),
    hardmax: row(hardmax(z)),
    gumbel: row(gumbelSoftmax(z, { temperature, rng: makeRng(seed) })),
    sigmoid: row(sigmoid(scaled)),
  }
}
