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

/**
 * The fastest single call of `run` among as many as fit in `minSeconds` (at least one): the
 * minimum is the time least disturbed by whatever else the machine was doing.
 */
function fastestCallSeconds(run: () => void, minSeconds: number): number {
  let fastest = Infinity
  const start = performance.now()
  do {
    const t = performance.now()
    run()
    fastest = Math.min(fastest, performance.now() - t)
  } while (performance.now() - start < minSeconds * 1000)
  return fastest / 1000
}

const sizes = [256, 1024]
const rounds = 3
const rows: string[][] = []
for (const size of sizes) {
  const m = size, k = size, n = size
  const a = randomArray(m * k, 1)
  const b = randomArray(k * n, 2)
  const aT = transpose(a, m, k) // [k×m], for TN
  const bT = transpose(b, k, n) // [n×k], for NT
  const out = new Float64Array(m * n)
  const flops = 2 * m * k * n

  // Check every layout against the plain loop first; this call also warms it up.
  const reference = matmulPlain(a, b, m, k, n)
  const kernels: [string, () => void][] = [['plain i-k-j', () => matmulPlain(a, b, m, k, n, out)]]
  const diffs = ['reference']
  const layouts: [string, Kernel, Float64Array, Float64Array][] = [
    ['NN', matmulNN, a, b],
    ['NT', matmulNT, a, bT],
    ['TN', matmulTN, aT, b],
  ]
  for (const [name, kernel, x, y] of layouts) {
    kernel(x, y, m, k, n, out)
    const diff = maxAbsDiff(out, reference)
    if (!(diff <= 1e-12 * k)) {
      throw new Error(`bench/matmul.ts: ${name} at ${size} differs from the plain loop by ${diff}`)
    }
    kernels.push([name, () => kernel(x, y, m, k, n, out)])
    diffs.push(diff.toExponential(1))
  }

  // Rounds go through all kernels in turn, so a burst of other work on the machine hits them
  // alike; each kernel keeps its fastest call. One call of the plain loop at 1024 takes seconds.
  const best = kernels.map(() => Infinity)
  for (let round = 0; round < rounds; round++) {
    kernels.forEach(([name, run], i) => {
      const minSeconds = name.startsWith('plain') && size >= 1024 ? 0 : 0.5
      best[i] = Math.min(best[i], fastestCallSeconds(run, minSeconds))
    })
  }
  const plainRate = flops / best[0] / 1e9
  kernels.forEach(([name], i) => {
    const rate = flops / best[i] / 1e9
    rows.push([`${size}`, name, rate.toFixed(2), `${(rate / plainRate).toFixed(2)}×`, diffs[i]])
  })
}

const header = ['size', 'kernel', 'GFLOP/s', 'vs plain', 'max |C − plain|']
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)))
const line = (cells: string[]) =>
  cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const r of rows) console.log(line(r))
const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
console.log(`\nsize = m = k = n; fastest call over ${rounds} rounds of ≥ 0.5 s each`)
console.log(`${cpu}, ${os.cpus().length} cores, node ${process.version}`)
