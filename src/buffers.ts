/**
 * Buffer reuse for training steps.
 *
 * Every op writes its result into a fresh Float64Array. In a training loop those arrays live for
 * one step and are then garbage; the garbage collector frees them late, so a loop keeps asking
 * the system for new memory, and on many machines the first touch of new memory costs more than
 * the arithmetic of a small network. `recycleBuffers(step)` fixes that the way `tf.tidy` does in
 * TensorFlow.js: the arrays the ops allocate inside `step` are handed back when it returns, and
 * the next step's ops get them again (zeroed, so nothing changes but the speed).
 *
 *   for (const { X, y } of batches) {
 *     optimizer.zeroGrad()
 *     const l = recycleBuffers(() => {
 *       const loss = lossFn.forward(model.forward(X), y)
 *       loss.backward()
 *       return loss.item()              // numbers leave the step; its tensors do not
 *     })
 *     optimizer.step()
 *   }
 *
 * The rule: nothing made inside the step may be used after it, except numbers and what the
 * step's backward wrote into parameters' .grad (those arrays are kept). A tensor that is used
 * anyway throws an error saying so, rather than handing out recycled numbers.
 *
 * Ops allocate with `allocate(length)`; outside a step it is `new Float64Array(length)`, give or
 * take an array taken from the pool.
 */

import type { Tensor } from './tensor.js'

interface Step {
  readonly arrays: Float64Array[]
  readonly tensors: Tensor[]
  /** how a tensor is retired: the Tensor class hands it over (recordTensor) */
  retire: ((tensor: Tensor) => void) | null
  readonly kept: Set<Float64Array>
}

/** Free arrays by length. Capped, so one huge step does not hold its memory for ever. */
const pool = new Map<number, Float64Array[]>()
const POOL_LIMIT_BYTES = 64 * 2 ** 20
let pooledBytes = 0

let current: Step | null = null

/** A zero-filled array of `length` numbers: a recycled one when the pool has one. */
export function allocate(length: number): Float64Array {
  const reused = pool.get(length)?.pop()
  let array: Float64Array
  if (reused === undefined) {
    array = new Float64Array(length)
  } else {
    pooledBytes -= reused.byteLength
    array = reused.fill(0)
  }
  current?.arrays.push(array)
  return array
}

/**
 * Run one training step and recycle the arrays its ops allocated once it returns. Return
 * numbers (loss.item(), counts), not tensors or arrays the step made: those are refused, also
 * inside a returned array or plain object. Inside a step, a nested recycleBuffers is just a
 * call: its arrays belong to the outer step.
 */
export function recycleBuffers<T>(step: () => T): T {
  if (current !== null) return step()
  const s: Step = { arrays: [], tensors: [], retire: null, kept: new Set() }
  current = s
  let result: T
  try {
    result = step()
  } catch (e) {
    current = null
    endStep(s)
    throw e
  }
  current = null
  const leak = findStepValue(result, s)
  endStep(s)
  if (leak !== null) {
    throw new Error(
      `recycleBuffers: the step returned ${leak.what} made inside it (${leak.path}), whose numbers have just been recycled. ` +
        'Return numbers instead (loss.item(), a count), or copy them out inside the step (tensor.toArray(), Array.from(array))',
    )
  }
  return result
}

/** Called by the Tensor constructor: a tensor made inside a step is retired when the step ends. */
export function recordTensor(tensor: Tensor, retire: (tensor: Tensor) => void): void {
  if (current === null) return
  current.tensors.push(tensor)
  current.retire = retire
}

/** Keep an array (and the tensors over it) past the end of the step: a parameter's new .grad. */
export function keepBuffer(array: Float64Array): void {
  current?.kept.add(array)
}

function endStep({ arrays, tensors, retire, kept }: Step): void {
  for (const t of tensors) if (!kept.has(t.data)) retire!(t)
  for (const array of arrays) {
    if (kept.has(array) || pooledBytes + array.byteLength > POOL_LIMIT_BYTES) continue
    let free = pool.get(array.length)
    if (free === undefined) pool.set(array.length, (free = []))
    free.push(array)
    pooledBytes += array.byteLength
  }
}

/**
 * The first tensor or array in `value` (itself, or inside arrays and plain objects) that the
 * step made and will recycle, with where it sits (`result`, `result.probs`, `result[2]`).
 */
function findStepValue(value: unknown, s: Step): { what: string; path: string } | null {
  let tensors: Set<unknown> | null = null
  let arrays: Set<unknown> | null = null
  const seen = new Set<unknown>()
  const visit = (v: unknown, path: string): { what: string; path: string } | null => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return null
    seen.add(v)
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = visit(v[i], `${path}[${i}]`)
        if (found !== null) return found
      }
      return null
    }
    const proto = Object.getPrototypeOf(v)
    if (proto === Object.prototype || proto === null) {
      for (const [key, item] of Object.entries(v)) {
        const found = visit(item, `${path}.${key}`)
        if (found !== null) return found
      }
      return null
    }
    // Only now the step's records: a step that returns numbers (the usual case) never looks them up.
    if (v instanceof Float64Array) {
      arrays ??= new Set(s.arrays)
      return arrays.has(v) && !s.kept.has(v) ? { what: 'a Float64Array', path } : null
    }
    tensors ??= new Set(s.tensors)
    if (tensors.has(v)) return s.kept.has((v as Tensor).data) ? null : { what: 'a tensor', path }
    return null
  }
  return visit(value, 'result')
}
