import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { Tensor, optim, tensor } from '../src/index.js'
import { fma, powInt } from '../src/optim/optimizer.js'

/** Made by scripts/pytorch/optimizers.py with torch 1.13 (float64). */
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/optimizers.json', import.meta.url), 'utf8'))
const STEPS: number = fixtures.steps

type Kind = 'Adam' | 'AdamW' | 'RMSprop'
interface Case {
  name: string
  kind: Kind
  options: Record<string, unknown>
  skip?: number[]
  schedule?: { kind: 'CosineAnnealingLR' | 'OneCycleLR' | 'StepLR'; options: Record<string, number> }
  trajectory: number[][]
}
const cases: Case[] = fixtures.optimizers

/** f(θ) = Σ c·θ² + d·θ over two parameters (a 2×2 matrix and a 3-vector); its gradient is 2cθ + d. */
const problem: Array<{ shape: number[]; start: number[]; c: number[]; d: number[] }> = fixtures.problem

function makeParams(): Tensor[] {
  return problem.map((p) => new Tensor(Float64Array.from(p.start), p.shape, { requiresGrad: true }))
}

function makeOptimizer(kind: Kind | 'SGD', params: Tensor[], options: Record<string, unknown>): optim.Optimizer {
  if (kind === 'Adam') return new optim.Adam(params, options)
  if (kind === 'AdamW') return new optim.AdamW(params, options)
  if (kind === 'RMSprop') return new optim.RMSprop(params, options)
  return new optim.SGD(params, options as unknown as optim.SGDOptions)
}

function makeSchedule(s: NonNullable<Case['schedule']>, opt: optim.Optimizer): optim.LRScheduler {
  if (s.kind === 'CosineAnnealingLR') return new optim.CosineAnnealingLR(opt, s.options as unknown as optim.CosineAnnealingLROptions)
  if (s.kind === 'OneCycleLR') return new optim.OneCycleLR(opt, s.options as unknown as optim.OneCycleLROptions)
  return new optim.StepLR(opt, s.options as unknown as optim.StepLROptions)
}

/** One forward and backward pass of f through softgrad's autograd. */
function backward(params: Tensor[]): void {
  let loss: Tensor | null = null
  params.forEach((theta, k) => {
    const c = tensor(problem[k].c).reshape(problem[k].shape)
    const d = tensor(problem[k].d).reshape(problem[k].shape)
    const term = theta.mul(theta).mul(c).add(theta.mul(d)).sum()
    loss = loss === null ? term : loss.add(term)
  })
  loss!.backward()
}

/** Run a case through softgrad: θ (both parameters, flattened) after every step, and the lr each step used. */
function run(k: Case, steps = STEPS): { thetas: number[][]; lrs: number[] } {
  const params = makeParams()
  const opt = makeOptimizer(k.kind, params, k.options)
  const schedule = k.schedule ? makeSchedule(k.schedule, opt) : null
  const thetas: number[][] = []
  const lrs: number[] = []
  for (let step = 1; step <= steps; step++) {
    opt.zeroGrad()
    backward(params)
    if (k.skip?.includes(step)) params[1].grad = null
    lrs.push(opt.lr)
    opt.step()
    schedule?.step()
    thetas.push(params.flatMap((p) => Array.from(p.data)))
  }
  return { thetas, lrs }
}

/*
 * The updates written out by hand, in the textbook form of each paper (bias-corrected moments
 * m̂ and v̂), with plain numbers: a second derivation of what the optimisers compute.
 */
interface HandOptions {
  lr?: number
  betas?: [number, number]
  eps?: number
  weightDecay?: number
  amsgrad?: boolean
  alpha?: number
  momentum?: number
  centered?: boolean
}

