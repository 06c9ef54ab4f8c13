// 13 · backprop seen op by op: traceBackward records one backward pass of a small MLP (2-4-3, tanh, mean cross-entropy).
// Then the same gradients from a chain rule written out by hand in plain loops, side by side with the trace's, and their largest difference.
import { formatTrace, gradientsFromTrace, makeRng, nn, randn, traceBackward } from '../src/index.js'

// ── 1. One step of a small MLP, traced ────────────────────────────────────────────────────────
const rng = makeRng(0)
const model = new nn.Sequential(new nn.Linear(2, 4, { rng }), new nn.Tanh(), new nn.Linear(4, 3, { rng }))
for (const [name, p] of model.namedParameters()) p.named(name) // '0.weight', '0.bias', '2.weight', '2.bias'
const x = randn([4, 2], { rng }).named('x')
const labels = [0, 2, 1, 2]
const logits = model.forward(x).named('logits')
const loss = new nn.SoftmaxCrossEntropy().forward(logits, labels).named('loss')

const steps = traceBackward(loss) // this IS loss.backward(): the parameters' .grad are set
console.log(`1. The backward pass of one step (N = ${labels.length} rows, loss ${loss.item().toFixed(6)}), as traceBackward recorded it\n`)
console.log(formatTrace(steps).replace(/^(?=.)/gm, '   '))

// ── 2. The same gradients by hand: the chain rule, one loop per line of math ────────────────────
const [N, D, H, C] = [4, 2, 4, 3]
const params = new Map(model.namedParameters())
const W1 = params.get('0.weight')!.data // [H, D]
const b1 = params.get('0.bias')!.data //   [H]
const W2 = params.get('2.weight')!.data // [C, H]
const b2 = params.get('2.bias')!.data //   [C]
const X = x.data //                         [N, D]

// forward again in loops: h = tanh(x·W1ᵀ + b1), z = h·W2ᵀ + b2, p = softmax(z)
const h = new Float64Array(N * H)
const p = new Float64Array(N * C)
for (let n = 0; n < N; n++) {
  for (let j = 0; j < H; j++) {
    let s = b1[j]
    for (let d = 0; d < D; d++) s += X[n * D + d] * W1[j * D + d]
    h[n * H + j] = Math.tanh(s)
  }
  let max = -Infinity
  for (let c = 0; c < C; c++) {
    let s = b2[c]
    for (let j = 0; j < H; j++) s += h[n * H + j] * W2[c * H + j]
    p[n * C + c] = s
    max = Math.max(max, s)
  }
  let total = 0
  for (let c = 0; c < C; c++) total += (p[n * C + c] = Math.exp(p[n * C + c] - max))
  for (let c = 0; c < C; c++) p[n * C + c] /= total
}

// dz = (p − y)/N                                       the fused loss's rule
const dz = new Float64Array(N * C)
for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) dz[n * C + c] = (p[n * C + c] - (labels[n] === c ? 1 : 0)) / N
// dW2 = dzᵀ·h,  db2 = Σₙ dz,  dh = dz·W2               the second linear's rule
const dW2 = new Float64Array(C * H)
const db2 = new Float64Array(C)
const dh = new Float64Array(N * H)
for (let n = 0; n < N; n++) {
  for (let c = 0; c < C; c++) {
    const g = dz[n * C + c]
    db2[c] += g
    for (let j = 0; j < H; j++) {
      dW2[c * H + j] += g * h[n * H + j]
      dh[n * H + j] += g * W2[c * H + j]
    }
  }
}
// da = dh ⊙ (1 − h²)                                   tanh's rule
const da = dh.map((g, k) => g * (1 - h[k] * h[k]))
// dW1 = daᵀ·x,  db1 = Σₙ da                            the first linear's rule (x is data: no dX)
const dW1 = new Float64Array(H * D)
const db1 = new Float64Array(H)
for (let n = 0; n < N; n++) {
  for (let j = 0; j < H; j++) {
    db1[j] += da[n * H + j]
    for (let d = 0; d < D; d++) dW1[j * D + d] += da[n * H + j] * X[n * D + d]
  }
}

// ── 3. Side by side ───────────────────────────────────────────────────────────────────────────
const fromTrace = gradientsFromTrace(steps)
const byHand: Array<[string, Float64Array]> = [['0.weight', dW1], ['0.bias', db1], ['2.weight', dW2], ['2.bias', db2]]
const f = (v: number): string => (Object.is(v, -0) ? 0 : v).toFixed(8).padStart(12)
let largest = 0
console.log('2. The same gradients by a hand-written chain rule (plain loops), beside the trace\'s\n')
console.log(`   ${'parameter'.padEnd(10)}${'index'.padStart(6)}${'trace'.padStart(13)}${'by hand'.padStart(13)}${'|difference|'.padStart(14)}`)
for (const [name, hand] of byHand) {
  const traced = fromTrace.get(name)!
  const param = params.get(name)!
  for (let i = 0; i < hand.length; i++) {
    const diff = Math.abs(traced[i] - hand[i])
    largest = Math.max(largest, diff)
    const index = param.ndim === 2 ? `${Math.floor(i / param.shape[1])},${i % param.shape[1]}` : String(i)
    console.log(`   ${(i === 0 ? name : '').padEnd(10)}${index.padStart(6)} ${f(traced[i])} ${f(hand[i])}  ${diff.toExponential(1).padStart(12)}`)
  }
}
console.log(`\n   largest difference ${largest.toExponential(1)}: the same chain rule, only the order of some additions differs.`)

// The trace is the backward pass itself: what it handed the parameters is exactly their .grad.
const sameAsGrad = model.namedParameters().every(([name, t]) => fromTrace.get(name)!.every((v, i) => v === t.grad!.data[i]))
console.log(`   the trace's gradients equal .grad to the last bit: ${sameAsGrad}`)
