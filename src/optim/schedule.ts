/**
 * Learning-rate schedules, exactly torch.optim.lr_scheduler's. Each one writes the optimiser's
 * lr; call step() once per epoch, after the epoch's optimiser steps (OneCycleLR: once per batch;
 * ReduceLROnPlateau: step(metric) with the epoch's validation loss or accuracy). Each says which
 * in `stepEvery` ('epoch', 'batch', 'metric'), and fit reads it.
 *
 *   StepLR              lr ← lr·γ  every stepSize epochs
 *   ExponentialLR       lr ← lr·γ  every epoch
 *   CosineAnnealingLR   lr_e = η_min + (lr₀ − η_min)·(1 + cos(π·e/T))/2, computed as torch does,
 *                       recursively from the previous lr; past T it rises again (period 2T)
 *   OneCycleLR          warm up from maxLr/divFactor to maxLr over pctStart of the steps, then
 *                       anneal to maxLr/divFactor/finalDivFactor, both along half a cosine
 *   ReduceLROnPlateau   lr ← max(lr·factor, minLr) once more than `patience` epochs pass without
 *                       improvement
 *
 * Like torch's, building a schedule (except ReduceLROnPlateau) takes its first step, epoch 0:
 * the lr it sets then is the one the first epoch trains with.
 */
import type { Optimizer } from './optimizer.js'
import { checkNonNegative, checkPositive } from './optimizer.js'

/**
 * What every schedule offers; a schedule of your own that has these works in fit too.
 *
 *   { kind: 'Warmup', stepEvery: 'batch', optimizer, lr, step() { ... }, stateDict, loadStateDict }
 */
export interface LRScheduler {
  /** 'StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'OneCycleLR' or 'ReduceLROnPlateau' */
  readonly kind: string
  /**
   * When fit calls step(): after every batch ('batch': OneCycleLR), after every epoch ('epoch':
   * StepLR, ExponentialLR, CosineAnnealingLR), or after every epoch with its metric, the
   * validation loss, or the training loss without validation data ('metric': ReduceLROnPlateau)
   */
  readonly stepEvery: 'batch' | 'epoch' | 'metric'
  readonly optimizer: Optimizer
  /** the lr this schedule last set (torch's get_last_lr()) */
  readonly lr: number
  /** advance one step of stepEvery; a 'metric' schedule is given the metric */
  step(metric?: number): void
  stateDict(): SchedulerState
  loadStateDict(state: SchedulerState): void
}

/**
 * What stateDict() returns: plain numbers (JSON-safe). The settings (gamma, tMax, …) are not in
 * it: build the schedule with the same options, then load.
 */
export interface SchedulerState {
  /** which schedule wrote it: 'StepLR', 'ExponentialLR', … */
  kind: string
  /** epochs (OneCycleLR: batches) stepped since construction; 0 right after it */
  lastEpoch: number
  /** the lr the schedule last set */
  lr: number
}

/** The state of StepLR, ExponentialLR, CosineAnnealingLR and OneCycleLR. */
export interface EpochSchedulerState extends SchedulerState {
  /** the optimiser's lr when the schedule was built */
  baseLr: number
}

