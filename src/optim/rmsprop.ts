/**
 * RMSprop (Hinton, 2012), exactly torch.optim.RMSprop. For each parameter θ with gradient ∇θ:
 *
 *   g ← ∇θ + λ·θ                          weight decay λ (coupled: part of the gradient)
 *   s ← α·s + (1 − α)·g²                  a running mean of g²
 *   a ← α·a + (1 − α)·g      (centered)   a running mean of g, to subtract its square:
 *   r ← √(s − a²) + ε        (centered)   the running standard deviation of g
 *   r ← √s + ε               (otherwise)  its root mean square
 *   b ← μ·b + g / r,  θ ← θ − lr·b        with momentum μ > 0 (b starts at 0)
 *   θ ← θ − lr · g / r                    without
 *
 * ε is added after the square root, as torch does. The order of operations follows torch's so
 * that the numbers agree with torch's to the last bit or nearly.
 */
import type { Tensor } from '../tensor.js'
import {
  checkDecay, checkNonNegative, checkParams, checkPositive, checkStateKind, fma, gradientsOf, loadBuffers, saveBuffers,
  zeroGrads, type Optimizer, type OptimizerState, type ZeroGradOptions,
} from './optimizer.js'

export interface RMSpropOptions {
  /** default 1e-2 */
  lr?: number
  /** the decay of the running means, in [0, 1); default 0.99 */
  alpha?: number
  /** added to the denominator; default 1e-8 */
  eps?: number
  /** default 0 */
  momentum?: number
  /** divide by the running standard deviation instead of the root mean square; default false */
  centered?: boolean
  /** default 0 */
  weightDecay?: number
}

/** What RMSprop.stateDict() returns; one entry per parameter, null before its first step (or when unused). */
export interface RMSpropState extends OptimizerState {
  kind: 'RMSprop'
  /** the steps each parameter has taken (RMSprop's update does not use it; torch keeps it too) */
  steps: number[]
  squareAvg: Array<number[] | null>
  /** centered only */
  gradAvg: Array<number[] | null>
  /** momentum > 0 only */
  momentumBuffer: Array<number[] | null>
}

/** new optim.RMSprop(model.parameters(), { lr: 1e-2, momentum: 0.9 }) */
export class RMSprop implements Optimizer {
  readonly params: Tensor[]
  lr: number
  readonly alpha: number
  readonly eps: number
  readonly momentum: number
  readonly centered: boolean
  readonly weightDecay: number
  private steps: number[]
  /** s, a and b of each parameter; null until its first step */
  private squareAvg: Array<Float64Array | null>
  private gradAvg: Array<Float64Array | null>
  private momentumBuffer: Array<Float64Array | null>

  constructor(params: Iterable<Tensor>, options: RMSpropOptions = {}) {
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, momentum = 0, centered = false, weightDecay = 0 } = options ?? {}
    checkNonNegative(lr, 'lr', 'RMSprop')
    checkDecay(alpha, 'alpha', 'RMSprop')
    checkPositive(eps, 'eps', 'RMSprop')
    checkNonNegative(momentum, 'momentum', 'RMSprop')
    checkNonNegative(weightDecay, 'weightDecay', 'RMSprop')
    this.params = checkParams(params, 'RMSprop')
    this.lr = lr
    this.alpha = alpha
    this.eps = eps
    this.momentum = momentum
    this.centered = centered
    this.weightDecay = weightDecay
    this.steps = this.params.map(() => 0)
    this.squareAvg = this.params.map(() => null)
    this.gradAvg = this.params.map(() => null)
    this.momentumBuffer = this.params.map(() => null)
  }

  step(): void {
    const { lr, alpha, eps, momentum: mu, centered, weightDecay: wd } = this
    const grads = gradientsOf(this.params, 'RMSprop')
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]
      const grad = grads[k]
      if (grad === null) continue
      const theta = p.data
      const n = theta.length
      const s = (this.squareAvg[k] ??= new Float64Array(n))
      const a = centered ? (this.gradAvg[k] ??= new Float64Array(n)) : null
      const b = mu > 0 ? (this.momentumBuffer[k] ??= new Float64Array(n)) : null
      this.steps[k]++
      // fma(x, y, z) is x·y + z rounded once, as torch's compiled kernels compute it.
      for (let i = 0; i < n; i++) {
        const g = wd === 0 ? grad[i] : fma(wd, theta[i], grad[i]) // g ← ∇θ + λ·θ
        s[i] = fma((1 - alpha) * g, g, s[i] * alpha) //               s ← α·s + (1 − α)·g²
        let r: number
        if (a !== null) {
          a[i] = fma(1 - alpha, g, a[i] * alpha) //                  a ← α·a + (1 − α)·g
          r = Math.sqrt(fma(-a[i], a[i], s[i])) + eps //             r ← √(s − a²) + ε
        } else {
          r = Math.sqrt(s[i]) + eps //                                r ← √s + ε
        }
        if (b !== null) {
          b[i] = b[i] * mu + g / r //                                 b ← μ·b + g/r
          theta[i] = fma(-lr, b[i], theta[i]) //                      θ ← θ − lr·b
        } else {
          theta[i] = theta[i] + (-lr * g) / r //                      θ ← θ − lr·g/r
        }
      }
    }
  }

  zeroGrad(options?: ZeroGradOptions): void {
    zeroGrads(this.params, options)
  }

  /** The running means and momentum, copied, so training can resume exactly. */
  stateDict(): RMSpropState {
    return {
      kind: 'RMSprop',
      lr: this.lr,
      steps: this.steps.slice(),
      squareAvg: saveBuffers(this.squareAvg),
      gradAvg: saveBuffers(this.gradAvg),
      momentumBuffer: saveBuffers(this.momentumBuffer),
    }
  }

  loadStateDict(state: RMSpropState): void {
    checkStateKind(state, 'RMSprop')
    const steps = state.steps
    if (!Array.isArray(steps) || steps.length !== this.params.length || !steps.every((t) => Number.isInteger(t) && t >= 0)) {
      throw new Error(`RMSprop.loadStateDict: expected steps to hold ${this.params.length} whole numbers ≥ 0 (one per parameter), got ${JSON.stringify(steps)}`)
    }
    const squareAvg = loadBuffers(state.squareAvg, this.params, 'squareAvg', 'RMSprop')
    const gradAvg = loadBuffers(state.gradAvg, this.params, 'gradAvg', 'RMSprop')
    const momentumBuffer = loadBuffers(state.momentumBuffer, this.params, 'momentumBuffer', 'RMSprop')
    steps.forEach((t, k) => {
      if (t === 0) return
      if (squareAvg[k] === null) throw new Error(`RMSprop.loadStateDict: parameter ${k} has taken ${t} steps but its squareAvg buffer is missing`)
      if (this.centered !== (gradAvg[k] !== null)) {
        throw new Error(`RMSprop.loadStateDict: the state was saved with centered = ${!this.centered} but this RMSprop has centered = ${this.centered}`)
      }
      if (this.momentum > 0 !== (momentumBuffer[k] !== null)) {
        throw new Error(`RMSprop.loadStateDict: the state was saved ${this.momentum > 0 ? 'without' : 'with'} momentum but this RMSprop has momentum = ${this.momentum}`)
      }
    })
    this.lr = state.lr
    this.steps = steps.slice()
    this.squareAvg = squareAvg
    this.gradAvg = gradAvg
    this.momentumBuffer = momentumBuffer
  }
}
