/** What every optimiser offers: a writable lr, step(), zeroGrad(). */
import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'

export interface Optimizer {
  /** the learning rate; schedules write it */
  lr: number
  readonly params: readonly Tensor[]
  /** update every parameter that has a gradient */
  step(): void
  /** set every parameter's gradient to null, or to zeros with { setToNone: false } */
  zeroGrad(options?: ZeroGradOptions): void
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

/**
 * Each parameter's gradient for an update (null where it has none), all checked before any
 * parameter moves: a .grad of another size than its parameter (set by hand) is an error that
 * says so, not NaN spreading through the weights or half a step taken.
 */
export function gradientsOf(params: readonly Tensor[], op: string): Array<Float64Array | null> {
  return params.map((p, k) => {
    if (p.grad === null) return null
    if (p.grad.size !== p.size) {
      throw new Error(
        `${op}.step: parameter ${k} has shape ${formatShape(p.shape)} but its .grad has shape ${formatShape(p.grad.shape)}; ` +
          'a gradient needs one number per number of its parameter',
      )
    }
    return p.grad.data
  })
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
  if (typeof state.kind !== 'string') {
    throw new Error(`${kind}.loadStateDict: expected the object ${kind}.stateDict() returns, got one without a kind`)
  }
  if (state.kind !== kind) {
    throw new Error(`${kind}.loadStateDict: this state was saved by ${state.kind}, not ${kind}; make an optim.${state.kind} with the same options and load it into that`)
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

/*
 * Exact arithmetic, as torch's compiled CPU kernels do it.
 *
 * NOTE: torch's kernels are compiled for AVX2 with fused multiply-add, so `a.add_(b, alpha=α)`
 * and `addcmul_` round a + α·b once, not twice; and Python's `β ** t` is correctly rounded,
 * while V8's Math.pow can be off by one unit in the last place. JavaScript has no Math.fma,
 * so these two reproduce them; without them the optimisers still agree with torch to about
 * 1e-15, but a parameter that lands near 0 (θ − lr·b cancelling) can lose that agreement.
 */

const SPLITTER = 134217729 // 2^27 + 1: Veltkamp's split of a double into two 26-bit halves

/** fma(a, b, c) = a·b + c rounded once, as a fused multiply-add instruction does: fma(0.1, 10, -1) = 5.55e-17, not 0. */
export function fma(a: number, b: number, c: number): number {
  const p = a * b
  const size = Math.abs(p)
  // Where the error terms below would overflow or underflow, two roundings are all we can do.
  if (!(size > 1e-270 && size < 1e300) || !(Math.abs(a) < 1e299 && Math.abs(b) < 1e299) || !Number.isFinite(c)) return p + c
  // a·b = p + e exactly (Dekker): split each factor into halves whose products are exact.
  let t = SPLITTER * a
  const aHi = t - (t - a)
  const aLo = a - aHi
  t = SPLITTER * b
  const bHi = t - (t - b)
  const bLo = b - bHi
  const e = aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo
  // p + c = s + r exactly (Knuth's two-sum), so a·b + c = s + (r + e).
  const s = p + c
  const z = s - p
  const r = p - (s - z) + (c - z)
  const u = r + e
  const result = s + u
  // u misses r + e by under half a unit in u's last place, and s + u is a whole number of those
  // units, as is every halfway point between doubles near s. So rounding s + u gives the double
  // nearest a·b + c, unless s + u is itself halfway: then what u dropped decides the side.
  const past = u - (result - s) // s + u − result, exactly
  if (past !== 0 && result + 2 * past - result === 2 * past) {
    const w = u - r
    const dropped = r - (u - w) + (e - w) // r + e − u, exactly
    if ((dropped > 0 && past > 0) || (dropped < 0 && past < 0)) return result + 2 * past
  }
  return result
}

/** x^n for a whole n ≥ 0, correctly rounded (as C's pow is): powInt(0.9, 4) = 0.6561 (V8's 0.9 ** 4 gives 0.6561000000000001). */
export function powInt(x: number, n: number): number {
  // Square-and-multiply in double-double (hi + lo), then round once.
  let hi = 1
  let lo = 0
  let baseHi = x
  let baseLo = 0
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) [hi, lo] = mulDoubleDouble(hi, lo, baseHi, baseLo)
    if (k > 1) [baseHi, baseLo] = mulDoubleDouble(baseHi, baseLo, baseHi, baseLo)
  }
  return hi + lo
}

/** (aHi + aLo)·(bHi + bLo) as a normalised double-double. */
function mulDoubleDouble(aHi: number, aLo: number, bHi: number, bLo: number): [number, number] {
  const p = aHi * bHi
  const e = fma(aHi, bHi, -p) + (aHi * bLo + aLo * bHi)
  const hi = p + e
  return [hi, e - (hi - p)]
}

export interface ZeroGradOptions {
  /**
   * true (the default, as in PyTorch): each .grad becomes null, and the next backward hands the
   * parameter a new array. false: each .grad is filled with zeros and the next backward adds
   * into it, so a training loop keeps the same gradient arrays from step to step (with
   * recycleBuffers, such a loop allocates nothing once it runs).
   */
  setToNone?: boolean
}

/** zeroGrad for every optimiser and Module: null the gradients, or zero them in place. */
export function zeroGrads(params: Iterable<Tensor>, { setToNone = true }: ZeroGradOptions = {}): void {
  for (const p of params) {
    if (setToNone) p.grad = null
    else p.grad?.data.fill(0)
  }
}
