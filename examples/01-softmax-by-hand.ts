// 01 · softmax by hand: exp, sum, divide, and why we subtract the max first (exp(1000) overflows).
// Then temperature (T → 0 is hardmax, T → ∞ uniform) and logSoftmax, exact numbers beside the articles' rounded ones.
import { hardmax, logSoftmax, softmax, tensor } from '../src/index.js'

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}
const f = (x: number, decimals = 4): string => x.toFixed(decimals)
const values = (t: { data: Float64Array }): number[] => Array.from(t.data)

// ── 1. By hand ───────────────────────────────────────────────────────────────────────────────
const z = [4, 2, -1]
const zMax = Math.max(...z)
const shifted = z.map((v) => v - zMax)
const exps = shifted.map(Math.exp)
const total = exps.reduce((a, b) => a + b, 0)
const byHand = exps.map((e) => e / total)
const library = values(softmax(tensor(z)))

console.log('1. softmax(z) = exp(z − max z) / Σ exp(z − max z), for z = [4, 2, −1]\n')
console.log(table(
  ['i', 'z', 'z − max', 'exp(z − max)', '÷ sum', 'softmax(z)'],
  [
    ...z.map((v, i) => [String(i), String(v), String(shifted[i]), f(exps[i], 6), f(byHand[i]), f(library[i])]),
    ['sum', '', '', f(total, 6), f(byHand.reduce((a, b) => a + b, 0)), f(library.reduce((a, b) => a + b, 0))],
  ],
))
const handDiff = Math.max(...byHand.map((p, i) => Math.abs(p - library[i])))
console.log(`\n   by hand vs softgrad's softmax: largest difference ${handDiff.toExponential(1)}`)

// ── 2. Why subtract the max ─────────────────────────────────────────────────────────────────
const big = [1000, 998, 995]
const naiveExps = big.map(Math.exp)
const naiveSum = naiveExps.reduce((a, b) => a + b, 0)
console.log('\n2. Why subtract the max: z = [1000, 998, 995]\n')
console.log(`   exp(1000) = ${Math.exp(1000)}: a double tops out near 1.8e308, and e^710 is already past it`)
console.log(`   naive   exp(z) / Σ exp(z)               = [${naiveExps.map((e) => e / naiveSum).join(', ')}]   (∞ / ∞ is NaN)`)
console.log(`   stable  exp(z − 1000) / Σ exp(z − 1000) = [${values(softmax(tensor(big))).map((p) => f(p)).join(', ')}]`)
console.log('   Subtracting the same number from every logit changes nothing (it cancels in the division),')
console.log('   so [1000, 998, 995] gives the probabilities of [4, 2, −1]; and every exponent is now ≤ 0.')

// ── 3. Temperature ──────────────────────────────────────────────────────────────────────────
console.log('\n3. Temperature: softmax(z / T) for z = [4, 2, −1]\n')
const atT = (T: number): string[] => [`T = ${T}`, ...values(softmax(tensor(z), { temperature: T })).map((v) => f(v))]
console.log(table(
  ['', 'p0', 'p1', 'p2'],
  [
    atT(0.01), atT(0.3), atT(1), atT(3), atT(100),
    ['hardmax(z)', ...values(hardmax(tensor(z))).map((v) => f(v))],
    ['uniform', ...z.map(() => f(1 / z.length))],
  ],
))
console.log('\n   T < 1 sharpens toward hardmax (a one-hot of the argmax): T = 0.01 is already there.')
console.log('   T > 1 flattens toward uniform: T = 100 is nearly there. T = 1 is plain softmax.')

// ── 4. softmax and logSoftmax of [3, 1, 0.2] ────────────────────────────────────────────────
const w = [3, 1, 0.2]
const p = values(softmax(tensor(w)))
const logP = values(logSoftmax(tensor(w)))
console.log('\n4. softmax and logSoftmax of z = [3, 1, 0.2]\n')
console.log(table(
  ['i', 'z', 'softmax(z)', 'logSoftmax(z)', 'log(softmax(z))'],
  w.map((v, i) => [String(i), String(v), f(p[i]), f(logP[i]), f(Math.log(p[i]))]),
))
console.log('\n   logSoftmax is computed directly as z − logsumexp(z): the same numbers, but it never')
console.log('   takes the log of a probability that has underflowed to 0.')

// ── 5. The articles' figures next to the exact values ───────────────────────────────────────
const s = values(softmax(tensor(z)))
const s3 = values(softmax(tensor(z), { temperature: 3 }))
const s03 = values(softmax(tensor(z), { temperature: 0.3 }))
const figures: Array<[string, string, number, number]> = [
  ['softmax([4, 2, −1])[1]', '1', 0.119, s[1]],
  ['softmax([4, 2, −1])[0]', '3', 0.585, s3[0]],
  ['softmax([4, 2, −1])[1]', '3', 0.316, s3[1]],
  ['softmax([4, 2, −1])[2]', '3', 0.099, s3[2]],
  ['softmax([4, 2, −1])[0]', '0.3', 0.997, s03[0]],
  ['softmax([4, 2, −1])[1]', '0.3', 0.003, s03[1]],
  ['softmax([3, 1, 0.2])[0]', '1', 0.839, p[0]],
  ['softmax([3, 1, 0.2])[1]', '1', 0.114, p[1]],
  ['softmax([3, 1, 0.2])[2]', '1', 0.047, p[2]],
  ['logSoftmax([3, 1, 0.2])[0]', '1', -0.175, logP[0]],
  ['logSoftmax([3, 1, 0.2])[1]', '1', -2.175, logP[1]],
  ['logSoftmax([3, 1, 0.2])[2]', '1', -3.05, logP[2]],
]
console.log('\n5. The figures the source articles print, beside the exact values\n')
console.log(table(
  ['', 'T', 'article', 'exact', 'exact to 3 dp', 'article − exact'],
  figures.map(([name, T, article, exact]) => [name, T, String(article), f(exact, 7), f(exact, 3), f(article - exact)]),
))

// Where two of the errors come from: rounding in two steps, and logs of numbers already wrong.
const twoSteps = Math.round((Number(s[1].toFixed(4)) * 1e4) / 10) / 1e3 // 0.1185 → 1185 / 10 = 118.5 → 119
console.log('\n   What rounding too early does:')
console.log(`   · p1 = ${f(s[1], 7)} is ${f(s[1], 3)} to 3 decimals; rounded first to 4 (${f(s[1])}), then to 3, it becomes ${f(twoSteps, 3)}.`)
console.log(`   · the logs of the article's own probabilities are log(0.839) = ${f(Math.log(0.839))}, log(0.114) = ${f(Math.log(0.114))},`)
console.log(`     log(0.047) = ${f(Math.log(0.047))}: near the article's logSoftmax, so an error made in one step is carried`)
console.log(`     into every step after it. The exact logSoftmax is [${logP.map((v) => f(v, 3)).join(', ')}].`)
console.log('   Keep full precision while computing; round only what you print.')
