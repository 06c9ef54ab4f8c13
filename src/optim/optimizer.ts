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
