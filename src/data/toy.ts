/**
 * Seeded toy datasets for 2-D classification. Each returns { X: Tensor [n, 2], y: Int32Array }
 * and the same seed gives the same points on every machine.
 */
import { Tensor } from '../tensor.js'
import { makeRng, normal } from '../random.js'

export interface ToyData {
  X: Tensor
  y: Int32Array
}

export interface ToyOptions {
  /** the total number of points */
  n?: number
  /** the number of classes, where the generator has a choice */
  classes?: number
  /** the standard deviation of the Gaussian noise */
  noise?: number
  seed?: number
}

/** linspace(a, b, m)[i]: m evenly spaced numbers from a to b inclusive. */
function linspace(a: number, b: number, m: number, i: number): number {
  return m === 1 ? a : a + ((b - a) * i) / (m - 1)
}

/** How many of n points class j gets when n is shared out as evenly as possible. */
function share(n: number, classes: number, j: number): number {
  return Math.floor(n / classes) + (j < n % classes ? 1 : 0)
}

function checkCounts(op: string, n: number, classes: number, minClasses = 2): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`toy.${op}: n must be a whole number ≥ 1, got ${n}`)
  if (!Number.isInteger(classes) || classes < minClasses) throw new Error(`toy.${op}: classes must be a whole number ≥ ${minClasses}, got ${classes}`)
}

/**
 * The cs231n spirals: class j gets m points with radius r = linspace(0, 1, m) and angle
 * θ = linspace(4j, 4(j + 1), m) + noise·N(0, 1); the point is (r sin θ, r cos θ).
 *
 *   toy.spirals({ n: 300, classes: 3, seed: 0 })
 */
export function spirals({ n = 300, classes = 3, noise = 0.2, seed = 0 }: ToyOptions = {}): ToyData {
  checkCounts('spirals', n, classes)
  const rng = makeRng(seed)
  const X = new Float64Array(n * 2)
  const y = new Int32Array(n)
  let row = 0
  for (let j = 0; j < classes; j++) {
    const m = share(n, classes, j)
    for (let i = 0; i < m; i++, row++) {
      const r = linspace(0, 1, m, i)
      const theta = linspace(4 * j, 4 * (j + 1), m, i) + noise * normal(rng)
      X[row * 2] = r * Math.sin(theta)
      X[row * 2 + 1] = r * Math.cos(theta)
      y[row] = j
    }
  }
  return { X: new Tensor(X, [n, 2]), y }
}
