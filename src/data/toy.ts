/**
 * Seeded toy datasets for 2-D classification. Each returns { X: Tensor [n, 2], y: Int32Array }
 * and the same seed gives the same points on every machine.
 *
 * @module
 */
import { Tensor } from '../tensor.js'
import { makeRng, normal, checkSeed } from '../random.js'

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
  /** seeds the points, a whole number from 0 to 4294967295 (default 0) */
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
  const rng = makeRng(checkSeed(seed, 'toy.spirals'))
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

function onlyTwoClasses(op: string, classes: number | undefined): void {
  if (classes !== undefined && classes !== 2) throw new Error(`toy.${op}: this dataset has exactly 2 classes, got classes: ${classes}`)
}

/**
 * Two interleaving half circles (scikit-learn's make_moons): class 0 on the upper arc
 * (cos t, sin t), class 1 on the lower one (1 − cos t, 0.5 − sin t), t ∈ [0, π], then Gaussian
 * noise on both coordinates.
 */
export function moons({ n = 200, classes, noise = 0.1, seed = 0 }: ToyOptions = {}): ToyData {
  onlyTwoClasses('moons', classes)
  checkCounts('moons', n, 2)
  const rng = makeRng(checkSeed(seed, 'toy.moons'))
  const X = new Float64Array(n * 2)
  const y = new Int32Array(n)
  let row = 0
  for (let j = 0; j < 2; j++) {
    const m = share(n, 2, j)
    for (let i = 0; i < m; i++, row++) {
      const t = linspace(0, Math.PI, m, i)
      X[row * 2] = (j === 0 ? Math.cos(t) : 1 - Math.cos(t)) + noise * normal(rng)
      X[row * 2 + 1] = (j === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * normal(rng)
      y[row] = j
    }
  }
  return { X: new Tensor(X, [n, 2]), y }
}

/**
 * A circle inside a circle (scikit-learn's make_circles): class 0 on radius 1, class 1 on
 * radius `factor` (default 0.5), evenly spaced angles, then Gaussian noise.
 */
export function circles({ n = 200, classes, noise = 0.05, seed = 0, factor = 0.5 }: ToyOptions & { factor?: number } = {}): ToyData {
  onlyTwoClasses('circles', classes)
  checkCounts('circles', n, 2)
  if (!(factor > 0 && factor < 1)) throw new Error(`toy.circles: factor must be in (0, 1), got ${factor}`)
  const rng = makeRng(checkSeed(seed, 'toy.circles'))
  const X = new Float64Array(n * 2)
  const y = new Int32Array(n)
  let row = 0
  for (let j = 0; j < 2; j++) {
    const m = share(n, 2, j)
    const radius = j === 0 ? 1 : factor
    for (let i = 0; i < m; i++, row++) {
      const t = (2 * Math.PI * i) / m
      X[row * 2] = radius * Math.cos(t) + noise * normal(rng)
      X[row * 2 + 1] = radius * Math.sin(t) + noise * normal(rng)
      y[row] = j
    }
  }
  return { X: new Tensor(X, [n, 2]), y }
}

/**
 * Gaussian blobs: `classes` centres drawn uniformly in [−10, 10]² (as scikit-learn's
 * make_blobs), each class's points at its centre plus `noise`·N(0, 1) (default 1).
 */
export function blobs({ n = 200, classes = 3, noise = 1, seed = 0 }: ToyOptions = {}): ToyData {
  checkCounts('blobs', n, classes)
  const rng = makeRng(checkSeed(seed, 'toy.blobs'))
  const centres = Array.from({ length: classes }, () => [20 * rng() - 10, 20 * rng() - 10])
  const X = new Float64Array(n * 2)
  const y = new Int32Array(n)
  let row = 0
  for (let j = 0; j < classes; j++) {
    const m = share(n, classes, j)
    for (let i = 0; i < m; i++, row++) {
      X[row * 2] = centres[j][0] + noise * normal(rng)
      X[row * 2 + 1] = centres[j][1] + noise * normal(rng)
      y[row] = j
    }
  }
  return { X: new Tensor(X, [n, 2]), y }
}

/**
 * XOR: points uniform in [−1, 1]²; class 1 where the two coordinates have opposite signs.
 * The label comes from the clean point; `noise` (default 0) then jitters its position, so
 * noisy points near the axes can sit on the other side, as in TensorFlow Playground.
 */
export function xor({ n = 200, classes, noise = 0, seed = 0 }: ToyOptions = {}): ToyData {
  onlyTwoClasses('xor', classes)
  checkCounts('xor', n, 2)
  const rng = makeRng(checkSeed(seed, 'toy.xor'))
  const X = new Float64Array(n * 2)
  const y = new Int32Array(n)
  for (let row = 0; row < n; row++) {
    const a = 2 * rng() - 1
    const b = 2 * rng() - 1
    y[row] = a * b < 0 ? 1 : 0
    X[row * 2] = a + noise * normal(rng)
    X[row * 2 + 1] = b + noise * normal(rng)
  }
  return { X: new Tensor(X, [n, 2]), y }
}

/**
 * Many Gaussian blobs in many dims, for softmaxes over many classes: `classes` centres
 * (default 1000) drawn uniformly in [−2, 2]^dim (dim default 64), then class j's points at
 * its centre plus `noise`·N(0, 1) in every dim. Two centres lie about 1.6·√dim apart (13 at
 * dim 64) while noise 1 moves a point about 1 along the line between them, so the classes are
 * separable by a linear map yet not trivially so. Returns { X [n, dim], y }.
 *
 *   toy.manyBlobs({ n: 20_000, classes: 1000, dim: 64, seed: 0 })
 */
export function manyBlobs({ n = 10_000, classes = 1000, dim = 64, noise = 1, seed = 0 }: ToyOptions & { dim?: number } = {}): ToyData {
  checkCounts('manyBlobs', n, classes)
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`toy.manyBlobs: dim must be a whole number ≥ 1, got ${dim}`)
  const rng = makeRng(checkSeed(seed, 'toy.manyBlobs'))
  const centres = new Float64Array(classes * dim)
  for (let i = 0; i < centres.length; i++) centres[i] = 4 * rng() - 2
  const X = new Float64Array(n * dim)
  const y = new Int32Array(n)
  // Rows cycle through the classes (0, 1, …, C−1, 0, …) so any prefix covers them evenly.
  for (let row = 0; row < n; row++) {
    const j = row % classes
    y[row] = j
    for (let i = 0; i < dim; i++) X[row * dim + i] = centres[j * dim + i] + noise * normal(rng)
  }
  return { X: new Tensor(X, [n, dim]), y }
}
