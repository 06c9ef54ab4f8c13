import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { optim, tensor } from '../src/index.js'

/** Made by scripts/pytorch/optimizers.py with torch 1.13. */
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/optimizers.json', import.meta.url), 'utf8'))

type Kind = 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'OneCycleLR' | 'ReduceLROnPlateau'
interface Case {
  name: string
  kind: Kind
  lr: number
  options: Record<string, unknown>
  steps?: number
  metrics?: number[]
  lrs: number[]
}
const cases: Case[] = fixtures.schedules

function sgd(lr: number): optim.SGD {
  return new optim.SGD([tensor([0], { requiresGrad: true })], { lr })
}

function makeSchedule(kind: Kind, opt: optim.Optimizer, options: Record<string, unknown>): optim.LRScheduler {
  switch (kind) {
    case 'StepLR': return new optim.StepLR(opt, options as unknown as optim.StepLROptions)
    case 'ExponentialLR': return new optim.ExponentialLR(opt, options as unknown as optim.ExponentialLROptions)
    case 'CosineAnnealingLR': return new optim.CosineAnnealingLR(opt, options as unknown as optim.CosineAnnealingLROptions)
    case 'OneCycleLR': return new optim.OneCycleLR(opt, options as unknown as optim.OneCycleLROptions)
    case 'ReduceLROnPlateau': return new optim.ReduceLROnPlateau(opt, options as optim.ReduceLROnPlateauOptions)
  }
}

/** The optimiser's lr after construction and after every step (with the case's metrics for ReduceLROnPlateau). */
function lrSequence(k: Pick<Case, 'kind' | 'lr' | 'options' | 'steps' | 'metrics'>): number[] {
  const opt = sgd(k.lr)
  const schedule = makeSchedule(k.kind, opt, k.options)
  const lrs = [opt.lr]
  const n = k.metrics?.length ?? k.steps!
  for (let s = 0; s < n; s++) {
    schedule.step(k.metrics?.[s])
    expect(schedule.lr).toBe(opt.lr)
    lrs.push(opt.lr)
  }
  return lrs
}

function maxRelativeError(ours: number[], theirs: number[]): number {
  return Math.max(...ours.map((x, i) => (x === theirs[i] ? 0 : Math.abs(x - theirs[i]) / Math.abs(theirs[i]))))
}

const worstByKind: Record<string, number> = {}

describe('the schedules give torch.optim.lr_scheduler\'s lr sequences to 1e-9 relative', () => {
  for (const k of cases) {
    it(k.name, () => {
      const lrs = lrSequence(k)
      expect(lrs).toHaveLength(k.lrs.length)
      const error = maxRelativeError(lrs, k.lrs)
      worstByKind[k.kind] = Math.max(worstByKind[k.kind] ?? 0, error)
      expect(error).toBeLessThanOrEqual(1e-9)
    })
  }

  it('report: the largest relative error of each schedule', () => {
    console.info('max relative error vs torch per schedule:', JSON.stringify(worstByKind))
    expect(Object.keys(worstByKind)).toHaveLength(5)
  })
})