/** A setting that must be a whole number ≥ 1 (epochs, steps). */
function checkCount(value: number, name: string, op: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${op}: ${name} must be a whole number ≥ 1, got ${String(value)}`)
}

function checkOptimizer(optimizer: Optimizer, op: string): void {
  if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
    throw new Error(`${op}: expected an optimiser (e.g. new optim.SGD(...)) as the first argument, got ${String(optimizer)}`)
  }
}

function checkSchedulerState(state: SchedulerState, kind: string): void {
  if (state === null || typeof state !== 'object') {
    throw new Error(`${kind}.loadStateDict: expected the object ${kind}.stateDict() returns, got ${String(state)}`)
  }
  if (typeof state.kind !== 'string') {
    throw new Error(`${kind}.loadStateDict: expected the object ${kind}.stateDict() returns, got one without a kind`)
  }
  if (state.kind !== kind) {
    throw new Error(`${kind}.loadStateDict: this state was saved by ${state.kind}, not ${kind}; load it into an optim.${state.kind}`)
  }
  if (!Number.isInteger(state.lastEpoch) || state.lastEpoch < 0) {
    throw new Error(`${kind}.loadStateDict: lastEpoch must be a whole number ≥ 0, got ${String(state.lastEpoch)}`)
  }
  checkNonNegative(state.lr, 'lr', `${kind}.loadStateDict`)
}

/** The schedules that compute each epoch's lr from the epoch count (and, like torch's, the previous lr). */
export abstract class EpochScheduler implements LRScheduler {
  readonly stepEvery: 'batch' | 'epoch' = 'epoch'
  readonly optimizer: Optimizer
  /** the optimiser's lr when the schedule was built (torch's base_lrs) */
  baseLr: number
  /** -1 until the first step, taken by the constructor */
  lastEpoch = -1
  private lastLr: number

  protected constructor(readonly kind: string, optimizer: Optimizer) {
    checkOptimizer(optimizer, kind)
    this.optimizer = optimizer
    this.baseLr = optimizer.lr
    this.lastLr = optimizer.lr
  }

  get lr(): number {
    return this.lastLr
  }

  /** advance one epoch and write the new lr to the optimiser */
  step(): void {
    const lr = this.lrAt(this.lastEpoch + 1)
    this.lastEpoch++
    this.optimizer.lr = lr
    this.lastLr = lr
  }

  /** the lr for epoch e, from the optimiser's current lr (the epoch before) */
  protected abstract lrAt(e: number): number

  stateDict(): EpochSchedulerState {
    return { kind: this.kind, lastEpoch: this.lastEpoch, lr: this.lastLr, baseLr: this.baseLr }
  }

  /** Resume: restores the epoch count and writes the saved lr to the optimiser too. */
  loadStateDict(state: EpochSchedulerState): void {
    checkSchedulerState(state, this.kind)
    checkNonNegative(state.baseLr, 'baseLr', `${this.kind}.loadStateDict`)
    this.lastEpoch = state.lastEpoch
    this.baseLr = state.baseLr
    this.lastLr = state.lr
    this.optimizer.lr = state.lr
  }
}

export interface StepLROptions {
  /** epochs between decays */
  stepSize: number
  /** default 0.1 */
  gamma?: number
}

/** new optim.StepLR(opt, { stepSize: 30, gamma: 0.1 }): lr ← lr·γ at epochs stepSize, 2·stepSize, … */
export class StepLR extends EpochScheduler {
  readonly stepSize: number
  readonly gamma: number

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super('StepLR', optimizer)
    const { stepSize, gamma = 0.1 } = options ?? ({} as StepLROptions)
    checkCount(stepSize, 'stepSize', 'StepLR')
    checkNonNegative(gamma, 'gamma', 'StepLR')
    this.stepSize = stepSize
    this.gamma = gamma
    this.step()
  }

  protected lrAt(e: number): number {
    const lr = this.optimizer.lr
    return e === 0 || e % this.stepSize !== 0 ? lr : lr * this.gamma
  }
}

export interface ExponentialLROptions {
  /** the factor applied every epoch */
  gamma: number
}

/** new optim.ExponentialLR(opt, { gamma: 0.95 }): lr ← lr·γ every epoch */
export class ExponentialLR extends EpochScheduler {
  readonly gamma: number

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer)
    const { gamma } = options ?? ({} as ExponentialLROptions)
    checkNonNegative(gamma, 'gamma', 'ExponentialLR')
    this.gamma = gamma
    this.step()
  }

  protected lrAt(e: number): number {
    return e === 0 ? this.optimizer.lr : this.optimizer.lr * this.gamma
  }
}

export interface CosineAnnealingLROptions {
  /** epochs from the base lr down to etaMin (half a period) */
  tMax: number
  /** default 0 */
  etaMin?: number
}

/**
 * new optim.CosineAnnealingLR(opt, { tMax: 50 }): lr_e = η_min + (lr₀ − η_min)·(1 + cos(π·e/T))/2.
 * NOTE: like torch, this follows the cosine past tMax, back up to lr₀ at 2·tMax and so on.
 */
export class CosineAnnealingLR extends EpochScheduler {
  readonly tMax: number
  readonly etaMin: number

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer)
    const { tMax, etaMin = 0 } = options ?? ({} as CosineAnnealingLROptions)
    checkCount(tMax, 'tMax', 'CosineAnnealingLR')
    checkNonNegative(etaMin, 'etaMin', 'CosineAnnealingLR')
    this.tMax = tMax
    this.etaMin = etaMin
    this.step()
  }

  /** torch's recursive form: each lr is the previous one scaled by the ratio of consecutive cosines. */
  protected lrAt(e: number): number {
    const { tMax: T, etaMin, baseLr } = this
    const lr = this.optimizer.lr
    if (e === 0) return lr
    // Just past a minimum the ratio would divide by 1 + cos(π) = 0: step up from η_min instead.
    const next = (e - 1 - T) % (2 * T) === 0
      ? lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / T)) / 2
      : (1 + Math.cos(Math.PI * e / T)) / (1 + Math.cos(Math.PI * (e - 1) / T)) * (lr - etaMin) + etaMin
    // NOTE: with lr₀ = 0 < η_min, torch's rounding can give −1e-17 where the cosine touches 0;
    // an lr is never negative.
    return Math.max(next, 0)
  }
}

export interface OneCycleLROptions {
  /** the peak lr */
  maxLr: number
  /** optimiser steps (batches) in the whole run */
  totalSteps: number
  /** the fraction of steps spent warming up; default 0.3 */
  pctStart?: number
  /** the starting lr is maxLr/divFactor; default 25 */
  divFactor?: number
  /** the final lr is maxLr/divFactor/finalDivFactor; default 1e4 */
  finalDivFactor?: number
}

/**
 * new optim.OneCycleLR(opt, { maxLr: 0.1, totalSteps: epochs * batchesPerEpoch }), stepped once
 * per batch (Smith & Topin, 2017): cosine from maxLr/divFactor up to maxLr, then down to
 * maxLr/divFactor/finalDivFactor. The optimiser's own lr is replaced at construction.
 * NOTE: no momentum cycling, and only torch's two phases (three_phase = False).
 */
export class OneCycleLR extends EpochScheduler {
  override readonly stepEvery = 'batch'
  readonly maxLr: number
  readonly totalSteps: number
  readonly pctStart: number
  readonly initialLr: number
  readonly minLr: number
  /** the last step of the warm-up (torch's end_step of phase 1; fractional, may be negative) */
  private readonly warmupEnd: number

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    super('OneCycleLR', optimizer)
    const { maxLr, totalSteps, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = options ?? ({} as OneCycleLROptions)
    checkNonNegative(maxLr, 'maxLr', 'OneCycleLR')
    checkCount(totalSteps, 'totalSteps', 'OneCycleLR')
    if (typeof pctStart !== 'number' || !(pctStart >= 0 && pctStart <= 1)) {
      throw new Error(`OneCycleLR: pctStart must be in [0, 1], got ${String(pctStart)}`)
    }
    checkPositive(divFactor, 'divFactor', 'OneCycleLR')
    checkPositive(finalDivFactor, 'finalDivFactor', 'OneCycleLR')
    this.maxLr = maxLr
    this.totalSteps = totalSteps
    this.pctStart = pctStart
    this.initialLr = maxLr / divFactor
    this.minLr = this.initialLr / finalDivFactor
    this.warmupEnd = pctStart * totalSteps - 1
    this.baseLr = this.initialLr
    this.step()
  }

  protected lrAt(e: number): number {
    const { totalSteps, warmupEnd } = this
    // NOTE: torch allows totalSteps calls of step() (the last lr is never used) and fails after.
    if (e > totalSteps) {
      throw new Error(`OneCycleLR: step() called ${e} times but totalSteps is ${totalSteps}; ` +
        `make totalSteps the number of batches in the whole run (epochs × batches per epoch)`)
    }
    if (e <= warmupEnd) {
      if (warmupEnd === 0) {
        throw new Error(`OneCycleLR: pctStart·totalSteps = ${this.pctStart}·${totalSteps} = 1 makes the warm-up last 0 steps, ` +
          `which divides by zero (so does torch); choose another pctStart`)
      }
      return annealCos(this.initialLr, this.maxLr, e / warmupEnd)
    }
    const annealSteps = totalSteps - 1 - warmupEnd
    if (annealSteps === 0) {
      throw new Error(`OneCycleLR: pctStart = ${this.pctStart} leaves no steps to anneal over, ` +
        `so the lr after step ${totalSteps} divides by zero (so does torch); choose pctStart < 1`)
    }
    return annealCos(this.maxLr, this.minLr, (e - warmupEnd) / annealSteps)
  }
}

/** Half a cosine from start (pct = 0) to end (pct = 1), in torch's order of operations. */
function annealCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1
  // NOTE: only with lrs below 1e-307 (where halving rounds) can this round below 0; an lr never is.
  return Math.max(end + (start - end) / 2 * cosOut, 0)
}

export interface ReduceLROnPlateauOptions {
  /** 'min' (a loss; default) or 'max' (an accuracy) */
  mode?: 'min' | 'max'
  /** lr ← lr·factor, in [0, 1); default 0.1 */
  factor?: number
  /** epochs without improvement to wait before reducing; default 10 */
  patience?: number
  /** how much better counts as better; default 1e-4 */
  threshold?: number
  /** 'rel' (better than best·(1 ∓ threshold); default) or 'abs' (best ∓ threshold) */
  thresholdMode?: 'rel' | 'abs'
  /** epochs to wait after a reduction before counting again; default 0 */
  cooldown?: number
  /** the lr never goes below this; default 0 */
  minLr?: number
  /** a reduction smaller than this is skipped; default 1e-8 */
  eps?: number
}

/** The state of ReduceLROnPlateau; ±Infinity (no metric seen yet) is written as a string for JSON. */
export interface ReduceLROnPlateauState extends SchedulerState {
  kind: 'ReduceLROnPlateau'
  best: number | 'Infinity' | '-Infinity'
  numBadEpochs: number
  cooldownCounter: number
}

/**
 * new optim.ReduceLROnPlateau(opt, { patience: 5 }), then sched.step(valLoss) every epoch:
 * after more than `patience` epochs in a row without a metric better than the best so far,
 * lr ← max(lr·factor, minLr), then `cooldown` epochs are not counted.
 */
export class ReduceLROnPlateau implements LRScheduler {
  readonly kind = 'ReduceLROnPlateau'
  readonly stepEvery = 'metric'
  readonly optimizer: Optimizer
  readonly mode: 'min' | 'max'
  readonly factor: number
  readonly patience: number
  readonly threshold: number
  readonly thresholdMode: 'rel' | 'abs'
  readonly cooldown: number
  readonly minLr: number
  readonly eps: number
  lastEpoch = 0
  /** the best metric so far; +Infinity ('min') or −Infinity ('max') before the first */
  best: number
  numBadEpochs = 0
  cooldownCounter = 0
  private lastLr: number

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const op = 'ReduceLROnPlateau'
    checkOptimizer(optimizer, op)
    const {
      mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8,
    } = options ?? {}
    if (mode !== 'min' && mode !== 'max') throw new Error(`${op}: mode must be 'min' (a loss) or 'max' (an accuracy), got ${JSON.stringify(mode)}`)
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new Error(`${op}: thresholdMode must be 'rel' or 'abs', got ${JSON.stringify(thresholdMode)}`)
    }
    if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
      throw new Error(`${op}: factor must be in [0, 1) (the lr is multiplied by it), got ${String(factor)}`)
    }
    checkNonNegative(patience, 'patience', op)
    checkNonNegative(threshold, 'threshold', op)
    checkNonNegative(cooldown, 'cooldown', op)
    checkNonNegative(minLr, 'minLr', op)
    checkNonNegative(eps, 'eps', op)
    this.optimizer = optimizer
    this.mode = mode
    this.factor = factor
    this.patience = patience
    this.threshold = threshold
    this.thresholdMode = thresholdMode
    this.cooldown = cooldown
    this.minLr = minLr
    this.eps = eps
    this.best = this.worst()
    this.lastLr = optimizer.lr
  }

  get lr(): number {
    return this.lastLr
  }

  /** Record this epoch's metric (lower is better in 'min' mode) and reduce the lr if it has stalled. */
  step(metric: number): void {
    if (typeof metric !== 'number') {
      throw new Error(`ReduceLROnPlateau.step: pass the epoch's metric, e.g. step(valLoss); got ${String(metric)}`)
    }
    this.lastEpoch++
    if (this.isBetter(metric, this.best)) {
      this.best = metric
      this.numBadEpochs = 0
    } else {
      this.numBadEpochs++
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--
      this.numBadEpochs = 0 // epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      const oldLr = this.optimizer.lr
      const newLr = Math.max(oldLr * this.factor, this.minLr)
      if (oldLr - newLr > this.eps) this.optimizer.lr = newLr
      this.cooldownCounter = this.cooldown
      this.numBadEpochs = 0
    }
    this.lastLr = this.optimizer.lr
  }

  private isBetter(a: number, best: number): boolean {
    const { threshold } = this
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity
  }

  stateDict(): ReduceLROnPlateauState {
    const best = this.best === Infinity ? 'Infinity' : this.best === -Infinity ? '-Infinity' : this.best
    return { kind: this.kind, lastEpoch: this.lastEpoch, lr: this.lastLr, best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter }
  }

  /** Resume: restores the best metric and the counters, and writes the saved lr to the optimiser too. */
  loadStateDict(state: ReduceLROnPlateauState): void {
    const op = 'ReduceLROnPlateau.loadStateDict'
    checkSchedulerState(state, this.kind)
    const best = typeof state.best === 'string' ? Number(state.best) : state.best
    if (typeof best !== 'number' || Number.isNaN(best)) throw new Error(`${op}: best must be a number, 'Infinity' or '-Infinity', got ${JSON.stringify(state.best)}`)
    checkNonNegative(state.numBadEpochs, 'numBadEpochs', op)
    checkNonNegative(state.cooldownCounter, 'cooldownCounter', op)
    this.lastEpoch = state.lastEpoch
    this.best = best
    this.numBadEpochs = state.numBadEpochs
    this.cooldownCounter = state.cooldownCounter
    this.lastLr = state.lr
    this.optimizer.lr = state.lr
  }
}
