/**
 * Matmul benchmark: GFLOP/s of the JS and the WebAssembly (f64x2 SIMD) kernels in the NN, NT
 * and TN layouts, and of the public API (`a.matmul(b)` and its backward, a fresh result each
 * call) on each, all in this one process, for square sizes 256 and 1024 (and the plain i-k-j
 * loop at 256, the yardstick). Run: npm run bench:matmul
 *
 * Before anything is timed, each kernel's C is checked: the JS and WebAssembly kernels must give
 * the same bits, and both the plain loop's numbers, so a fast wrong kernel never shows up here.
 * A flop count of 2·m·k·n per product (one multiply and one add per term); a matmul's backward
 * is two more products (dA = dC·Bᵀ, dB = Aᵀ·dC), so the API row counts 6·m·k·n.
 *
 * Timing: 3 rounds, each going through every row in turn (so a burst of other work on the
 * machine hits them alike); in a round a row's time is the median call over ≥ 0.4 s; the table
 * shows the median of the 3 rounds.
 */
import os from 'node:os'
import { matmulNN, matmulNT, matmulPlain, matmulTN } from '../src/kernels/matmul.js'
import { setKernels, kernelsInfo, type KernelsName } from '../src/kernels/wasm.js'
import { Tensor } from '../src/index.js'

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

function sameBits(x: Float64Array, y: Float64Array): boolean {
  const xi = new BigInt64Array(x.buffer, x.byteOffset, x.length)
  const yi = new BigInt64Array(y.buffer, y.byteOffset, y.length)
  return x.length === y.length && xi.every((v, i) => v === yi[i])
}

/** The median time of the calls of `run` that fit in `minSeconds` (at least 3), in seconds. */
function medianCallSeconds(run: () => void, minSeconds: number): number {
  const times: number[] = []
  const start = performance.now()
  do {
    const t = performance.now()
    run()
    times.push(performance.now() - t)
  } while (times.length < 3 || performance.now() - start < minSeconds * 1000)
  times.sort((x, y) => x - y)
  return times[Math.floor(times.length / 2)] / 1000
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]

interface Row { size: number; what: string; kernels: KernelsName | '-'; flops: number; run: () => void; note: string }

if (kernelsInfo().wasm !== 'ready') throw new Error(`bench/matmul.ts: the WebAssembly kernels are not available: ${kernelsInfo().reason}`)

const sizes = [256, 1024]
const rounds = 3
const rows: Row[] = []
for (const size of sizes) {
  const m = size, k = size, n = size
  const a = randomArray(m * k, 1)
  const b = randomArray(k * n, 2)
  const layouts: [string, Kernel, Float64Array, Float64Array][] = [
    ['NN', matmulNN, a, b],
    ['NT', matmulNT, a, transpose(b, k, n)], // B stored [n×k]
    ['TN', matmulTN, transpose(a, m, k), b], // A stored [k×m]
  ]
  const reference = matmulPlain(a, b, m, k, n)
  if (size <= 256) rows.push({ size, what: 'plain i-k-j', kernels: '-', flops: 2 * m * k * n, run: () => matmulPlain(a, b, m, k, n), note: 'reference' })
  for (const [name, kernel, x, y] of layouts) {
    const results = (['js', 'wasm'] as const).map((kernels) => {
      setKernels(kernels)
      return kernel(x, y, m, k, n)
    })
    const diff = maxAbsDiff(results[0], reference)
    if (!(diff <= 1e-12 * k)) throw new Error(`bench/matmul.ts: ${name} at ${size} differs from the plain loop by ${diff}`)
    if (!sameBits(results[0], results[1])) throw new Error(`bench/matmul.ts: ${name} at ${size}: the JS and WebAssembly kernels differ`)
    for (const kernels of ['js', 'wasm'] as const) {
      const out = new Float64Array(m * n)
      rows.push({ size, what: name, kernels, flops: 2 * m * k * n, run: () => kernel(x, y, m, k, n, out), note: `same bits; ${diff.toExponential(1)} from plain` })
    }
  }
  // The public API, as training uses it: a fresh C each call, then both gradients.
  const A = new Tensor(a, [m, k], { requiresGrad: true })
  const B = new Tensor(b, [k, n], { requiresGrad: true })
  const upstream = new Tensor(randomArray(m * n, 3), [m, n])
  for (const kernels of ['js', 'wasm'] as const) {
    rows.push({
      size, what: 'a.matmul(b) + backward', kernels, flops: 6 * m * k * n, note: 'forward and dA, dB',
      run: () => {
        A.grad = null
        B.grad = null
        A.matmul(B).backward(upstream)
      },
    })
  }
}

const seconds = rows.map(() => [] as number[])
for (let round = 0; round < rounds; round++) {
  rows.forEach((row, i) => {
    if (row.kernels !== '-') setKernels(row.kernels)
    seconds[i].push(medianCallSeconds(row.run, 0.4))
  })
}
const rate = (i: number) => rows[i].flops / median(seconds[i]) / 1e9
const jsTwin = (i: number) => rows.findIndex((r) => r.size === rows[i].size && r.what === rows[i].what && r.kernels === 'js')

const table = rows.map((row, i) => {
  const vsJs = row.kernels === 'wasm' ? `${(rate(i) / rate(jsTwin(i))).toFixed(2)}×` : ''
  return [`${row.size}`, row.what, row.kernels, rate(i).toFixed(2), vsJs, row.note]
})
const header = ['size', 'what', 'kernels', 'GFLOP/s', 'wasm ÷ js', 'check']
const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c].length)))
const line = (cells: string[]) => cells.map((cell, c) => (c < 3 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const r of table) console.log(line(r))

// Issue 20's targets, said plainly: the kernels ≥ 16 GFLOP/s and ≥ 2.5× JS; the API ≥ 10 and ≥ 2×.
console.log('')
for (const [i, row] of rows.entries()) {
  if (row.kernels !== 'wasm') continue
  const api = row.what.startsWith('a.matmul')
  const [minRate, minRatio] = api ? [10, 2] : [16, 2.5]
  const ratio = rate(i) / rate(jsTwin(i))
  const met = rate(i) >= minRate && ratio >= minRatio
  console.log(`${met ? 'met    ' : 'NOT met'}  ${row.size} ${row.what}: ${rate(i).toFixed(1)} GFLOP/s (≥ ${minRate}), ${ratio.toFixed(2)}× JS (≥ ${minRatio})`)
}
const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
console.log(`\nsize = m = k = n; median of ${rounds} interleaved rounds, each the median call over ≥ 0.4 s`)
console.log(`${cpu}, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`)
