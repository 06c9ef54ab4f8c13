/**
 * Adam (Kingma & Ba, 2015), exactly torch.optim.Adam. For each parameter θ with gradient ∇θ:
 *
 *   g ← ∇θ + λ·θ                          weight decay λ (coupled: part of the gradient, L2)
 *   t ← t + 1                             this parameter's step count
 *   m ← β₁·m + (1 − β₁)·g                 first moment: a running mean of g
 *   v ← β₂·v + (1 − β₂)·g²                second moment: a running mean of g²
 *   v ← max(vmax, v)  (amsgrad)           vmax keeps the largest v seen and replaces v below
 *   θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * m and v start at 0, so early on they are too small by the factors 1 − β₁ᵗ and 1 − β₂ᵗ: the
 * bias correction DIVIDES by them. The order of operations is torch's (step size first, ε added
 * after dividing √v), so the numbers agree with torch's to the last bit or nearly.
 * AdamW (adamw.ts) is the same update with the weight decay moved out of g.
 */
import type { Tensor } from '../tensor.js'
import {
  checkDecay, checkNonNegative, checkParams, checkPositive, checkStateKind, fma, gradientsOf, loadBuffers, powInt, saveBuffers,
  zeroGrads, type Optimizer, type OptimizerState, type ZeroGradOptions,
} from './optimizer.js'

export interface AdamOptions {
  /** default 1e-3 */
  lr?: number
  /** (β₁, β₂), each in [0, 1); default [0.9, 0.999] */
  betas?: readonly [number, number]
  /** added to the denominator; default 1e-8 */
  eps?: number
  /** default 0 for Adam, 1e-2 for AdamW */
  weightDecay?: number
  /** keep the largest second moment seen (Reddi et al., 2018); default false */
  amsgrad?: boolean
}

/** What Adam.stateDict() and AdamW.stateDict() return; one entry per parameter, null before its first step. */
export interface AdamState extends OptimizerState {
  kind: 'Adam' | 'AdamW'
  /** t of each parameter (a parameter without a gradient does not count a step) */
  steps: number[]
  expAvg: Array<number[] | null>
  expAvgSq: Array<number[] | null>
  /** amsgrad only; all null otherwise */
  maxExpAvgSq: Array<number[] | null>
}

/** Adam and AdamW differ only in where weight decay enters; this holds everything else. */
export abstract class AdamBase implements Optimizer {
  readonly params: Tensor[]
  lr: number
  readonly betas: readonly [number, number]
  readonly eps: number
  readonly weightDecay: number
  readonly amsgrad: boolean
  /** each parameter's step count t */
  private steps: number[]
  /** m, v and (amsgrad) vmax of each parameter; null until its first step */
  private expAvg: Array<Float64Array | null>
  private expAvgSq: Array<Float64Array | null>
  private maxExpAvgSq: Array<Float64Array | null>

