/**
 * Argument checks several ops share. Not an op file: src/ops/index.ts does not make these
 * public; the ops that need them import them.
 */

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
