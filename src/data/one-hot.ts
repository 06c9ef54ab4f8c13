import { Tensor } from '../tensor.js'

/** oneHot([2, 0], 3) → [[0, 0, 1], [1, 0, 0]] */
export function oneHot(y: Int32Array | readonly number[], numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`oneHot: numClasses must be a whole number ≥ 1, got ${numClasses}`)
  const out = new Float64Array(y.length * numClasses)
  for (let i = 0; i < y.length; i++) {
    const c = y[i]
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new Error(`oneHot: label ${c} at row ${i} is outside [0, ${numClasses})`)
    out[i * numClasses + c] = 1
  }
  return new Tensor(out, [y.length, numClasses])
}
