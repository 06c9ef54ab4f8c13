/**
 * Argument checks several ops share. Not an op file: src/ops/index.ts does not make these
 * public; the ops (and layers) that need them import them.
 */
import { Tensor } from '../tensor.js'
import { allocate } from '../buffers.js'

/** A temperature is a finite number > 0; errors name `op`. */
export function checkTemperature(temperature: number, op: string): void {
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new Error(`${op}: temperature must be a finite number > 0, got ${String(temperature)}`)
  }
}

/** The index as an Int32Array, every entry a whole number in [0, rows); errors name the first bad one. */
export function checkRowIndex(index: Int32Array | readonly number[], rows: number, op: string, what: string): Int32Array {
  for (let k = 0; k < index.length; k++) {
    const r = index[k]
    if (!Number.isInteger(r) || r < 0 || r >= rows) {
      throw new Error(`${op}: row index ${String(r)} at position ${k} is outside [0, ${rows}) for ${what}`)
    }
  }
  return index instanceof Int32Array ? index : Int32Array.from(index)
}

/** The class weights as numbers, all 1 when none are given. */
export function classWeights(weight: Tensor | Float64Array | readonly number[] | undefined, c: number, op: string): Float64Array {
  if (weight === undefined) return allocate(c).fill(1)
  const w = weight instanceof Tensor ? weight.data : Float64Array.from(weight)
  if (w.length !== c) throw new Error(`${op}: weight has ${w.length} entries for ${c} classes; give one weight per class`)
  for (let k = 0; k < c; k++) {
    if (!Number.isFinite(w[k]) || w[k] < 0) throw new Error(`${op}: weight[${k}] is ${w[k]}; class weights are finite numbers ≥ 0`)
  }
  return w
}
