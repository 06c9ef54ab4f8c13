/**
 * Matmul benchmark: GFLOP/s of the plain i-k-j loop and of the NN, NT and TN kernels, all in
 * this one process, for square sizes 256 and 1024. Run: npx tsx bench/matmul.ts
 * A flop count of 2·m·k·n (one multiply and one add per term); each kernel is checked against
 * the plain loop first, so a fast wrong kernel can never show up in the table.
 */
import os from 'node:os'
import { matmulNN, matmulNT, matmulPlain, matmulTN } from '../src/kernels/matmul.js'

type Kernel = (a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array) => Float64Array

/** A tiny LCG so the inputs are the same on every run, in [-1, 1). */
function randomArray(length: number, seed: number): Float64Array {
  const x = new Float64Array(length)
  let s = seed >>> 0
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    x[i] = s / 2 ** 31 - 1
  }
  return x
}

/** The transpose of a [rows×cols] matrix, to feed NT and TN the same product as NN. */
function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(x.length)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j]
  return t
}

function maxAbsDiff(x: Float64Array, y: Float64Array): number {
  let d = 0
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]))
  return d
}

/** Best time in seconds of `run`, over rounds of repeats that each last at least `minSeconds`. */
function bestSeconds(run: () => void, minSeconds: number, rounds: number): number {
  let best = Infinity
  for (let round = 0; round < rounds; round++) {
    let reps = 0
    const start = performance.now()
    let elapsed = 0
    while (elapsed < minSeconds * 1000 || reps === 0) {
      run()
      reps++
      elapsed = performance.now() - start
    }
    best = Math.min(best, elapsed / 1000 / reps)
  }
  return best
}

const sizes = [256, 1024]
const rows: string[][] = []
for (const size of sizes) {
  const m = size, k = size, n = size
  const a = randomArray(m * k, 1)
  const b = randomArray(k * n, 2)
  const aT = transpose(a, m, k) // [k×m], for TN
  const bT = transpose(b, k, n) // [n×k], for NT
  const out = new Float64Array(m * n)
  const flops = 2 * m * k * n

  const reference = matmulPlain(a, b, m, k, n)
  const layouts: [string, Kernel, Float64Array, Float64Array][] = [
    ['NN', matmulNN, a, b],
    ['NT', matmulNT, a, bT],
    ['TN', matmulTN, aT, b],
  ]
  for (const [name, kernel, x, y] of layouts) {
    kernel(x, y, m, k, n, out) // warm up, then check
    const diff = maxAbsDiff(out, reference)
    if (!(diff <= 1e-12 * k)) throw new Error(`bench/matmul.ts: ${name} at ${size} differs from plain by ${diff}`)
  }

  // The plain loop at 1024 takes seconds: one repeat per round is enough there.
  const plainSeconds = bestSeconds(() => matmulPlain(a, b, m, k, n, out), size >= 1024 ? 0 : 0.5, size >= 1024 ? 2 : 3)
  const plainRate = flops / plainSeconds / 1e9
  rows.push([`${size}`, 'plain i-k-j', plainRate.toFixed(2), '1.00×'])
  for (const [name, kernel, x, y] of layouts) {
    const seconds = bestSeconds(() => kernel(x, y, m, k, n, out), 0.5, 3)
    const rate = flops / seconds / 1e9
    rows.push([`${size}`, name, rate.toFixed(2), `${(rate / plainRate).toFixed(2)}×`])
  }
}

const header = ['size', 'kernel', 'GFLOP/s', 'vs plain']
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)))
const line = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const r of rows) console.log(line(r))
console.log(`\n${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} cores, node ${process.version}`)