describe('the closed forms written by hand agree with the schedules', () => {
  const closeTo = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(b), 1e-300))

  it('StepLR: lr_e = lr₀·γ^⌊e/stepSize⌋', () => {
    const lrs = lrSequence({ kind: 'StepLR', lr: 0.3, options: { stepSize: 4, gamma: 0.5 }, steps: 30 })
    lrs.forEach((lr, e) => closeTo(lr, 0.3 * 0.5 ** Math.floor(e / 4)))
  })

  it('ExponentialLR: lr_e = lr₀·γ^e', () => {
    const lrs = lrSequence({ kind: 'ExponentialLR', lr: 0.3, options: { gamma: 0.9 }, steps: 30 })
    lrs.forEach((lr, e) => closeTo(lr, 0.3 * 0.9 ** e))
  })

  it('CosineAnnealingLR: lr_e = η + (lr₀ − η)·(1 + cos(π·e/T))/2, on and past T (it rises again: a period of 2T)', () => {
    const lrs = lrSequence({ kind: 'CosineAnnealingLR', lr: 0.1, options: { tMax: 7, etaMin: 0.001 }, steps: 50 })
    lrs.forEach((lr, e) => expect(Math.abs(lr - (0.001 + (0.1 - 0.001) * (1 + Math.cos((Math.PI * e) / 7)) / 2))).toBeLessThanOrEqual(1e-15))
    expect(lrs[7]).toBeCloseTo(0.001, 15)
    expect(lrs[14]).toBeCloseTo(0.1, 15)
  })

  it('OneCycleLR: half a cosine up from maxLr/divFactor over pctStart·T − 1 steps, then half a cosine down to the final lr', () => {
    const [maxLr, T, pct, div, finalDiv] = [0.4, 40, 0.25, 10, 100]
    const lrs = lrSequence({ kind: 'OneCycleLR', lr: 1, options: { maxLr, totalSteps: T, pctStart: pct, divFactor: div, finalDivFactor: finalDiv }, steps: T })
    const start = maxLr / div
    const end = start / finalDiv
    const warm = pct * T - 1
    lrs.forEach((lr, e) => {
      const hand = e <= warm
        ? start + (maxLr - start) * (1 - Math.cos((Math.PI * e) / warm)) / 2
        : end + (maxLr - end) * (1 + Math.cos((Math.PI * (e - warm)) / (T - 1 - warm))) / 2
      closeTo(lr, hand)
    })
    expect(lrs[0]).toBeCloseTo(maxLr / div, 15)
    expect(lrs[warm]).toBe(maxLr)
    expect(lrs[T - 1]).toBeCloseTo(end, 15)
  })

  it('ReduceLROnPlateau: after more than `patience` epochs without a better metric the lr is multiplied by factor, then cooldown epochs do not count', () => {
    const opt = sgd(1)
    const plateau = new optim.ReduceLROnPlateau(opt, { patience: 2, factor: 0.5, cooldown: 1, threshold: 0 })
    const seen = [5, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3].map((metric) => (plateau.step(metric), opt.lr))
    // bad epochs:   -  -  1  2  3: cut, cooldown 1 | 0 (cooldown)  1  2  3: cut | best 3 (cooldown)  1  2
    expect(seen).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25])
  })
})

describe('building a schedule sets the lr, as torch does', () => {
  it('StepLR, ExponentialLR and CosineAnnealingLR keep the optimiser\'s lr for epoch 0; OneCycleLR replaces it by maxLr/divFactor', () => {
    for (const kind of ['StepLR', 'ExponentialLR', 'CosineAnnealingLR'] as const) {
      const opt = sgd(0.3)
      const schedule = makeSchedule(kind, opt, { stepSize: 2, gamma: 0.5, tMax: 3 })
      expect([opt.lr, schedule.lr]).toEqual([0.3, 0.3])
    }
    const opt = sgd(0.3)
    const oneCycle = new optim.OneCycleLR(opt, { maxLr: 1, totalSteps: 10 })
    expect(opt.lr).toBeCloseTo(1 / 25, 15)
    expect(oneCycle.lr).toBe(opt.lr)
  })

  it('ReduceLROnPlateau leaves the lr alone until a metric asks for less', () => {
    const opt = sgd(0.3)
    const plateau = new optim.ReduceLROnPlateau(opt)
    expect(plateau.lr).toBe(0.3)
    plateau.step(1)
    expect(opt.lr).toBe(0.3)
  })

  it('a schedule writes the lr of any optimiser: Adam under CosineAnnealingLR', () => {
    const adam = new optim.Adam([tensor([1], { requiresGrad: true })], { lr: 0.01 })
    const cosine = new optim.CosineAnnealingLR(adam, { tMax: 2 })
    cosine.step()
    cosine.step()
    expect(adam.lr).toBe(0)
  })
})

describe('each schedule says when it steps', () => {
  it('OneCycleLR every batch, ReduceLROnPlateau every epoch with the metric, the others every epoch', () => {
    const stepEvery = (kind: Kind) => makeSchedule(kind, sgd(0.1), cases.find((c) => c.kind === kind)!.options).stepEvery
    expect(stepEvery('StepLR')).toBe('epoch')
    expect(stepEvery('ExponentialLR')).toBe('epoch')
    expect(stepEvery('CosineAnnealingLR')).toBe('epoch')
    expect(stepEvery('OneCycleLR')).toBe('batch')
    expect(stepEvery('ReduceLROnPlateau')).toBe('metric')
  })
})

