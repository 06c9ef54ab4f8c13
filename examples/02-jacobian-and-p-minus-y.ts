// 02 · the softmax Jacobian diag(s) − s sᵀ, built three ways (by formula, by autograd, by finite differences).
// Then the gradient of softmax + cross-entropy with respect to the logits: p − y, analytic beside numeric.
import { gradcheck, jacobian, nn, noGrad, numericJacobian, oneHot, softmax, softmaxJacobian, tensor, Tensor } from '../src/index.js'

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}
const f = (x: number, decimals = 6): string => (Object.is(x, -0) ? 0 : x).toFixed(decimals)
const e = (x: number): string => x.toExponential(1)

/** The rows of a K×K tensor as strings, for printing matrices side by side. */
function matrixLines(M: Tensor): string[] {
  const [rows, cols] = M.shape
  const lines: string[] = []
  for (let i = 0; i < rows; i++) {
    const cells: string[] = []
    for (let j = 0; j < cols; j++) cells.push(f(M.data[i * cols + j]).padStart(10))
    lines.push(cells.join(''))
  }
  return lines
}
function maxAbsDiff(a: Tensor, b: Tensor): number {
  let m = 0
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]))
  return m
}

// ── 1. The Jacobian of softmax ──────────────────────────────────────────────────────────────
const z = tensor([4, 2, -1])
const s = softmax(z)
const byFormula = softmaxJacobian(s) //                    diag(s) − s sᵀ, written out
const byAutograd = jacobian((t) => softmax(t), z) //       one backward per output
const byDifferences = numericJacobian((t) => softmax(t), z) // (s(z + ε) − s(z − ε)) / 2ε, per input

console.log(`1. The softmax Jacobian J[i][j] = ∂s_i/∂z_j = s_i(δ_ij − s_j) at z = [4, 2, −1], s = [${Array.from(s.data, (v) => v.toFixed(4)).join(', ')}]\n`)
const titles = ['softmaxJacobian(s)', 'jacobian(softmax, z)', 'numericJacobian(softmax, z)']
const blocks = [byFormula, byAutograd, byDifferences].map(matrixLines)
console.log('   ' + titles.map((t) => t.padStart(30)).join('    '))
for (let i = 0; i < 3; i++) console.log('   ' + blocks.map((b) => b[i]).join('    '))
console.log(`\n   formula vs autograd:            largest difference ${e(maxAbsDiff(byFormula, byAutograd))}`)
console.log(`   formula vs finite differences:  largest difference ${e(maxAbsDiff(byFormula, byDifferences))}  (ε = 1e-6; the numeric side is only that good)`)

const rowSums = [0, 1, 2].map((i) => byFormula.data[i * 3] + byFormula.data[i * 3 + 1] + byFormula.data[i * 3 + 2])
console.log(`\n   Each row sums to 0, up to rounding in the last bits: [${rowSums.map(e).join(', ')}]`)
console.log('   Row i is how s_i moves when every logit moves by the same amount, and adding the same')
console.log('   number to every logit changes nothing (example 01). J is symmetric, so its columns sum to 0')
console.log('   too: the probabilities always sum to 1, so what one class gains the others lose.')
console.log('   Backward never builds J: it applies it as s ⊙ (g − Σ g·s), O(K) instead of O(K²).')

// ── 2. Cross-entropy: the gradient is p − y ─────────────────────────────────────────────────
const labels = [0, 2]
const logits = tensor([[2, 1, -1], [0.5, 2.5, 0]], { requiresGrad: true })
const loss = new nn.SoftmaxCrossEntropy() // fused: backward writes (p − y) / N directly
const value = loss.forward(logits, labels)
value.backward()
const analytic = logits.grad!

// The same loss composed from smaller ops: −mean(logSoftmax(z) picked at the label).
const composedLeaf = tensor(logits.toArray(), { requiresGrad: true })
const composed = composedLeaf.logSoftmax(-1).gather(1, labels).mean().neg()
composed.backward()

// By hand: nudge each logit both ways and watch the loss.
const eps = 1e-6
const lossAt = (): number => noGrad(() => loss.forward(logits, labels).item())
const numeric = new Float64Array(logits.size)
for (let i = 0; i < logits.size; i++) {
  const original = logits.data[i]
  logits.data[i] = original + eps
  const plus = lossAt()
  logits.data[i] = original - eps
  const minus = lossAt()
  logits.data[i] = original
  numeric[i] = (plus - minus) / (2 * eps)
}

const p = softmax(logits.detach())
const y = oneHot(labels, 3)
const N = labels.length
console.log(`\n2. Softmax + cross-entropy, mean over N = ${N} rows: loss = ${value.item().toFixed(6)} (composed: ${composed.item().toFixed(6)})`)
console.log('   ∂loss/∂z = (p − y) / N, with p = softmax(z) and y the one-hot label\n')
const rows: string[][] = []
for (let n = 0; n < N; n++) {
  for (let c = 0; c < 3; c++) {
    const k = n * 3 + c
    rows.push([
      c === 0 ? `row ${n} (label ${labels[n]})` : '', String(c), f(logits.data[k], 1), f(p.data[k]), f(y.data[k], 0),
      f((p.data[k] - y.data[k]) / N), f(analytic.data[k]), f(composedLeaf.grad!.data[k]), f(numeric[k]), e(Math.abs(analytic.data[k] - numeric[k])),
    ])
  }
}
console.log(table(['', 'class', 'z', 'p', 'y', '(p − y)/N', 'fused backward', 'composed backward', 'numeric', '|fused − numeric|'], rows))
console.log('\n   The label\'s own logit gets (p − 1)/N < 0, so gradient descent pushes it up; every other logit')
console.log('   gets p/N > 0 and is pushed down. Each row of the gradient sums to 0, since p and y both sum to 1.')

// gradcheck does the same with a random upstream gradient and the allclose rule.
const check = gradcheck((t) => loss.forward(t, labels), [tensor(logits.toArray(), { requiresGrad: true })])
console.log(`\n   gradcheck(SoftmaxCrossEntropy): ok = ${check.ok}, max abs error ${e(check.maxAbsError)}, max rel error ${e(check.maxRelError)}`)
