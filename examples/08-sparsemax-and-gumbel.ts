// 08 · alternatives to softmax on the same logits: sparsemax (exact zeros), hardmax, and gumbelSoftmax samples
// (soft at T = 1 and 0.3, hard straight-through), with a check that Gumbel-max draws follow softmax's probabilities.
import { gumbelSoftmax, hardmax, makeRng, softmax, sparsemax, tensor, type Tensor } from '../src/index.js'

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}
const f = (x: number, decimals = 3): string => x.toFixed(decimals)
const cells = (t: Tensor, decimals = 3): string[] => Array.from(t.data, (v) => f(v, decimals))

const logits = [1.5, 1, 0.2, -1]
const z = tensor(logits)
const K = logits.length
const header = ['', ...logits.map((_, k) => `class ${k}`)]

// ── 1. Three ways to turn logits into a distribution ────────────────────────────────────────
console.log(`1. z = [${logits.join(', ')}]\n`)
const sm = softmax(z)
const sp = sparsemax(z)
console.log(table(header, [
  ['logits z', ...logits.map(String)],
  ['softmax(z)', ...cells(sm)],
  ['sparsemax(z)', ...cells(sp)],
  ['hardmax(z)', ...cells(hardmax(z))],
]))
const support = Array.from(sp.data).filter((p) => p > 0).length
const tau = (logits.slice(0, support).reduce((a, b) => a + b, 0) - 1) / support
console.log(`\n   softmax gives every class some probability (the smallest here is ${Math.min(...sm.data).toExponential(2)}).`)
console.log('   sparsemax is the probability vector nearest to z: p = max(z − τ, 0), with the threshold τ chosen')
console.log(`   so that p sums to 1 (here τ = ${f(tau, 4)}, the mean of the top ${support} logits minus 1/${support}).`)
console.log(`   ${K - support} of ${K} classes get exactly 0; the sum is ${f(Array.from(sp.data).reduce((a, b) => a + b, 0), 6)}.`)
console.log('   hardmax keeps only the argmax; it has no useful gradient (a step function is flat almost everywhere).')

// ── 2. Gumbel-softmax samples ───────────────────────────────────────────────────────────────
// Each setting gets the same seed, so row d of every block uses the same Gumbel noise g:
// the sample is softmax((z + g) / T), and T changes only how soft it is, never its argmax.
const draws = 5
const sample = (options: { temperature?: number; hard?: boolean }): Tensor[] => {
  const rng = makeRng(42)
  return Array.from({ length: draws }, () => gumbelSoftmax(z, { ...options, rng }))
}
const blocks: Array<[string, Tensor[]]> = [
  ['soft, T = 1', sample({ temperature: 1 })],
  ['soft, T = 0.3', sample({ temperature: 0.3 })],
  ['hard (T = 1)', sample({ temperature: 1, hard: true })],
]
console.log(`\n2. gumbelSoftmax(z): softmax((z + g) / T), with Gumbel noise g = −log(−log u), u ~ Uniform(0, 1)\n`)
const rows: string[][] = []
for (const [name, samples] of blocks) {
  samples.forEach((s, d) => rows.push([d === 0 ? name : '', `draw ${d + 1}`, ...cells(s), `→ class ${s.argmax()[0]}`]))
}
console.log(table(['', '', ...header.slice(1), 'argmax'], rows))
console.log('\n   The same noise at each setting: T = 0.3 is closer to one-hot than T = 1 (as T → 0 every sample')
console.log('   becomes one-hot); all three pick the same class, and the hard sample is exactly one-hot.')

// ── 3. Straight-through: one-hot in value, the soft sample's gradient ───────────────────────
const w = tensor([1, 2, 3, 4])
const gradientOf = (hard: boolean): { value: Tensor; grad: Tensor } => {
  const leaf = tensor(logits, { requiresGrad: true })
  const value = gumbelSoftmax(leaf, { temperature: 1, hard, rng: makeRng(7) })
  value.mul(w).sum().backward() // a stand-in for a loss: Σ w·y
  return { value, grad: leaf.grad! }
}
const hard = gradientOf(true)
const soft = gradientOf(false)
console.log('\n3. hard = true: the forward value is one-hot, the backward is the soft sample\'s (straight-through).')
console.log('   Both samples below use the same noise; the loss is Σ w·y with w = [1, 2, 3, 4].\n')
console.log(table(header, [
  ['hard sample y', ...cells(hard.value)],
  ['∂loss/∂z (hard)', ...cells(hard.grad, 4)],
  ['soft sample y', ...cells(soft.value)],
  ['∂loss/∂z (soft)', ...cells(soft.grad, 4)],
]))
const gradDiff = Math.max(...Array.from(hard.grad.data, (g, k) => Math.abs(g - soft.grad.data[k])))
console.log(`\n   Largest difference between the two gradients: ${gradDiff.toExponential(1)}. A one-hot choice, yet the logits`)
console.log('   still learn: that is what lets a network make discrete choices inside a differentiable model.')

// ── 4. The Gumbel-max trick: argmax(z + g) is an exact sample from softmax(z) ───────────────
const n = 5000
const repeated = new Float64Array(n * K)
for (let i = 0; i < n; i++) repeated.set(logits, i * K)
const picks = gumbelSoftmax(tensor(repeated, { shape: [n, K] }), { hard: true, rng: makeRng(2024) }).argmax(-1)
const counts = new Array<number>(K).fill(0)
for (const k of picks) counts[k]++
let chiSquare = 0
const freqRows = logits.map((_, k) => {
  const p = sm.data[k]
  const freq = counts[k] / n
  const se = Math.sqrt((p * (1 - p)) / n) // the spread of a frequency from n draws
  chiSquare += (counts[k] - n * p) ** 2 / (n * p)
  return [`class ${k}`, f(p, 4), String(counts[k]), f(freq, 4), f(freq - p, 4), f(se, 4), f((freq - p) / se, 2)]
})
console.log(`\n4. ${n} hard Gumbel samples of z: how often each class wins, against softmax(z)\n`)
console.log(table(['', 'softmax p', 'count', 'frequency', 'frequency − p', 'std. error', 'in std. errors'], freqRows))
const critical = 7.815 // the 95th percentile of χ² with K − 1 = 3 degrees of freedom
console.log(`\n   χ² = ${f(chiSquare, 2)} with ${K - 1} degrees of freedom; a fair sampler stays below ${critical} in 95% of runs:`)
console.log(`   ${chiSquare < critical ? 'consistent with' : 'NOT consistent with'} drawing from softmax(z). Frequencies within about 2 standard errors of p are what chance gives.`)