describe('OneCycleLR ends where torch ends', () => {
  it('allows totalSteps calls of step() and fails on the next one, as torch does', () => {
    const { maxLr, totalSteps, message } = fixtures.oneCycleOverrun
    expect(message).toMatch(/Tried to step 7 times/) // torch counts the step made at construction
    const schedule = new optim.OneCycleLR(sgd(0.1), { maxLr, totalSteps })
    for (let s = 0; s < totalSteps; s++) schedule.step()
    const lr = schedule.lr
    expect(() => schedule.step()).toThrow('OneCycleLR: step() called 6 times but totalSteps is 5; make totalSteps the number of batches in the whole run (epochs × batches per epoch)')
    expect(schedule.lr).toBe(lr) // a failed step changes nothing
    expect(schedule.lastEpoch).toBe(totalSteps)
  })

  it('a warm-up or an annealing of zero steps would divide by zero (in torch too): the error says which', () => {
    expect(() => new optim.OneCycleLR(sgd(0.1), { maxLr: 0.1, totalSteps: 10, pctStart: 0.1 })).toThrow(/OneCycleLR: pctStart·totalSteps = 0.1·10 = 1 makes the warm-up last 0 steps/)
    const noAnnealing = new optim.OneCycleLR(sgd(0.1), { maxLr: 0.1, totalSteps: 4, pctStart: 1 })
    for (let s = 0; s < 3; s++) noAnnealing.step()
    expect(noAnnealing.lr).toBe(0.1)
    expect(() => noAnnealing.step()).toThrow(/OneCycleLR: pctStart = 1 leaves no steps to anneal over/)
  })
})

