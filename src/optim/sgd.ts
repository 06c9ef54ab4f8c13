/**
 * Stochastic gradient descent, exactly torch.optim.SGD:
 *
 *   g ← ∇θ + λ·θ                           weight decay λ (coupled: part of the gradient)
 *   b ← g                  on the first step, with momentum μ > 0
 *   b ← μ·b + (1 − τ)·g    after that         dampening τ
 *   g ← g + μ·b  (nesterov)   or   g ← b
 *   θ ← θ − lr·g
 *
 * The order of operations follows torch's so that the numbers agree to the last bit.
 */
import { sgdMomentumInWasm } from '../kernels/wasm.js'
import type { Tensor } from '../tensor.js'
import { checkNonNegative, checkParams, checkStateKind, gradientsOf, zeroGrads, type Optimizer, type OptimizerState, type ZeroGradOptions } from './optimizer.js'

/** What SGD.stateDict() returns: the lr and each parameter's momentum buffer (null before its first step). */
export interface SGDState extends OptimizerState {
  kind: 'SGD'
  buffers: Array<number[] | null>
}

export interface SGDOptions {
  lr: number
  momentum?: number
  dampening?: number
  nesterov?: boolean
  weightDecay?: number
}

/** new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }) */
export class SGD implements Optimizer {
  readonly params: Tensor[]
  lr: number
  readonly momentum: number
  readonly dampening: number
  readonly nesterov: boolean
  readonly weightDecay: number
  /** the momentum buffer of each parameter; null until its first step */
  private buffers: Array<Float64Array | null>

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options ?? ({} as SGDOptions)
    checkNonNegative(lr, 'lr', 'SGD')
    checkNonNegative(momentum, 'momentum', 'SGD')
    checkNonNegative(dampening, 'dampening', 'SGD')
    checkNonNegative(weightDecay, 'weightDecay', 'SGD')
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new Error(`SGD: nesterov needs momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`)
    }
    this.params = checkParams(params, 'SGD')
    this.lr = lr
    this.momentum = momentum
    this.dampening = dampening
    this.nesterov = nesterov
    this.weightDecay = weightDecay
    this.buffers = this.params.map(() => null)
  }

  step(): void {
    const { lr, momentum: mu, dampening, nesterov, weightDecay: wd } = this
    const keep = 1 - dampening
    const grads = gradientsOf(this.params, 'SGD')
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k]
      const grad = grads[k]
      if (grad === null) continue
      const theta = p.data
      const n = theta.length
      if (mu === 0) {
        for (let i = 0; i < n; i++) theta[i] = theta[i] + -lr * (grad[i] + wd * theta[i])
        continue
      }
      let buf = this.buffers[k]
      if (buf === null) {
        // The first step: the buffer is the gradient itself (no dampening yet), as torch does.
        buf = this.buffers[k] = new Float64Array(n)
        for (let i = 0; i < n; i++) buf[i] = grad[i] + wd * theta[i]
        if (nesterov) for (let i = 0; i < n; i++) theta[i] = theta[i] + -lr * (grad[i] + wd * theta[i] + mu * buf[i])
        else for (let i = 0; i < n; i++) theta[i] = theta[i] + -lr * buf[i]
      } else if (sgdMomentumInWasm(theta, grad, buf, { lr, mu, keep, wd, nesterov })) {
        continue // the WebAssembly twin of the two loops below did it: the same bits, two lanes at a time
      } else if (nesterov) {
        for (let i = 0; i < n; i++) {
          const g = grad[i] + wd * theta[i]
          const b = buf[i] * mu + keep * g
          buf[i] = b
          theta[i] = theta[i] + -lr * (g + mu * b)
        }
      } else {
        // The usual case, in one pass: b and θ of each element move together, with the
        // numbers of the three lines at the top (the same bits as a pass for b, then one for θ).
        for (let i = 0; i < n; i++) {
          const b = buf[i] * mu + keep * (grad[i] + wd * theta[i])
          buf[i] = b
          theta[i] = theta[i] + -lr * b
        }
      }
    }
  }

  zeroGrad(options?: ZeroGradOptions): void {
    zeroGrads(this.params, options)
  }

  /** The momentum buffers, copied, so training can resume exactly. */
  stateDict(): SGDState {
    return { kind: 'SGD', lr: this.lr, buffers: this.buffers.map((b) => (b === null ? null : Array.from(b))) }
  }

  loadStateDict(state: SGDState): void {
    checkStateKind(state, 'SGD')
    if (!Array.isArray(state?.buffers) || state.buffers.length !== this.params.length) {
      throw new Error(`SGD.loadStateDict: expected ${this.params.length} momentum buffers, got ${state?.buffers?.length}`)
    }
    state.buffers.forEach((b, k) => {
      if (b !== null && b.length !== this.params[k].size) {
        throw new Error(`SGD.loadStateDict: buffer ${k} has ${b.length} numbers but parameter ${k} has ${this.params[k].size}`)
      }
    })
    this.lr = state.lr
    this.buffers = state.buffers.map((b) => (b === null ? null : Float64Array.from(b)))
  }
}
