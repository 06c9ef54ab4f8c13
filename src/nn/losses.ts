/**
 * Losses, used as `loss.forward(input, target)` → a scalar tensor (or one value per row with
 * reduction 'none'). Only SoftmaxCrossEntropy and BCEWithLogits are fused ops (for stability
 * and speed); NLLLoss and MSELoss are compositions of ops, with no backward of their own.
 */
import { Tensor } from '../tensor.js'
import { tensor } from '../creation.js'
import { classWeights } from '../ops/checks.js'
import { gather, mul, div, neg, sub, pow, sum, mean, reshape, softmaxCrossEntropy, type CrossEntropyOptions, type CrossEntropyTarget, type Reduction, bceWithLogits } from '../ops/index.js'
import { formatShape, sameShape } from '../shape.js'

export type { CrossEntropyOptions, CrossEntropyTarget, Reduction }

export interface Loss {
  forward(input: Tensor, target: CrossEntropyTarget): Tensor
}

function reduce(losses: Tensor, reduction: Reduction, op: string): Tensor {
  if (reduction === 'none') return losses
  if (reduction === 'sum') return sum(losses)
  if (reduction === 'mean') return mean(losses)
  throw new Error(`${op}: reduction must be 'none', 'mean' or 'sum', got ${String(reduction)}`)
}

/**
 * Softmax followed by cross-entropy, fused: `new nn.SoftmaxCrossEntropy().forward(logits, labels)`.
 * Its gradient with respect to the logits is (softmax(z) − y)/N. Exactly torch.nn.CrossEntropyLoss.
 */
export class SoftmaxCrossEntropy implements Loss {
  readonly options: CrossEntropyOptions

  constructor(options: CrossEntropyOptions = {}) {
    this.options = { ...options }
  }

  forward(logits: Tensor, target: CrossEntropyTarget): Tensor {
    return softmaxCrossEntropy(logits, target, this.options, this.constructor.name)
  }
}

/** The same loss under PyTorch's name. */
export class CrossEntropyLoss extends SoftmaxCrossEntropy {}

export interface NLLOptions {
  reduction?: Reduction
  weight?: Tensor | Float64Array | readonly number[]
  ignoreIndex?: number
}

/**
 * Negative log-likelihood of log-probabilities [N, C] (the output of LogSoftmax):
 * lₙ = −w_{yₙ} · log pₙ,yₙ; the mean divides by Σ w_{yₙ} over non-ignored rows, as PyTorch.
 * Composed: gather the label's column, weight it, sum, divide.
 */
export class NLLLoss implements Loss {
  readonly options: NLLOptions

  constructor(options: NLLOptions = {}) {
    this.options = { ...options }
  }

  forward(logProbs: Tensor, target: CrossEntropyTarget): Tensor {
    const { reduction = 'mean', ignoreIndex = -100 } = this.options
    if (logProbs.shape.length !== 2) throw new Error(`NLLLoss: input must be [N, C] log-probabilities, got ${formatShape(logProbs.shape)}`)
    if (target instanceof Tensor) throw new Error('NLLLoss: the target is class indices (Int32Array or number[]); for probability targets use SoftmaxCrossEntropy')
    const [n, c] = logProbs.shape
    if (target.length !== n) throw new Error(`NLLLoss: ${target.length} labels for ${n} rows; there must be one label per row`)
    const w = classWeights(this.options.weight, c, 'NLLLoss')
    const index = new Int32Array(n)
    const rowWeight = new Float64Array(n)
    let totalWeight = 0
    for (let i = 0; i < n; i++) {
      const y = target[i]
      if (y === ignoreIndex) continue // index 0, weight 0: the row contributes nothing
      if (!Number.isInteger(y) || y < 0 || y >= c) throw new Error(`NLLLoss: label ${y} at row ${i} is outside [0, ${c}) (ignoreIndex is ${ignoreIndex})`)
      index[i] = y
      rowWeight[i] = w[y]
      totalWeight += w[y]
    }
    const picked = reshape(gather(logProbs, 1, index), [n])
    const losses = neg(mul(picked, tensor(rowWeight)))
    if (reduction === 'mean') return div(sum(losses), totalWeight)
    return reduce(losses, reduction, 'NLLLoss')
  }
}

export interface BCEOptions {
  reduction?: Reduction
  /** a weight per element, broadcast against the logits (e.g. one per class) */
  weight?: Tensor | readonly number[]
}

/**
 * Binary cross-entropy on logits, one sigmoid per output (multi-label): targets in [0, 1] of the
 * logits' shape. Stable form max(x,0) − x·y + log(1 + e^(−|x|)); gradient σ(x) − y.
 */
export class BCEWithLogitsLoss {
  readonly options: BCEOptions

  constructor(options: BCEOptions = {}) {
    this.options = { ...options }
  }

  forward(logits: Tensor, target: Tensor): Tensor {
    let losses = bceWithLogits(logits, target)
    const { weight, reduction = 'mean' } = this.options
    if (weight !== undefined) losses = mul(losses, weight instanceof Tensor ? weight : tensor(weight as number[]))
    return reduce(losses, reduction, 'BCEWithLogitsLoss')
  }
}

/** Mean squared error: mean((x − y)²). Composed from sub, pow and mean. */
export class MSELoss {
  readonly reduction: Reduction

  constructor({ reduction = 'mean' }: { reduction?: Reduction } = {}) {
    this.reduction = reduction
  }

  forward(input: Tensor, target: Tensor): Tensor {
    if (!sameShape(input.shape, target.shape)) {
      throw new Error(`MSELoss: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} must have the same shape`)
    }
    return reduce(pow(sub(input, target), 2), this.reduction, 'MSELoss')
  }
}