describe('schedules save and resume exactly', () => {
  const settings: Array<[Kind, Record<string, unknown>]> = [
    ['StepLR', { stepSize: 3, gamma: 0.5 }],
    ['ExponentialLR', { gamma: 0.9 }],
    ['CosineAnnealingLR', { tMax: 4, etaMin: 0.001 }],
    ['OneCycleLR', { maxLr: 0.5, totalSteps: 12 }],
    ['ReduceLROnPlateau', { patience: 1, factor: 0.5, cooldown: 1 }],
  ]
  const metrics = [3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
  for (const [kind, options] of settings) {
    it(`${kind}: 4 steps, save (through JSON), load into a fresh schedule on a fresh optimiser, 8 steps equals 12 steps`, () => {
      const straight = lrSequence({ kind, lr: 0.1, options, metrics })
      const opt = sgd(0.1)
      const first = makeSchedule(kind, opt, options)
      const lrs = [opt.lr]
      for (let s = 0; s < 4; s++) {
        first.step(metrics[s])
        lrs.push(opt.lr)
      }
      const saved = JSON.parse(JSON.stringify(first.stateDict()))
      expect(saved.kind).toBe(kind)
      const fresh = sgd(0.1)
      const second = makeSchedule(kind, fresh, options)
      second.loadStateDict(saved)
      expect(fresh.lr).toBe(lrs[4])
      for (let s = 4; s < 12; s++) {
        second.step(metrics[s])
        lrs.push(fresh.lr)
      }
      expect(lrs).toEqual(straight)
    })
  }

  it('ReduceLROnPlateau writes a best of ±Infinity (no metric yet) as a string, so JSON keeps it', () => {
    const state = new optim.ReduceLROnPlateau(sgd(0.1), { mode: 'max' }).stateDict()
    expect(state).toEqual({ kind: 'ReduceLROnPlateau', lastEpoch: 0, lr: 0.1, best: '-Infinity', numBadEpochs: 0, cooldownCounter: 0 })
    const other = new optim.ReduceLROnPlateau(sgd(0.1), { mode: 'max' })
    other.step(5)
    other.loadStateDict(JSON.parse(JSON.stringify(state)))
    expect(other.best).toBe(-Infinity)
  })

  it('a schedule refuses another kind\'s state, naming both kinds, and an optimiser\'s state too', () => {
    const opt = sgd(0.1)
    const step = new optim.StepLR(opt, { stepSize: 2 })
    const cosine = new optim.CosineAnnealingLR(opt, { tMax: 3 })
    expect(() => step.loadStateDict(cosine.stateDict())).toThrow('StepLR.loadStateDict: this state was saved by CosineAnnealingLR, not StepLR; load it into an optim.CosineAnnealingLR')
    expect(() => new optim.ReduceLROnPlateau(opt).loadStateDict(step.stateDict() as never)).toThrow(/ReduceLROnPlateau.loadStateDict: this state was saved by StepLR, not ReduceLROnPlateau/)
    const adam = new optim.Adam([tensor([1], { requiresGrad: true })])
    expect(() => cosine.loadStateDict(adam.stateDict() as never)).toThrow(/CosineAnnealingLR.loadStateDict: this state was saved by Adam, not CosineAnnealingLR/)
    expect(() => step.loadStateDict({ kind: 'StepLR', lastEpoch: -3, lr: 0.1, baseLr: 0.1 })).toThrow(/lastEpoch must be a whole number ≥ 0, got -3/)
  })
})

describe('bad settings are errors that say what is allowed', () => {
  it('StepLR, ExponentialLR, CosineAnnealingLR', () => {
    expect(() => new optim.StepLR(sgd(0.1), { stepSize: 0 })).toThrow('StepLR: stepSize must be a whole number ≥ 1, got 0')
    expect(() => new optim.StepLR(sgd(0.1), { stepSize: 2.5 })).toThrow('StepLR: stepSize must be a whole number ≥ 1, got 2.5')
    expect(() => new optim.StepLR(sgd(0.1), { stepSize: 2, gamma: -0.1 })).toThrow('StepLR: gamma must be a finite number ≥ 0, got -0.1')
    expect(() => new optim.ExponentialLR(sgd(0.1), {} as never)).toThrow('ExponentialLR: gamma must be a finite number ≥ 0, got undefined')
    expect(() => new optim.CosineAnnealingLR(sgd(0.1), { tMax: -5 })).toThrow('CosineAnnealingLR: tMax must be a whole number ≥ 1, got -5')
    expect(() => new optim.CosineAnnealingLR(sgd(0.1), { tMax: 5, etaMin: -1 })).toThrow('CosineAnnealingLR: etaMin must be a finite number ≥ 0, got -1')
    expect(() => new optim.StepLR(undefined as never, { stepSize: 1 })).toThrow(/StepLR: expected an optimiser \(e.g. new optim.SGD\(...\)\) as the first argument, got undefined/)
  })

  it('OneCycleLR', () => {
    expect(() => new optim.OneCycleLR(sgd(0.1), { maxLr: 0.1, totalSteps: 0 })).toThrow('OneCycleLR: totalSteps must be a whole number ≥ 1, got 0')
    expect(() => new optim.OneCycleLR(sgd(0.1), { maxLr: -0.1, totalSteps: 10 })).toThrow('OneCycleLR: maxLr must be a finite number ≥ 0, got -0.1')
    expect(() => new optim.OneCycleLR(sgd(0.1), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 })).toThrow('OneCycleLR: pctStart must be in [0, 1], got 1.5')
    expect(() => new optim.OneCycleLR(sgd(0.1), { maxLr: 0.1, totalSteps: 10, divFactor: 0 })).toThrow('OneCycleLR: divFactor must be a finite number > 0, got 0')
    expect(() => new optim.OneCycleLR(sgd(0.1), { maxLr: 0.1, totalSteps: 10, finalDivFactor: -1 })).toThrow('OneCycleLR: finalDivFactor must be a finite number > 0, got -1')
  })

  it('ReduceLROnPlateau, and its step without a metric', () => {
    const make = (o: Record<string, unknown>) => () => new optim.ReduceLROnPlateau(sgd(0.1), o as optim.ReduceLROnPlateauOptions)
    expect(make({ factor: 1 })).toThrow('ReduceLROnPlateau: factor must be in [0, 1) (the lr is multiplied by it), got 1')
    expect(make({ factor: 2 })).toThrow(/factor must be in \[0, 1\)/)
    expect(make({ mode: 'minimum' })).toThrow(`ReduceLROnPlateau: mode must be 'min' (a loss) or 'max' (an accuracy), got "minimum"`)
    expect(make({ thresholdMode: 'relative' })).toThrow(`ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got "relative"`)
    expect(make({ patience: -1 })).toThrow('ReduceLROnPlateau: patience must be a finite number ≥ 0, got -1')
    expect(make({ cooldown: -1 })).toThrow('ReduceLROnPlateau: cooldown must be a finite number ≥ 0, got -1')
    expect(make({ minLr: -1 })).toThrow('ReduceLROnPlateau: minLr must be a finite number ≥ 0, got -1')
    expect(make({ threshold: -1 })).toThrow('ReduceLROnPlateau: threshold must be a finite number ≥ 0, got -1')
    expect(() => new optim.ReduceLROnPlateau(sgd(0.1)).step(undefined as never)).toThrow("ReduceLROnPlateau.step: pass the epoch's metric, e.g. step(valLoss); got undefined")
  })
})

