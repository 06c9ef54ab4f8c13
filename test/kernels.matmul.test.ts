import { describe, it, expect } from 'vitest'
import { matmulNN, matmulNT, matmulPlain, matmulTN } from '../src/kernels/matmul.js'

/** A tiny seeded LCG (Numerical Recipes constants), values in [-1, 1). */
function randomArray(length: number, seed: number): Float64Array {
  const x = new Float64Array(length)
  let s = seed >>> 0
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    x[i] = s / 2 ** 31 - 1
  }
  return x
}

/** The transpose of a row-major [rows×cols] matrix, built the obvious way. */
function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]
  return t
}

function maxAbsDiff(x: Float64Array, y: Float64Array): number {
  expect(x.length).toBe(y.length)
  let d = 0
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]))
  return d
}

/** Rounding error of a k-term dot product of values in [-1, 1) grows at most like k·ε. */
const tolerance = (k: number) => 1e-13 * Math.max(1, k)

/**
 * A = [m×k] and B = [k×n] in every layout, with C = A·B from the plain loop. NT gets B stored
 * [n×k] and TN gets A stored [k×m], so all three must reproduce the same C.
 */
function problem(m: number, k: number, n: number, seed: number) {
  const a = randomArray(m * k, seed)
  const b = randomArray(k * n, seed + 1)
  return { a, b, aT: transpose(a, m, k), bT: transpose(b, k, n), expected: matmulPlain(a, b, m, k, n) }
}

const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 33]

describe('matmul kernels', () => {
  it('the plain loop computes a 2×3 · 3×2 product worked out by hand', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6])
    const b = Float64Array.from([7, 8, 9, 10, 11, 12])
    expect(Array.from(matmulPlain(a, b, 2, 3, 2))).toEqual([58, 64, 139, 154])
  })

  it('NN, NT and TN match the plain loop for every m, k, n in {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 33}', () => {
    let seed = 1
    for (const m of sizes) {
      for (const k of sizes) {
        for (const n of sizes) {
          const { a, b, aT, bT, expected } = problem(m, k, n, seed++)
          const shape = `m=${m} k=${k} n=${n}`
          expect(maxAbsDiff(matmulNN(a, b, m, k, n), expected), `NN ${shape}`).toBeLessThanOrEqual(tolerance(k))
          expect(maxAbsDiff(matmulNT(a, bT, m, k, n), expected), `NT ${shape}`).toBeLessThanOrEqual(tolerance(k))
          expect(maxAbsDiff(matmulTN(aT, b, m, k, n), expected), `TN ${shape}`).toBeLessThanOrEqual(tolerance(k))
        }
      }
    }
  })

  it('NN, NT and TN match the plain loop on larger shapes with ragged edges', () => {
    for (const [m, k, n] of [[65, 130, 67], [31, 257, 6], [1, 300, 129], [129, 1, 3]]) {
      const { a, b, aT, bT, expected } = problem(m, k, n, m + k + n)
      expect(maxAbsDiff(matmulNN(a, b, m, k, n), expected)).toBeLessThanOrEqual(tolerance(k))
      expect(maxAbsDiff(matmulNT(a, bT, m, k, n), expected)).toBeLessThanOrEqual(tolerance(k))
      expect(maxAbsDiff(matmulTN(aT, b, m, k, n), expected)).toBeLessThanOrEqual(tolerance(k))
    }
  })

  it('NN, NT and TN match the plain loop when every cache block is split (70×530×521)', () => {
    // Larger than one block of rows of A (64), of depth (256) and of columns of B (512).
    const [m, k, n] = [70, 530, 521]
    const { a, b, aT, bT, expected } = problem(m, k, n, 7)
    expect(maxAbsDiff(matmulNN(a, b, m, k, n), expected)).toBeLessThanOrEqual(tolerance(k))
    expect(maxAbsDiff(matmulNT(a, bT, m, k, n), expected)).toBeLessThanOrEqual(tolerance(k))
    expect(maxAbsDiff(matmulTN(aT, b, m, k, n), expected)).toBeLessThanOrEqual(tolerance(k))
  })

  it('out is overwritten, not accumulated into, and is the array returned', () => {
    const [m, k, n] = [6, 5, 7]
    const { a, b, aT, bT, expected } = problem(m, k, n, 99)
    const calls: [string, (out: Float64Array) => Float64Array][] = [
      ['NN', (out) => matmulNN(a, b, m, k, n, out)],
      ['NT', (out) => matmulNT(a, bT, m, k, n, out)],
      ['TN', (out) => matmulTN(aT, b, m, k, n, out)],
      ['plain', (out) => matmulPlain(a, b, m, k, n, out)],
    ]
    for (const [name, call] of calls) {
      const out = new Float64Array(m * n).fill(123.5)
      expect(call(out), name).toBe(out)
      expect(maxAbsDiff(out, expected), name).toBeLessThanOrEqual(tolerance(k))
      expect(maxAbsDiff(call(out), expected), `${name} called twice`).toBeLessThanOrEqual(tolerance(k))
    }
  })

  it('k = 0 gives a zero matrix even in a dirty out', () => {
    const out = new Float64Array(6).fill(1)
    for (const kernel of [matmulNN, matmulNT, matmulTN, matmulPlain]) {
      out.fill(1)
      expect(Array.from(kernel(new Float64Array(0), new Float64Array(0), 2, 0, 3, out))).toEqual([0, 0, 0, 0, 0, 0])
    }
  })

  it('an operand too short for m, k, n throws an error that names the kernel and the sizes', () => {
    expect(() => matmulNN(new Float64Array(5), new Float64Array(6), 2, 3, 2)).toThrow(/matmulNN: m=2, k=3, n=2/)
    expect(() => matmulNT(new Float64Array(6), new Float64Array(6), 2, 3, 2, new Float64Array(3))).toThrow(/out 3/)
  })
})
