/** What every optimiser offers: a writable lr, step(), zeroGrad(). */
import type { Tensor } from '../tensor.js'

export interface Optimizer {
  /** the learning rate; schedules write it */
  lr: number
  readonly params: readonly Tensor[]
  /** update every parameter that has a gradient */
  step(): void
  /** set every parameter's gradient to null */
  zeroGrad(): void
  /** the lr, step counts and buffers as plain numbers (JSON-safe), copied */
  stateDict(): OptimizerState
  /** resume from a stateDict() of the same kind of optimiser over parameters of the same sizes */
  loadStateDict(state: OptimizerState): void
}

/**
 * What stateDict() returns. Each optimiser adds its own buffers: one entry per parameter, null
 * until that parameter's first step. The settings (betas, momentum, …) are not in it: build the
 * optimiser with the same options, then load.
 */
export interface OptimizerState {
  /** which optimiser wrote it: 'SGD', 'Adam', 'AdamW' or 'RMSprop' */
  kind: string
  lr: number
}

/** The parameters as an array, checked: an optimiser with nothing to optimise is a mistake. */
export function checkParams(params: Iterable<Tensor>, op: string): Tensor[] {
  const list = Array.from(params)
  if (list.length === 0) throw new Error(`${op}: got an empty parameter list (pass model.parameters())`)
  list.forEach((p, i) => {
    if (!p.requiresGrad) throw new Error(`${op}: parameter ${i} does not require grad; make it with { requiresGrad: true }`)
  })
  return list
}

/** A setting that must be a finite number ≥ 0. */
export function checkNonNegative(value: number, name: string, op: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${op}: ${name} must be a finite number ≥ 0, got ${String(value)}`)
  }
}

/** A setting that must be a finite number > 0 (eps, a divisor). */
export function checkPositive(value: number, name: string, op: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${op}: ${name} must be a finite number > 0, got ${String(value)}`)
  }
}

/** A decay rate in [0, 1): betas, RMSprop's alpha. */
export function checkDecay(value: number, name: string, op: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new Error(`${op}: ${name} must be in [0, 1), got ${String(value)}`)
  }
}

/** The state's kind must be this optimiser's (an Adam state cannot resume RMSprop). */
export function checkStateKind(state: OptimizerState, kind: string): void {
  if (state === null || typeof state !== 'object') {
    throw new Error(`${kind}.loadStateDict: expected the object ${kind}.stateDict() returns, got ${String(state)}`)
  }
  if (state.kind !== kind) {
    throw new Error(`${kind}.loadStateDict: this state was saved by ${String(state.kind)}, not ${kind}; load it into a ${String(state.kind)}`)
  }
  checkNonNegative(state.lr, 'lr', `${kind}.loadStateDict`)
}

/**
 * Per-parameter buffers from a state, checked against the parameters (one entry each, null or
 * as many numbers as the parameter), copied into Float64Arrays.
 */
export function loadBuffers(
  buffers: ReadonlyArray<readonly number[] | null> | undefined,
  params: readonly Tensor[],
  name: string,
  op: string,
): Array<Float64Array | null> {
  if (!Array.isArray(buffers) || buffers.length !== params.length) {
    throw new Error(`${op}.loadStateDict: expected ${params.length} ${name} buffers (one per parameter), got ${Array.isArray(buffers) ? buffers.length : String(buffers)}`)
  }
  return buffers.map((b, k) => {
    if (b === null) return null
    if (!Array.isArray(b) || b.length !== params[k].size) {
      throw new Error(`${op}.loadStateDict: ${name} buffer ${k} has ${Array.isArray(b) ? b.length : String(b)} numbers but parameter ${k} has ${params[k].size}`)
    }
    return Float64Array.from(b)
  })
}

/** Buffers as plain arrays (copies), for stateDict(). */
export function saveBuffers(buffers: ReadonlyArray<Float64Array | null>): Array<number[] | null> {
  return buffers.map((b) => (b === null ? null : Array.from(b)))
}