describe('property: any schedule with valid settings keeps the lr finite and ≥ 0', () => {
  const lr0 = fc.double({ min: 0, max: 10, noNaN: true })
  const schedule = fc.oneof(
    fc.record({ kind: fc.constant<Kind>('StepLR'), lr: lr0, options: fc.record({ stepSize: fc.integer({ min: 1, max: 50 }), gamma: fc.double({ min: 0, max: 2, noNaN: true }) }) }),
    fc.record({ kind: fc.constant<Kind>('ExponentialLR'), lr: lr0, options: fc.record({ gamma: fc.double({ min: 0, max: 2, noNaN: true }) }) }),
    fc.record({
      kind: fc.constant<Kind>('CosineAnnealingLR'), lr: lr0,
      options: fc.record({ tMax: fc.integer({ min: 1, max: 300 }), etaMin: fc.double({ min: 0, max: 10, noNaN: true }) }),
    }),
    fc.record({
      kind: fc.constant<Kind>('OneCycleLR'), lr: lr0,
      options: fc.record({
        maxLr: fc.double({ min: 0, max: 10, noNaN: true }),
        totalSteps: fc.integer({ min: 1, max: 400 }),
        pctStart: fc.double({ min: 0, max: 1, noNaN: true }),
        divFactor: fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        finalDivFactor: fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
      }),
    }),
    fc.record({
      kind: fc.constant<Kind>('ReduceLROnPlateau'), lr: lr0,
      options: fc.record({
        mode: fc.constantFrom('min', 'max'),
        factor: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        patience: fc.integer({ min: 0, max: 20 }),
        threshold: fc.double({ min: 0, max: 0.5, noNaN: true }),
        thresholdMode: fc.constantFrom('rel', 'abs'),
        cooldown: fc.integer({ min: 0, max: 10 }),
        minLr: fc.double({ min: 0, max: 1, noNaN: true }),
        eps: fc.double({ min: 0, max: 1e-3, noNaN: true }),
      }),
    }),
  )
  const metrics = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 200, maxLength: 200 })

  it('over 200 steps (OneCycleLR: up to totalSteps), 500 random settings', () => {
    fc.assert(
      fc.property(schedule, metrics, (k, metric) => {
        let steps = 200
        if (k.kind === 'OneCycleLR') {
          const { pctStart, totalSteps } = k.options as { pctStart: number; totalSteps: number }
          // The zero-length phases that divide by zero in torch too are errors, tested above.
          fc.pre(pctStart * totalSteps - 1 !== 0)
          steps = Math.min(steps, pctStart * totalSteps === totalSteps ? totalSteps - 1 : totalSteps)
        }
        const opt = sgd(k.lr)
        const s = makeSchedule(k.kind, opt, k.options)
        const ok = (lr: number) => Number.isFinite(lr) && lr >= 0
        if (!ok(opt.lr)) return false
        for (let e = 0; e < steps; e++) {
          s.step(metric[e])
          if (!ok(opt.lr) || s.lr !== opt.lr) return false
        }
        return true
      }),
      { numRuns: 500, seed: 9 },
    )
  })
})
