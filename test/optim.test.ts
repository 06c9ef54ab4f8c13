import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { optim, tensor } from '../src/index.js'

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/sgd.json', import.meta.url), 'utf8'))

/** f(θ) = Σ c·θ² + sin θ, whose gradient is 2cθ + cos θ. */
const c: number[] = fixtures.coeff
const gradient = (theta: number[]) => theta.map((t, i) => 2 * c[i] * t + Math.cos(t))

/** Run SGD on f through softgrad's autograd: the gradient comes from backward. */
function run(options: optim.SGDOptions, steps: number): number[][] {
  const theta = tensor(fixtures.start, { requiresGrad: true })
  const opt = new optim.SGD([theta], options)
  const out: number[][] = []
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad()
    // softgrad has no sin op: Σ c·θ² + θ·cos(θ₀) with θ₀ a constant copy of θ has the same
    // gradient at θ = θ₀, 2cθ + cos θ, and that gradient is all SGD sees.
    const cosTheta = tensor(Array.from(theta.data, Math.cos))
    theta.mul(theta).mul(tensor(c)).add(theta.mul(cosTheta)).sum().backward()
    opt.step()
    out.push(Array.from(theta.data))
  }
  return out
}

/** The update written out by hand, as torch.optim.SGD's documentation gives it. */
function byHand(o: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number }, steps: number): number[][] {
  const { lr, momentum: mu = 0, dampening: tau = 0, nesterov = false, weightDecay: wd = 0 } = o
  let theta: number[] = fixtures.start.slice()
  let b: number[] | null = null
  const out: number[][] = []
  for (let s = 0; s < steps; s++) {
    let g = gradient(theta).map((gi, i) => gi + wd * theta[i]) // g ← ∇ + λθ
    if (mu !== 0) {
      b = b === null ? g.slice() : b.map((bi, i) => mu * bi + (1 - tau) * g[i]) // b ← g, then μb + (1−τ)g
      g = nesterov ? g.map((gi, i) => gi + mu * b![i]) : b.slice() // nesterov: g + μb, else b
    }
    theta = theta.map((t, i) => t - lr * g[i]) // θ ← θ − lr·g
    out.push(theta)
  }
  return out
}

describe('optim.SGD follows torch.optim.SGD', () => {
  for (const k of fixtures.cases) {
    it(`${k.name}: six steps equal the hand-derived update and PyTorch's trajectory to 1e-12`, () => {
      const ours = run(k, 6)
      const hand = byHand(k, 6)
      for (let s = 0; s < 6; s++) {
        for (let i = 0; i < 4; i++) {
          expect(Math.abs(ours[s][i] - hand[s][i]), `step ${s + 1}, θ${i}`).toBeLessThanOrEqual(1e-12)
          expect(Math.abs(ours[s][i] - k.trajectory[s][i]), `step ${s + 1}, θ${i} vs torch`).toBeLessThanOrEqual(1e-12)
        }
      }
    })
  }

  it('skips parameters without a gradient and keeps their momentum untouched', () => {
    const a = tensor([1], { requiresGrad: true })
    const b = tensor([2], { requiresGrad: true })
    const opt = new optim.SGD([a, b], { lr: 0.5, momentum: 0.9 })
    a.grad = tensor([1])
    opt.step()
    expect(a.item()).toBe(0.5)
    expect(b.item()).toBe(2)
  })

  it('has a writable lr', () => {
    const a = tensor([1], { requiresGrad: true })
    const opt = new optim.SGD([a], { lr: 0.5 })
    opt.lr = 0.25
    a.grad = tensor([2])
    opt.step()
    expect(a.item()).toBe(0.5)
  })

  it('rejects bad settings with errors that say what is allowed', () => {
    const p = [tensor([1], { requiresGrad: true })]
    expect(() => new optim.SGD(p, { lr: -0.1 })).toThrow('SGD: lr must be a finite number ≥ 0, got -0.1')
    expect(() => new optim.SGD(p, { lr: Number.NaN })).toThrow(/SGD: lr must be a finite number ≥ 0, got NaN/)
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: -1 })).toThrow(/momentum must be a finite number ≥ 0/)
    expect(() => new optim.SGD(p, { lr: 0.1, weightDecay: -1 })).toThrow(/weightDecay must be a finite number ≥ 0/)
    expect(() => new optim.SGD(p, { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov needs momentum > 0 and dampening = 0, got momentum 0, dampening 0')
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/nesterov needs/)
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/SGD: got an empty parameter list/)
    expect(() => new optim.SGD([tensor([1])], { lr: 0.1 })).toThrow(/parameter 0 does not require grad/)
  })
})

describe('optim.optimizerByName', () => {
  const params = () => [tensor([1, 2], { requiresGrad: true })]
  it('makes each optimiser with the command line’s defaults', () => {
    const sgd = optim.optimizerByName('sgd', params(), { lr: 0.05 })
    expect(sgd).toBeInstanceOf(optim.SGD)
    expect((sgd as optim.SGD).momentum).toBe(0.9)
    expect(sgd.lr).toBe(0.05)
    expect(optim.optimizerByName('adam', params(), { lr: 0.01 })).toBeInstanceOf(optim.Adam)
    expect(optim.optimizerByName('adamw', params(), { lr: 0.01 })).toBeInstanceOf(optim.AdamW)
    expect(optim.optimizerByName('rmsprop', params(), { lr: 0.01 })).toBeInstanceOf(optim.RMSprop)
    expect((optim.optimizerByName('sgd', params(), { lr: 0.1, momentum: 0 }) as optim.SGD).momentum).toBe(0)
  })

  it('names the choices when the name is unknown', () => {
    expect(() => optim.optimizerByName('lbfgs' as optim.OptimizerName, params(), { lr: 1 })).toThrow(
      "optimizerByName: the optimiser must be one of sgd, adam, adamw, rmsprop, got 'lbfgs'",
    )
  })
})