function byHand(kind: Kind, o: HandOptions, lrs: number[], skip: number[] = []): number[][] {
  const [b1, b2] = o.betas ?? [0.9, 0.999]
  const eps = o.eps ?? 1e-8
  const wd = o.weightDecay ?? (kind === 'AdamW' ? 1e-2 : 0)
  const alpha = o.alpha ?? 0.99
  const mu = o.momentum ?? 0
  let theta = problem.map((p) => p.start.slice())
  const zeros = () => problem.map((p) => p.start.map(() => 0))
  const m = zeros(), v = zeros(), vmax = zeros(), s = zeros(), a = zeros(), b = zeros()
  const t = problem.map(() => 0)
  const out: number[][] = []
  lrs.forEach((lr, index) => {
    theta = theta.map((th, k) => {
      if (k === 1 && skip.includes(index + 1)) return th // no gradient: no step
      const grad = th.map((x, i) => 2 * problem[k].c[i] * x + problem[k].d[i]) // ∇f = 2cθ + d
      if (kind === 'RMSprop') {
        return th.map((x, i) => {
          const g = grad[i] + wd * x //                               g = ∇ + λθ
          s[k][i] = alpha * s[k][i] + (1 - alpha) * g * g //          s = αs + (1 − α)g²
          let r = Math.sqrt(s[k][i]) + eps //                         r = √s + ε
          if (o.centered) {
            a[k][i] = alpha * a[k][i] + (1 - alpha) * g //            a = αa + (1 − α)g
            r = Math.sqrt(s[k][i] - a[k][i] ** 2) + eps //            r = √(s − a²) + ε
          }
          if (mu === 0) return x - (lr * g) / r //                    θ = θ − lr·g/r
          b[k][i] = mu * b[k][i] + g / r //                           b = μb + g/r
          return x - lr * b[k][i] //                                  θ = θ − lr·b
        })
      }
      t[k] += 1
      return th.map((x0, i) => {
        const x = kind === 'AdamW' ? x0 - lr * wd * x0 : x0 //       AdamW: θ = θ − lr·λ·θ first
        const g = kind === 'Adam' ? grad[i] + wd * x : grad[i] //    Adam: g = ∇ + λθ
        m[k][i] = b1 * m[k][i] + (1 - b1) * g //                      m = β₁m + (1 − β₁)g
        v[k][i] = b2 * v[k][i] + (1 - b2) * g * g //                  v = β₂v + (1 − β₂)g²
        vmax[k][i] = Math.max(vmax[k][i], v[k][i])
        const mHat = m[k][i] / (1 - b1 ** t[k]) //                    m̂ = m / (1 − β₁ᵗ)
        const vHat = (o.amsgrad ? vmax[k][i] : v[k][i]) / (1 - b2 ** t[k]) // v̂ = v / (1 − β₂ᵗ)
        return x - (lr * mHat) / (Math.sqrt(vHat) + eps) //          θ = θ − lr·m̂/(√v̂ + ε)
      })
    })
    out.push(theta.flat())
  })
  return out
}

/** The largest |ours − theirs| / |theirs| over a trajectory (0 when both are 0). */
function maxRelativeError(ours: number[][], theirs: number[][]): number {
  let worst = 0
  ours.forEach((row, s) => row.forEach((x, i) => {
    const y = theirs[s][i]
    const error = x === y ? 0 : Math.abs(x - y) / Math.abs(y)
    worst = Math.max(worst, error)
  }))
  return worst
}

const worstByKind: Record<string, number> = {}

describe('Adam, AdamW and RMSprop follow torch.optim to 1e-9 relative over ten steps', () => {
  for (const k of cases) {
    it(`${k.name}`, () => {
      const { thetas } = run(k)
      expect(thetas).toHaveLength(STEPS)
      const error = maxRelativeError(thetas, k.trajectory)
      const label = k.kind + (k.schedule ? ` under ${k.schedule.kind}` : '')
      worstByKind[label] = Math.max(worstByKind[label] ?? 0, error)
      expect(error).toBeLessThanOrEqual(1e-9)
    })
  }

  it('every number of every trajectory is the very double torch computed (same order of operations, fused multiply-adds)', () => {
    const differing: string[] = []
    for (const k of cases) {
      run(k).thetas.forEach((row, s) => row.forEach((x, i) => {
        if (!Object.is(x, k.trajectory[s][i])) differing.push(`${k.name}, step ${s + 1}, θ${i}`)
      }))
    }
    console.info('max relative error vs torch per optimiser:', JSON.stringify(worstByKind))
    expect(differing).toEqual([])
  })
})

let handWorst = 0

