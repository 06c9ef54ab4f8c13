/**
 * fitTemperature: temperature scaling (Guo et al. 2017). One number T > 0 divides every logit;
 * it is chosen to minimise the mean negative log-likelihood of the labels on held-out data.
 * Dividing by T never changes a row's largest logit, so accuracy stays exactly the same.
 *
 * Written in β = 1/T the problem is convex, which is why no grid search is needed:
 *
 *   NLL(β)   = mean_i [ logsumexp(β z_i) − β z_{i,y_i} ]
 *   NLL'(β)  = mean_i [ E_p[z_i] − z_{i,y_i} ]       p = softmax(β z_i)
 *   NLL''(β) = mean_i [ Var_p(z_i) ] ≥ 0
 *
 * NLL' rises from NLL'(0) = mean(mean_c z − z_y) to its limit mean(max_c z − z_y) ≥ 0 as β → ∞,
 * so the optimum is the one root of NLL', found by Newton's method kept inside a bracket
 * (a step that leaves the bracket is replaced by bisection).
 */
import type { Tensor } from '../tensor.js'
import { checkScoresAndLabels } from './ece.js'

/** NLL'(β) and NLL''(β) of the logits at β = 1/T. */
function derivatives(z: Float64Array, y: Int32Array | readonly number[], n: number, c: number, beta: number): { slope: number; curvature: number } {
  let slope = 0
  let curvature = 0
  for (let i = 0; i < n; i++) {
    const row = i * c
    let m = -Infinity
    for (let k = 0; k < c; k++) m = Math.max(m, beta * z[row + k])
    // p_k = exp(β z_k − max) / Σ: the softmax, shifted so no exp overflows
    let s = 0
    let weighted = 0
    for (let k = 0; k < c; k++) {
      const e = Math.exp(beta * z[row + k] - m)
      s += e
      weighted += e * z[row + k]
    }
    const mean = weighted / s
    let variance = 0
    for (let k = 0; k < c; k++) {
      const d = z[row + k] - mean
      variance += (Math.exp(beta * z[row + k] - m) / s) * d * d
    }
    slope += mean - z[row + y[i]]
    curvature += variance
  }
  return { slope: slope / n, curvature: curvature / n }
}

/**
 * fitTemperature(logits, y) → T: the temperature minimising the mean NLL of softmax(logits / T),
 * to about 1e-12 relative. Fit it on a validation split, then use it on new data.
 *
 *   const T = fitTemperature(model.forward(XVal), yVal)   // an overconfident model gives T > 1
 *   predict(model, XTest, { temperature: T })
 */
export function fitTemperature(logits: Tensor, y: Int32Array | readonly number[]): number {
  const { z, n, c } = checkLogits(logits, y)
  checkOptimumExists(z, y, n, c)
  const derivativesAt = (beta: number) => derivatives(z, y, n, c, beta)
  const { lo, hi } = bracketRoot(derivativesAt, z)
  return 1 / newtonInBracket(derivativesAt, lo, hi)
}

/** The logits as numbers: [N, C] with C ≥ 2, every one finite, and one label in [0, C) per row. */
function checkLogits(logits: Tensor, y: Int32Array | readonly number[]): { z: Float64Array; n: number; c: number } {
  const { n, c } = checkScoresAndLabels(logits, y, 'fitTemperature', 'logits')
  const z = logits.data
  for (let i = 0; i < z.length; i++) {
    if (!Number.isFinite(z[i])) {
      throw new Error(`fitTemperature: logits[${Math.floor(i / c)}][${i % c}] is ${z[i]}; every logit must be a finite number`)
    }
  }
  if (c < 2) throw new Error('fitTemperature: logits has 1 class; with one class every temperature gives probability 1 and NLL 0')
  return { z, n, c }
}

/** NLL' must be negative as β → 0 and positive as β → ∞, else the NLL keeps falling toward T = ∞ or T = 0. */
function checkOptimumExists(z: Float64Array, y: Int32Array | readonly number[], n: number, c: number): void {
  // As β → 0 (T → ∞): NLL' = mean(mean_c z − z_y). If it is not negative, the labels are no more
  // likely than under the uniform guess, and the NLL falls all the way to T = ∞.
  const atZero = derivatives(z, y, n, c, 0).slope
  if (!(atZero < 0)) {
    throw new Error(
      'fitTemperature: on average the logits favour the true class no more than a uniform guess does ' +
        `(NLL'(1/T → 0) = ${atZero}), so the NLL keeps falling as T → ∞ and no finite temperature minimises it. ` +
        'Check that the labels match the rows of the logits.',
    )
  }
  // As β → ∞ (T → 0): NLL' → mean(max_c z − z_y), which is 0 only when every row's true class has the
  // largest logit. Then the NLL keeps falling as T → 0 and there is no optimum either.
  let limit = 0
  for (let i = 0; i < n; i++) {
    let m = -Infinity
    for (let k = 0; k < c; k++) m = Math.max(m, z[i * c + k])
    limit += m - z[i * c + y[i]]
  }
  if (limit === 0) {
    throw new Error(
      'fitTemperature: the logits put the true class of every row first (the data is perfectly separated), so the NLL ' +
        'keeps falling as T → 0 and no finite temperature minimises it. Fit T on held-out data the model gets some rows wrong on.',
    )
  }
}

/** NLL'(β) and NLL''(β) of the logits being fitted. */
type DerivativesAt = (beta: number) => { slope: number; curvature: number }

/** A bracket of the root of NLL': slope ≤ 0 at lo (< 0 at the start, 0) and > 0 at hi, which doubles from 1 until it is. */
function bracketRoot(derivativesAt: DerivativesAt, z: Float64Array): { lo: number; hi: number } {
  let largest = 0
  for (let i = 0; i < z.length; i++) largest = Math.max(largest, Math.abs(z[i]))
  let lo = 0
  let hi = 1
  while (derivativesAt(hi).slope <= 0) {
    lo = hi
    hi *= 2
    if (!Number.isFinite(hi * largest)) {
      throw new Error('fitTemperature: the optimal 1/T overflows; the logits are separated by gaps too small to scale')
    }
  }
  return { lo, hi }
}

/** Safeguarded Newton for the root of NLL': start in the bracket, shrink the bracket with every evaluation. */
function newtonInBracket(derivativesAt: DerivativesAt, lo: number, hi: number): number {
  let beta = (lo + hi) / 2
  for (let iteration = 0; iteration < 200; iteration++) {
    const { slope, curvature } = derivativesAt(beta)
    if (slope === 0) return beta
    if (slope < 0) lo = beta
    else hi = beta
    let next = beta - slope / curvature
    if (!(next > lo && next < hi)) next = (lo + hi) / 2 // Newton left the bracket (or curvature was 0): bisect
    const converged = Math.abs(next - beta) <= 1e-14 * beta || hi - lo <= 1e-15 * hi
    beta = next
    if (converged) break
  }
  return beta
}
