/**
 * The fused softmax cross-entropy, from logits z [N, C], as torch.nn.CrossEntropyLoss exactly:
 *
 *   p   = softmax(z / T)                   computed as log p = logSoftmax(z / T): stable for ±1e300
 *   lₙ  = −Σ_c aₙ꜀ · log pₙ꜀                aₙ is row n's target weights (below)
 *   the loss is lₙ ('none'), Σ lₙ ('sum') or Σ lₙ / D ('mean')
 *
 * The target weights, with label smoothing ε and class weights w (all 1 when none are given):
 *   class indices yₙ:   aₙ = (1−ε)·w_{yₙ}·onehot(yₙ) + (ε/C)·w      (a row left out by ignoreIndex: aₙ = 0)
 *   probabilities qₙ:   aₙ = w ⊙ ((1−ε)·qₙ + ε/C)
 * The mean's divisor D is Σ w_{yₙ} over the rows kept (class indices), or N (probabilities).
 *
 * The backward is dz = (pₙ·Σ_c aₙ꜀ − aₙ) · dOut / T, written for each kind of target:
 *   class indices:   dz = (1−ε)·w_y·(p − onehot(y))     the plain gradient p − y, with the label's weight
 *                       + (ε/C)·(p·Σw − w)               label smoothing's share, only when ε > 0
 *   probabilities:   dz = p·Σa − a                      = p − q with no weights and no smoothing
 * then scaled by dOut / T, and by 1/D for the mean. With neither weights nor smoothing and T = 1,
 * the mean's gradient is (p − onehot(y)) / N.
 *
 * It is fused (one op, not logSoftmax → gather → mean) for stability and speed: the backward
 * writes p − y straight into dz, and no log(0) is ever multiplied by a zero weight.
 */
import { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { logSoftmaxKernel } from '../kernels/softmax.js'
import { checkTemperature, classWeights } from './checks.js'
import { formatShape, sameShape } from '../shape.js'
import { allocate } from '../buffers.js'

export type Reduction = 'none' | 'mean' | 'sum'

export interface CrossEntropyOptions {
  /** default 'mean' */
  reduction?: Reduction
  /** ε in [0, 1], default 0 */
  labelSmoothing?: number
  /** one weight per class */
  weight?: Tensor | Float64Array | readonly number[]
  /** rows whose label equals this are left out; default −100 as in PyTorch */
  ignoreIndex?: number
  /** the logits are divided by T first; default 1 */
  temperature?: number
}

/** Class indices, or a probability tensor of the logits' shape (soft targets). */
export type CrossEntropyTarget = Int32Array | readonly number[] | Tensor

/** yₙ of a row that ignoreIndex leaves out. */
const IGNORED = -1

export interface FusedParams {
  /** the target weights aₙ꜀, [N, C] */
  targetWeights: Float64Array
  /** class-index targets: the label yₙ of each row, −1 for a row left out; null for probability targets */
  y: Float64Array | null
  /** the class weights, [C] */
  w: Float64Array
  /** the label smoothing ε */
  eps: number
  n: number
  c: number
  temperature: number
  reduction: Reduction
  /** D, what the mean divides by */
  divisor: number
}

export const softmaxCrossEntropyOp = defineOp({
  name: 'softmaxCrossEntropy',
  rule: 'dz = (p − y)/N',
  forward([z]: readonly Tensor[], params: FusedParams) {
    const { targetWeights: a, n, c, temperature, reduction, divisor } = params
    const logP = logSoftmaxKernel(z.data, n, c, 1, 1 / temperature)
    const rowLoss = allocate(n)
    for (let i = 0; i < n; i++) {
      let l = 0
      for (let k = i * c; k < (i + 1) * c; k++) if (a[k] !== 0) l -= a[k] * logP[k]
      rowLoss[i] = l
    }
    let out: Float64Array
    if (reduction === 'none') {
      out = rowLoss
    } else {
      let total = 0
      for (let i = 0; i < n; i++) total += rowLoss[i]
      out = Float64Array.of(reduction === 'mean' ? total / divisor : total)
    }
    return { out, shape: reduction === 'none' ? [n] : [], saved: { ...params, logP } }
  },
  backward(dOut, { targetWeights: a, y, w, eps, n, c, temperature, reduction, divisor, logP }) {
    const dZ = allocate(n * c)
    const weightSum = eps > 0 ? sumOf(w) : 0
    for (let i = 0; i < n; i++) {
      const row = i * c
      // the gradient reaching lₙ (÷ D for the mean), then 1/T for z / T
      const dLoss = reduction === 'none' ? dOut[i] : reduction === 'mean' ? dOut[0] / divisor : dOut[0]
      const scale = dLoss / temperature

      if (y !== null) {
        // class indices: (1−ε)·w_y·(p − onehot(y)), plus label smoothing's (ε/C)·(p·Σw − w)
        const label = y[i]
        if (label === IGNORED) continue // a row left out has dz = 0
        const labelWeight = (1 - eps) * w[label]
        for (let k = 0; k < c; k++) {
          const p = Math.exp(logP[row + k])
          const onehot = k === label ? 1 : 0
          let dz = labelWeight * (p - onehot)
          if (eps > 0) dz += (eps / c) * (p * weightSum - w[k])
          dZ[row + k] = scale * dz
        }
      } else {
        // probability targets: p·Σa − a, which is p − q with no weights and no smoothing
        const aTotal = sumOf(a, row, row + c)
        for (let k = row; k < row + c; k++) dZ[k] = scale * (Math.exp(logP[k]) * aTotal - a[k])
      }
    }
    return [dZ]
  },
})

/**
 * softmaxCrossEntropy(logits [N, C], labels) → the mean loss, as torch.nn.CrossEntropyLoss.
 * See CrossEntropyOptions for smoothing, class weights, ignoreIndex, soft targets, temperature.
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: CrossEntropyTarget,
  options: CrossEntropyOptions = {},
  op = 'SoftmaxCrossEntropy',
): Tensor {
  return apply(softmaxCrossEntropyOp, [logits], crossEntropyParams(logits, target, options, op))
}

function crossEntropyParams(logits: Tensor, target: CrossEntropyTarget, options: CrossEntropyOptions, op: string): FusedParams {
  const { n, c, reduction, eps, ignoreIndex, temperature } = checkOptions(logits, options, op)
  const w = classWeights(options.weight, c, op)
  if (target instanceof Tensor) {
    const targetWeights = probabilityTargetWeights(target, logits, w, eps, op)
    return { targetWeights, y: null, w, eps, n, c, temperature, reduction, divisor: meanDivisor(null, w, n) }
  }
  const y = checkLabels(target, logits, ignoreIndex, op)
  const targetWeights = indexTargetWeights(y, w, eps)
  return { targetWeights, y, w, eps, n, c, temperature, reduction, divisor: meanDivisor(y, w, n) }
}

/** Check that the logits are [N, C] and the options are in range, and fill in the defaults. */
function checkOptions(
  logits: Tensor,
  options: CrossEntropyOptions,
  op: string,
): { n: number; c: number; reduction: Reduction; eps: number; ignoreIndex: number; temperature: number } {
  const { reduction = 'mean', labelSmoothing = 0, ignoreIndex = -100, temperature = 1 } = options
  if (logits.shape.length !== 2) {
    throw new Error(`${op}: logits must be [N, C] (a row of class scores per sample), got ${formatShape(logits.shape)}`)
  }
  const [n, c] = logits.shape
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') {
    throw new Error(`${op}: reduction must be 'none', 'mean' or 'sum', got ${String(reduction)}`)
  }
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new Error(`${op}: labelSmoothing must be in [0, 1], got ${labelSmoothing}`)
  }
  checkTemperature(temperature, op)
  return { n, c, reduction, eps: labelSmoothing, ignoreIndex, temperature }
}