describe('the updates written out by hand agree with the optimisers', () => {
  for (const k of cases) {
    it(`${k.name}: the textbook formulas give the same ten steps to 1e-12`, () => {
      const { thetas, lrs } = run(k)
      const hand = byHand(k.kind, k.options as HandOptions, lrs, k.skip)
      thetas.forEach((row, s) => row.forEach((x, i) => { handWorst = Math.max(handWorst, Math.abs(x - hand[s][i]) / Math.max(1, Math.abs(x))) }))
      thetas.forEach((row, s) => row.forEach((x, i) => {
        expect(Math.abs(x - hand[s][i]), `step ${s + 1}, θ${i}: ${x} vs ${hand[s][i]}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)))
      }))
    })
  }

  it('report: the largest difference between the textbook formulas and the optimisers (relative above 1, absolute below)', () => {
    console.info('max difference, by hand vs optimisers:', handWorst)
    expect(handWorst).toBeLessThanOrEqual(1e-12)
  })

  it('AdamW with weightDecay 0 is Adam, and Adam with weightDecay differs from AdamW (coupled vs decoupled)', () => {
    const adam = run({ name: '', kind: 'Adam', options: { lr: 0.1 }, trajectory: [] }).thetas
    const adamw0 = run({ name: '', kind: 'AdamW', options: { lr: 0.1, weightDecay: 0 }, trajectory: [] }).thetas
    expect(adamw0).toEqual(adam)
    const coupled = run({ name: '', kind: 'Adam', options: { lr: 0.1, weightDecay: 0.1 }, trajectory: [] }).thetas
    const decoupled = run({ name: '', kind: 'AdamW', options: { lr: 0.1, weightDecay: 0.1 }, trajectory: [] }).thetas
    expect(Math.abs(coupled[9][0] - decoupled[9][0])).toBeGreaterThan(1e-4)
  })
})

describe('stateDict and loadStateDict resume training exactly', () => {
  const settings: Array<[Kind | 'SGD', Record<string, unknown>]> = [
    ['Adam', { lr: 0.1 }],
    ['Adam', { lr: 0.1, amsgrad: true, weightDecay: 0.1, betas: [0.5, 0.9] }],
    ['AdamW', { lr: 0.1, amsgrad: true }],
    ['RMSprop', { lr: 0.01 }],
    ['RMSprop', { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.1 }],
    ['SGD', { lr: 0.05, momentum: 0.9 }],
  ]
  for (const [kind, options] of settings) {
    it(`${kind} ${JSON.stringify(options)}: 4 steps, save (through JSON), load into a fresh optimiser, 6 steps equals 10 steps`, () => {
      const straight = makeParams()
      const optA = makeOptimizer(kind, straight, options)
      for (let s = 0; s < 10; s++) {
        optA.zeroGrad()
        backward(straight)
        if (s === 2) straight[1].grad = null // a parameter that misses a step keeps its own count
        optA.step()
      }

      const resumed = makeParams()
      const first = makeOptimizer(kind, resumed, options)
      for (let s = 0; s < 4; s++) {
        first.zeroGrad()
        backward(resumed)
        if (s === 2) resumed[1].grad = null
        first.step()
      }
      const saved = JSON.parse(JSON.stringify(first.stateDict()))
      expect(saved.kind).toBe(kind)
      const second = makeOptimizer(kind, resumed, { ...options, lr: 123 })
      second.loadStateDict(saved)
      expect(second.lr).toBe(options.lr)
      for (let s = 4; s < 10; s++) {
        second.zeroGrad()
        backward(resumed)
        second.step()
      }
      resumed.forEach((p, k) => expect(Array.from(p.data)).toEqual(Array.from(straight[k].data)))
    })
  }

  it('stateDict is a copy: stepping after saving does not change what was saved', () => {
    const params = makeParams()
    const opt = new optim.Adam(params, { lr: 0.1 })
    backward(params)
    opt.step()
    const saved = opt.stateDict()
    const before = JSON.stringify(saved)
    backward(params)
    opt.step()
    expect(JSON.stringify(saved)).toBe(before)
    expect(saved.steps).toEqual([1, 1])
    expect(opt.stateDict().steps).toEqual([2, 2])
  })

  it('a fresh optimiser saves null buffers and step 0 for every parameter', () => {
    const state = new optim.RMSprop(makeParams()).stateDict()
    expect(state).toEqual({ kind: 'RMSprop', lr: 0.01, steps: [0, 0], squareAvg: [null, null], gradAvg: [null, null], momentumBuffer: [null, null] })
  })

  it('refuses another optimiser\'s state, naming both kinds', () => {
    const params = makeParams()
    const adam = new optim.Adam(params)
    const rms = new optim.RMSprop(params)
    const sgd = new optim.SGD(params, { lr: 0.1 })
    expect(() => rms.loadStateDict(adam.stateDict() as never)).toThrow('RMSprop.loadStateDict: this state was saved by Adam, not RMSprop; make an optim.Adam with the same options and load it into that')
    expect(() => adam.loadStateDict(new optim.AdamW(params).stateDict())).toThrow(/Adam.loadStateDict: this state was saved by AdamW, not Adam/)
    expect(() => sgd.loadStateDict(adam.stateDict() as never)).toThrow(/SGD.loadStateDict: this state was saved by Adam, not SGD/)
    expect(() => adam.loadStateDict(sgd.stateDict() as never)).toThrow(/saved by SGD, not Adam/)
    expect(() => adam.loadStateDict(undefined as never)).toThrow(/Adam.loadStateDict: expected the object Adam.stateDict\(\) returns, got undefined/)
  })

  it('refuses a state for a different number or size of parameters', () => {
    const params = makeParams()
    const adam = new optim.Adam(params)
    backward(params)
    adam.step()
    const state = adam.stateDict()
    const one = new optim.Adam([params[0]])
    expect(() => one.loadStateDict(state)).toThrow(/Adam.loadStateDict: expected steps to hold 1 whole numbers ≥ 0 \(one per parameter\), got \[1,1\]/)
    const resized = new optim.Adam([params[0], tensor([1, 2], { requiresGrad: true })])
    expect(() => resized.loadStateDict(state)).toThrow('Adam.loadStateDict: expAvg buffer 1 has 3 numbers but parameter 1 has 2')
    const rms = new optim.RMSprop(params)
    backward(params)
    rms.step()
    expect(() => new optim.RMSprop([params[1], params[0]]).loadStateDict(rms.stateDict())).toThrow(/squareAvg buffer 0 has 4 numbers but parameter 0 has 3/)
    expect(() => new optim.RMSprop(params).loadStateDict({ ...rms.stateDict(), squareAvg: [null] })).toThrow(/expected 2 squareAvg buffers \(one per parameter\), got 1/)
  })

  it('refuses a state saved with other buffers (amsgrad, centered, momentum), saying which', () => {
    const params = makeParams()
    backward(params)
    const plain = new optim.Adam(params)
    plain.step()
    expect(() => new optim.Adam(params, { amsgrad: true }).loadStateDict(plain.stateDict())).toThrow(/maxExpAvgSq: was the state saved with amsgrad = false\? this one has amsgrad = true/)
    const ams = new optim.Adam(params, { amsgrad: true })
    ams.step()
    expect(() => new optim.Adam(params).loadStateDict(ams.stateDict())).toThrow('Adam.loadStateDict: the state was saved with amsgrad = true but this Adam has amsgrad = false')
    const centered = new optim.RMSprop(params, { centered: true })
    centered.step()
    expect(() => new optim.RMSprop(params).loadStateDict(centered.stateDict())).toThrow(/saved with centered = true but this RMSprop has centered = false/)
    expect(() => new optim.RMSprop(params, { centered: true, momentum: 0.9 }).loadStateDict(centered.stateDict())).toThrow(/saved without momentum but this RMSprop has momentum = 0.9/)
  })
})

describe('the optimisers behave as the Optimizer interface says', () => {
  const each: Array<[string, (p: Tensor[]) => optim.Optimizer]> = [
    ['Adam', (p) => new optim.Adam(p, { lr: 0.5 })],
    ['AdamW', (p) => new optim.AdamW(p, { lr: 0.5 })],
    ['RMSprop', (p) => new optim.RMSprop(p, { lr: 0.5 })],
  ]
  for (const [name, make] of each) {
    it(`${name} has a writable lr: lr 0 leaves the parameters where they are`, () => {
      const a = tensor([1, -2], { requiresGrad: true })
      const opt = make([a])
      opt.lr = 0
      a.grad = tensor([0.3, 0.4])
      opt.step()
      expect(Array.from(a.data)).toEqual([1, -2])
    })

    it(`${name} skips parameters without a gradient, and zeroGrad clears every gradient`, () => {
      const a = tensor([1], { requiresGrad: true })
      const b = tensor([2], { requiresGrad: true })
      const opt = make([a, b])
      a.grad = tensor([1])
      opt.step()
      expect(b.item()).toBe(2)
      expect(a.item()).not.toBe(1)
      b.grad = tensor([1])
      opt.zeroGrad()
      expect(a.grad).toBeNull()
      expect(b.grad).toBeNull()
    })
  }

  it('Adam\'s first step moves every weight by about lr, whatever the size of its gradient', () => {
    const a = tensor([1, 1, 1], { requiresGrad: true })
    const opt = new optim.Adam([a], { lr: 0.01 })
    a.grad = tensor([1e-3, 1, 1e3])
    opt.step()
    for (const x of a.data) expect(x).toBeCloseTo(0.99, 6)
  })

  it('has the defaults of DESIGN.md', () => {
    const p = [tensor([1], { requiresGrad: true })]
    const adam = new optim.Adam(p)
    expect([adam.lr, adam.betas, adam.eps, adam.weightDecay, adam.amsgrad]).toEqual([1e-3, [0.9, 0.999], 1e-8, 0, false])
    const adamw = new optim.AdamW(p)
    expect([adamw.lr, adamw.betas, adamw.eps, adamw.weightDecay, adamw.amsgrad]).toEqual([1e-3, [0.9, 0.999], 1e-8, 1e-2, false])
    const rms = new optim.RMSprop(p)
    expect([rms.lr, rms.alpha, rms.eps, rms.momentum, rms.centered, rms.weightDecay]).toEqual([1e-2, 0.99, 1e-8, 0, false, 0])
  })
})

describe('bad settings are errors that say what is allowed', () => {
  const p = () => [tensor([1], { requiresGrad: true })]

  it('Adam and AdamW: lr, betas, eps, weightDecay', () => {
    expect(() => new optim.Adam(p(), { lr: -0.1 })).toThrow('Adam: lr must be a finite number ≥ 0, got -0.1')
    expect(() => new optim.AdamW(p(), { lr: Number.NaN })).toThrow('AdamW: lr must be a finite number ≥ 0, got NaN')
    expect(() => new optim.Adam(p(), { betas: [1, 0.999] })).toThrow('Adam: betas[0] (β₁) must be in [0, 1), got 1')
    expect(() => new optim.Adam(p(), { betas: [0.9, -0.1] })).toThrow('Adam: betas[1] (β₂) must be in [0, 1), got -0.1')
    expect(() => new optim.AdamW(p(), { betas: [0.9, 1.5] })).toThrow(/AdamW: betas\[1\] \(β₂\) must be in \[0, 1\)/)
    expect(() => new optim.Adam(p(), { betas: [0.9] as never })).toThrow('Adam: betas must be a pair [β₁, β₂], each in [0, 1), got [0.9]')
    expect(() => new optim.Adam(p(), { eps: 0 })).toThrow('Adam: eps must be a finite number > 0, got 0')
    expect(() => new optim.AdamW(p(), { eps: -1e-8 })).toThrow('AdamW: eps must be a finite number > 0, got -1e-8')
    expect(() => new optim.Adam(p(), { weightDecay: -0.01 })).toThrow('Adam: weightDecay must be a finite number ≥ 0, got -0.01')
    expect(() => new optim.Adam([])).toThrow('Adam: got an empty parameter list (pass model.parameters())')
    expect(() => new optim.AdamW([tensor([1])])).toThrow('AdamW: parameter 0 does not require grad; make it with { requiresGrad: true }')
  })

  it('RMSprop: lr, alpha, eps, momentum, weightDecay', () => {
    expect(() => new optim.RMSprop(p(), { lr: -1 })).toThrow('RMSprop: lr must be a finite number ≥ 0, got -1')
    expect(() => new optim.RMSprop(p(), { alpha: 1 })).toThrow('RMSprop: alpha must be in [0, 1), got 1')
    expect(() => new optim.RMSprop(p(), { alpha: -0.5 })).toThrow('RMSprop: alpha must be in [0, 1), got -0.5')
    expect(() => new optim.RMSprop(p(), { eps: 0 })).toThrow('RMSprop: eps must be a finite number > 0, got 0')
    expect(() => new optim.RMSprop(p(), { momentum: -0.9 })).toThrow('RMSprop: momentum must be a finite number ≥ 0, got -0.9')
    expect(() => new optim.RMSprop(p(), { weightDecay: -1 })).toThrow('RMSprop: weightDecay must be a finite number ≥ 0, got -1')
  })

  it('a .grad of another size than its parameter (set by hand) is an error naming both shapes, and nothing moves', () => {
    for (const kind of ['SGD', 'Adam', 'AdamW', 'RMSprop'] as const) {
      // 1000 numbers: large enough for SGD's WebAssembly step, which must refuse it as the JS loop does.
      const params = [tensor([1, 2]), new Tensor(new Float64Array(1000).fill(1), [10, 100])].map((t) => new Tensor(t.data, t.shape, { requiresGrad: true }))
      const optimizer = makeOptimizer(kind, params, kind === 'SGD' ? { lr: 0.1, momentum: 0.9 } : { lr: 0.1 })
      params[0].grad = tensor([0.5, 0.5])
      params[1].grad = tensor([1, 2, 3])
      expect(() => optimizer.step()).toThrow(`${kind}.step: parameter 1 has shape [10,100] but its .grad has shape [3]; a gradient needs one number per number of its parameter`)
      expect(Array.from(params[0].data)).toEqual([1, 2]) // checked before anything moves
      expect(Array.from(params[1].data.slice(0, 3))).toEqual([1, 1, 1])
    }
  })
})

describe('clipGradNorm follows torch.nn.utils.clip_grad_norm_', () => {
  for (const k of fixtures.clip as Array<{ name: string; grads: number[][]; maxNorm: number; norm: number; clipped: number[][] }>) {
    it(`${k.name}: returns the norm before clipping and scales as torch does, to 1e-12`, () => {
      const params = makeParams()
      params.forEach((p, i) => { p.grad = tensor(k.grads[i]) })
      const norm = optim.clipGradNorm(params, k.maxNorm)
      expect(Math.abs(norm - k.norm)).toBeLessThanOrEqual(1e-12 * k.norm)
      params.forEach((p, i) => p.grad!.data.forEach((g, j) => {
        expect(Math.abs(g - k.clipped[i][j])).toBeLessThanOrEqual(1e-12 * Math.abs(k.clipped[i][j]))
      }))
    })
  }

  it('clips to a norm of maxNorm (less 1e-6) and keeps the direction', () => {
    const a = tensor([0, 0], { requiresGrad: true })
    a.grad = tensor([3, 4])
    expect(optim.clipGradNorm([a], 1)).toBe(5)
    expect(a.grad.data[0] / a.grad.data[1]).toBeCloseTo(0.75, 12)
    expect(Math.hypot(...a.grad.data)).toBeCloseTo(1, 6)
  })

  it('skips parameters without a gradient, returns 0 when none has one, and wants maxNorm > 0', () => {
    const a = tensor([0], { requiresGrad: true })
    const b = tensor([0], { requiresGrad: true })
    expect(optim.clipGradNorm([a, b], 1)).toBe(0)
    b.grad = tensor([-2])
    expect(optim.clipGradNorm([a, b], 1)).toBe(2)
    expect(a.grad).toBeNull()
    expect(b.grad.item()).toBeCloseTo(-1, 6)
    expect(() => optim.clipGradNorm([b], 0)).toThrow('clipGradNorm: maxNorm must be a finite number > 0, got 0')
    expect(() => optim.clipGradNorm([b], -1)).toThrow(/maxNorm must be a finite number > 0, got -1/)
  })
})

describe('the exact arithmetic torch\'s kernels use', () => {
  it('fma(a, b, c) rounds a·b + c once, exactly, on every case the script computed with fractions (cancellations included)', () => {
    const wrong = (fixtures.fma as number[][]).filter(([a, b, c, exact]) => !Object.is(fma(a, b, c), exact))
    expect(wrong).toEqual([])
    // and rounding twice would not have been enough:
    expect((fixtures.fma as number[][]).filter(([a, b, c, exact]) => a * b + c !== exact).length).toBeGreaterThan(100)
  })

  it('powInt(β, t) is βᵗ correctly rounded, where V8\'s ** is sometimes one unit off', () => {
    const wrong = (fixtures.pow as number[][]).filter(([beta, t, exact]) => !Object.is(powInt(beta, t), exact))
    expect(wrong).toEqual([])
    expect(powInt(0.9, 4)).toBe(0.6561)
  })
})
