/**
 * The fused softmax cross-entropy, from logits z [N, C]:
 *
 *   log p  = logSoftmax(z / T)
 *   lₙ     = −Σ_c aₙ꜀ · log pₙ꜀          aₙ is row n's target weights (below)
 *   dz     = dOut · (pₙ · Aₙ − aₙ) / T   Aₙ = Σ_c aₙ꜀; with plain labels Aₙ = 1 and this is p − y
 *
 * The target weights follow torch.nn.CrossEntropyLoss exactly:
 *   class indices yₙ:        aₙ = (1−ε)·w_{yₙ}·onehot(yₙ) + (ε/C)·w     (ignored rows: aₙ = 0)
 *   probabilities qₙ:        aₙ = w ⊙ ((1−ε)·qₙ + ε/C)
 * and the mean divides Σ lₙ by Σ w_{yₙ} over non-ignored rows (indices) or by N (probabilities).
 *
 * It is fused (one op, not logSoftmax → gather → mean) for stability and speed: the backward
 * writes p − y straight into dz, and no log(0) is ever multiplied by a zero weight.
 */
import { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { logSoftmaxKernel } from '../kernels/softmax.js'
import { checkTemperature } from './checks.js'
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

export interface FusedParams {
  /** the target weights aₙ꜀, [N, C] */
  a: Float64Array
  /** Aₙ = Σ_c aₙ꜀ */
  rowTotal: Float64Array
  n: number
  c: number
  temperature: number
  reduction: Reduction
  /** what the mean divides by */
  divisor: number
}

export const softmaxCrossEntropyOp = defineOp({
  name: 'softmaxCrossEntropy',
  rule: 'dz = (p − y)/N',
  forward([z]: readonly Tensor[], params: FusedParams) {
    const { a, n, c, temperature, reduction, divisor } = params
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
  backward(dOut, { a, rowTotal, n, c, temperature, reduction, divisor, logP }) {
    const dZ = allocate(n * c)
    for (let i = 0; i < n; i++) {
      const scale = (reduction === 'none' ? dOut[i] : reduction === 'mean' ? dOut[0] / divisor : dOut[0]) / temperature
      for (let k = i * c; k < (i + 1) * c; k++) dZ[k] = scale * (Math.exp(logP[k]) * rowTotal[i] - a[k])
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
  const w = classWeights(options.weight, c, op)
  const eps = labelSmoothing
  const a = allocate(n * c)
  let divisor: number

  if (target instanceof Tensor) {
    // Probability targets: each row a distribution over the classes.
    if (!sameShape(target.shape, logits.shape)) {
      throw new Error(
        `${op}: probability targets must have the logits' shape ${formatShape(logits.shape)}, got ${formatShape(target.shape)} ` +
          `(pass class indices as an Int32Array or number[])`,
      )
    }
    for (let i = 0; i < n; i++) {
      let rowSum = 0
      for (let k = 0; k < c; k++) {
        const q = target.data[i * c + k]
        if (!(q >= 0 && q <= 1)) throw new Error(`${op}: soft target row ${i} holds ${q} at class ${k}; probabilities lie in [0, 1]`)
        rowSum += q
        a[i * c + k] = w[k] * ((1 - eps) * q + eps / c)
      }
      if (Math.abs(rowSum - 1) > 1e-6) {
        throw new Error(`${op}: soft target row ${i} sums to ${rowSum}, not 1; each row must be a probability distribution`)
      }
    }
    divisor = n
  } else {
    // Class indices: row n puts (1−ε)·w_y on its label and ε/C·w_c on every class.
    if (target.length !== n) {
      throw new Error(`${op}: ${target.length} labels for ${n} rows of logits ${formatShape(logits.shape)}; there must be one label per row`)
    }
    divisor = 0
    for (let i = 0; i < n; i++) {
      const y = target[i]
      if (y === ignoreIndex) continue
      if (!Number.isInteger(y) || y < 0 || y >= c) {
        throw new Error(`${op}: label ${y} at row ${i} is outside [0, ${c}) for ${c} classes (ignoreIndex is ${ignoreIndex})`)
      }
      for (let k = 0; k < c; k++) a[i * c + k] = (eps / c) * w[k]
      a[i * c + y] += (1 - eps) * w[y]
      divisor += w[y]
    }
  }

  const rowTotal = allocate(n)
  for (let i = 0; i < n; i++) {
    let t = 0
    for (let k = i * c; k < (i + 1) * c; k++) t += a[k]
    rowTotal[i] = t
  }
  return { a, rowTotal, n, c, temperature, reduction, divisor }
}

/** The class weights as numbers, all 1 when none are given. */
export function classWeights(weight: CrossEntropyOptions['weight'], c: number, op: string): Float64Array {
  if (weight === undefined) return allocate(c).fill(1)
  const w = weight instanceof Tensor ? weight.data : Float64Array.from(weight)
  if (w.length !== c) throw new Error(`${op}: weight has ${w.length} entries for ${c} classes; give one weight per class`)
  for (let k = 0; k < c; k++) {
    if (!Number.isFinite(w[k]) || w[k] < 0) throw new Error(`${op}: weight[${k}] is ${w[k]}; class weights are finite numbers ≥ 0`)
  }
  return w
}