/** Each row's label yₙ, −1 for a row whose label is ignoreIndex; a label outside [0, C) is an error. */
function checkLabels(target: Int32Array | readonly number[], logits: Tensor, ignoreIndex: number, op: string): Float64Array {
  const [n, c] = logits.shape
  if (target.length !== n) {
    throw new Error(`${op}: ${target.length} labels for ${n} rows of logits ${formatShape(logits.shape)}; there must be one label per row`)
  }
  const y = allocate(n)
  for (let i = 0; i < n; i++) {
    const label = target[i]
    if (label === ignoreIndex) {
      y[i] = IGNORED
    } else if (!Number.isInteger(label) || label < 0 || label >= c) {
      throw new Error(`${op}: label ${label} at row ${i} is outside [0, ${c}) for ${c} classes (ignoreIndex is ${ignoreIndex})`)
    } else {
      y[i] = label
    }
  }
  return y
}

/** Class indices: aₙ = (ε/C)·w + (1−ε)·w_{yₙ}·onehot(yₙ), and aₙ = 0 for a row left out. */
function indexTargetWeights(y: Float64Array, w: Float64Array, eps: number): Float64Array {
  const n = y.length
  const c = w.length
  const targetWeights = allocate(n * c)
  for (let i = 0; i < n; i++) {
    const label = y[i]
    if (label === IGNORED) continue
    for (let k = 0; k < c; k++) targetWeights[i * c + k] = (eps / c) * w[k] // label smoothing: ε/C of every class
    targetWeights[i * c + label] += (1 - eps) * w[label] // the label: 1 − ε of its class weight
  }
  return targetWeights
}

/** Probability targets: aₙ = w ⊙ ((1−ε)·qₙ + ε/C), where each row of q must be a probability distribution. */
function probabilityTargetWeights(q: Tensor, logits: Tensor, w: Float64Array, eps: number, op: string): Float64Array {
  if (!sameShape(q.shape, logits.shape)) {
    throw new Error(
      `${op}: probability targets must have the logits' shape ${formatShape(logits.shape)}, got ${formatShape(q.shape)} ` +
        `(pass class indices as an Int32Array or number[])`,
    )
  }
  const [n, c] = logits.shape
  const targetWeights = allocate(n * c)
  for (let i = 0; i < n; i++) {
    let rowSum = 0
    for (let k = 0; k < c; k++) {
      const qk = q.data[i * c + k]
      if (!(qk >= 0 && qk <= 1)) throw new Error(`${op}: soft target row ${i} holds ${qk} at class ${k}; probabilities lie in [0, 1]`)
      rowSum += qk
      const smoothed = (1 - eps) * qk + eps / c // label smoothing
      targetWeights[i * c + k] = w[k] * smoothed // class weight
    }
    if (Math.abs(rowSum - 1) > 1e-6) {
      throw new Error(`${op}: soft target row ${i} sums to ${rowSum}, not 1; each row must be a probability distribution`)
    }
  }
  return targetWeights
}

/** D, what the mean divides Σ lₙ by: Σ w_{yₙ} over the rows kept (class indices y), or N (probability targets, y null). */
function meanDivisor(y: Float64Array | null, w: Float64Array, n: number): number {
  if (y === null) return n
  let divisor = 0
  for (let i = 0; i < n; i++) if (y[i] !== IGNORED) divisor += w[y[i]]
  return divisor
}

/** Σ x[k] for k in [start, end). */
function sumOf(x: Float64Array, start = 0, end = x.length): number {
  let total = 0
  for (let k = start; k < end; k++) total += x[k]
  return total
}
