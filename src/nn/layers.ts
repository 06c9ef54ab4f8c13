/**
 * The layers: Linear, the activations, Dropout. Each composes ops in `forward` and never
 * writes a backward; each gives its settings with config(), is rebuilt by fromConfig and
 * registers itself, so a model file can name it.
 */
import { Tensor } from '../tensor.js'
import { linear, relu, leakyRelu, tanh, sigmoid, mul } from '../ops/index.js'
import { getRng, type Rng } from '../random.js'
import { Module } from './module.js'
import { registerModule } from './registry.js'

/** What a model file keeps of a Linear layer (its weights go in the state dict). */
type LinearConfig = { inFeatures: number; outFeatures: number; bias: boolean }

/**
 * y = x·Wᵀ + b with W [out, in] and b [out]: PyTorch's layout and PyTorch's initialisation
 * (both uniform in ±1/√in), so a state dict moves between the two.
 *
 *   new nn.Linear(2, 3, { rng: makeRng(0) }).forward(x [N, 2]) → [N, 3]
 */
export class Linear extends Module {
  readonly inFeatures: number
  readonly outFeatures: number
  weight: Tensor
  bias: Tensor | null

  constructor(inFeatures: number, outFeatures: number, { bias = true, rng }: { bias?: boolean; rng?: Rng } = {}) {
    super()
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`nn.Linear: ${name} must be a whole number ≥ 1, got ${v}`)
    }
    this.inFeatures = inFeatures
    this.outFeatures = outFeatures
    const random = getRng(rng)
    const bound = 1 / Math.sqrt(inFeatures)
    const uniform = (n: number) => Float64Array.from({ length: n }, () => (2 * random() - 1) * bound)
    this.weight = new Tensor(uniform(outFeatures * inFeatures), [outFeatures, inFeatures], { requiresGrad: true })
    this.bias = bias ? new Tensor(uniform(outFeatures), [outFeatures], { requiresGrad: true }) : null
  }

  forward(x: Tensor): Tensor {
    if (x.shape.length !== 2 || x.shape[1] !== this.inFeatures) {
      throw new Error(`nn.Linear(${this.inFeatures}, ${this.outFeatures}): expects input [N, ${this.inFeatures}], got [${x.shape.join(',')}]`)
    }
    this.weight.name ??= 'weight' // a Sequential names it '0.weight' first
    if (this.bias !== null) this.bias.name ??= 'bias'
    return linear(x, this.weight, this.bias)
  }

  config(): LinearConfig {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null }
  }

  static fromConfig({ inFeatures, outFeatures, bias }: LinearConfig): Linear {
    return new Linear(inFeatures, outFeatures, { bias })
  }
}
registerModule(Linear, 'Linear')

/** The config of a layer built with no arguments. */
type NoSettings = Record<string, never>

/** max(x, 0) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x)
  }

  config(): NoSettings {
    return {}
  }

  static fromConfig(): ReLU {
    return new ReLU()
  }
}
registerModule(ReLU, 'ReLU')

/** x > 0 ? x : negativeSlope · x (default 0.01, as PyTorch) */
export class LeakyReLU extends Module {
  readonly negativeSlope: number

  constructor(negativeSlope = 0.01) {
    super()
    this.negativeSlope = negativeSlope
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope)
  }

  config(): { negativeSlope: number } {
    return { negativeSlope: this.negativeSlope }
  }

  static fromConfig({ negativeSlope }: { negativeSlope: number }): LeakyReLU {
    return new LeakyReLU(negativeSlope)
  }
}
registerModule(LeakyReLU, 'LeakyReLU')

/** tanh(x) */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x)
  }

  config(): NoSettings {
    return {}
  }

  static fromConfig(): Tanh {
    return new Tanh()
  }
}
registerModule(Tanh, 'Tanh')

/** 1 / (1 + e⁻ˣ) */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x)
  }

  config(): NoSettings {
    return {}
  }

  static fromConfig(): Sigmoid {
    return new Sigmoid()
  }
}
registerModule(Sigmoid, 'Sigmoid')

/**
 * In train(): zeroes each number with probability p and scales the rest by 1/(1−p), so the
 * expected output is x. In eval(): x unchanged.
 */
export class Dropout extends Module {
  readonly p: number
  private readonly rng: Rng | undefined

  constructor(p = 0.5, { rng }: { rng?: Rng } = {}) {
    super()
    if (!(p >= 0 && p < 1)) throw new Error(`nn.Dropout: p must be in [0, 1), got ${p}`)
    this.p = p
    this.rng = rng
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x
    const random = getRng(this.rng)
    const keep = 1 / (1 - this.p)
    const mask = new Float64Array(x.size)
    for (let i = 0; i < mask.length; i++) mask[i] = random() < this.p ? 0 : keep
    return mul(x, new Tensor(mask, x.shape))
  }

  /** NOTE: the rng is not a setting a file can hold; a loaded Dropout draws from the default generator. */
  config(): { p: number } {
    return { p: this.p }
  }

  static fromConfig({ p }: { p: number }): Dropout {
    return new Dropout(p)
  }
}
registerModule(Dropout, 'Dropout')