  protected constructor(readonly kind: 'Adam' | 'AdamW', params: Iterable<Tensor>, options: AdamOptions, defaultWeightDecay: number) {
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = defaultWeightDecay, amsgrad = false } = options ?? {}
    checkNonNegative(lr, 'lr', kind)
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new Error(`${kind}: betas must be a pair [β₁, β₂], each in [0, 1), got ${JSON.stringify(betas)}`)
    }
    checkDecay(betas[0], 'betas[0] (β₁)', kind)
    checkDecay(betas[1], 'betas[1] (β₂)', kind)
    checkPositive(eps, 'eps', kind)
    checkNonNegative(weightDecay, 'weightDecay', kind)
    this.params = checkParams(params, kind)
    this.lr = lr
    this.betas = [betas[0], betas[1]]
    this.eps = eps
    this.weightDecay = weightDecay
    this.amsgrad = amsgrad
    this.steps = this.params.map(() => 0)
    this.expAvg = this.params.map(() => null)
    this.expAvgSq = this.params.map(() => null)
    this.maxExpAvgSq = this.params.map(() => null)
  }

  step(): void {
    const { lr, eps, weightDecay: wd, amsgrad } = this
    const [beta1, beta2] = this.betas
    const decoupled = this.kind === 'AdamW'
    const grads = gradientsOf(this.params, this.kind)
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]
      const grad = grads[k]
      if (grad === null) continue
      const theta = p.data
      const n = theta.length
      const m = (this.expAvg[k] ??= new Float64Array(n))
      const v = (this.expAvgSq[k] ??= new Float64Array(n))
      const vmax = amsgrad ? (this.maxExpAvgSq[k] ??= new Float64Array(n)) : null
      const t = ++this.steps[k]

      // AdamW: θ ← θ·(1 − lr·λ), before anything else and outside g (decoupled decay).
      if (decoupled) for (let i = 0; i < n; i++) theta[i] = theta[i] * (1 - lr * wd)

      // Bias correction, as torch orders it: stepSize = lr/(1 − β₁ᵗ), denom = √v/√(1 − β₂ᵗ) + ε.
      const stepSize = lr / (1 - powInt(beta1, t))
      const biasCorrection2Sqrt = Math.sqrt(1 - powInt(beta2, t))
      // fma(x, y, z) is x·y + z rounded once, as torch's compiled kernels compute it.
      for (let i = 0; i < n; i++) {
        const g = decoupled || wd === 0 ? grad[i] : fma(wd, theta[i], grad[i]) // g ← ∇θ + λ·θ
        m[i] = fma(1 - beta1, g, m[i] * beta1) //                                  m ← β₁·m + (1 − β₁)·g
        v[i] = fma((1 - beta2) * g, g, v[i] * beta2) //                            v ← β₂·v + (1 − β₂)·g²
        if (vmax !== null) vmax[i] = Math.max(vmax[i], v[i]) //                    vmax ← max(vmax, v)
        const denom = Math.sqrt(vmax !== null ? vmax[i] : v[i]) / biasCorrection2Sqrt + eps
        theta[i] = theta[i] + (-stepSize * m[i]) / denom //                        θ ← θ − stepSize·m/denom
      }
    }
  }

  zeroGrad(options?: ZeroGradOptions): void {
    zeroGrads(this.params, options)
  }

  /** The step counts and moments, copied, so training can resume exactly. */
  stateDict(): AdamState {
    return {
      kind: this.kind,
      lr: this.lr,
      steps: this.steps.slice(),
      expAvg: saveBuffers(this.expAvg),
      expAvgSq: saveBuffers(this.expAvgSq),
      maxExpAvgSq: saveBuffers(this.maxExpAvgSq),
    }
  }

  loadStateDict(state: AdamState): void {
    const op = this.kind
    checkStateKind(state, op)
    const steps = state.steps
    if (!Array.isArray(steps) || steps.length !== this.params.length || !steps.every((t) => Number.isInteger(t) && t >= 0)) {
      throw new Error(`${op}.loadStateDict: expected steps to hold ${this.params.length} whole numbers ≥ 0 (one per parameter), got ${JSON.stringify(steps)}`)
    }
    const expAvg = loadBuffers(state.expAvg, this.params, 'expAvg', op)
    const expAvgSq = loadBuffers(state.expAvgSq, this.params, 'expAvgSq', op)
    const maxExpAvgSq = loadBuffers(state.maxExpAvgSq, this.params, 'maxExpAvgSq', op)
    steps.forEach((t, k) => {
      const missing = expAvg[k] === null || expAvgSq[k] === null || (this.amsgrad && maxExpAvgSq[k] === null)
      if (t > 0 && missing) {
        throw new Error(`${op}.loadStateDict: parameter ${k} has taken ${t} steps but its buffers are missing` +
          (this.amsgrad && maxExpAvgSq[k] === null ? ' (maxExpAvgSq: was the state saved with amsgrad = false? this one has amsgrad = true)' : ''))
      }
      if (!this.amsgrad && maxExpAvgSq[k] !== null) {
        throw new Error(`${op}.loadStateDict: the state was saved with amsgrad = true but this ${op} has amsgrad = false`)
      }
    })
    this.lr = state.lr
    this.steps = steps.slice()
    this.expAvg = expAvg
    this.expAvgSq = expAvgSq
    this.maxExpAvgSq = maxExpAvgSq
  }
}

/** new optim.Adam(model.parameters(), { lr: 1e-3 }) */
export class Adam extends AdamBase {
  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super('Adam', params, options, 0)
  }
}
