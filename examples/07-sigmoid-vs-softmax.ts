// 07 · multi-label: a point can be "right of the y-axis" and "inside the unit circle" at once, or neither.
// One sigmoid per label (BCEWithLogitsLoss) can say "both"; a softmax makes the labels compete and cannot.
import { Tensor, batches, makeRng, nn, noGrad, optim, rand, sigmoid, softmax, tensor } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}

// ── The data: points in the square [−1.5, 1.5]², two yes/no labels each ─────────────────────
const LABELS = ['right', 'inside'] // right: x > 0;  inside: x² + y² < 1
const COMBINATIONS = ['neither', 'right only', 'inside only', 'both']
function makeData(n: number, seed: number): { X: Tensor; Y: Tensor } {
  const X = rand([n, 2], { rng: makeRng(seed) }).mul(3).sub(1.5)
  const Y = new Float64Array(n * 2)
  for (let i = 0; i < n; i++) {
    const [x, y] = [X.data[2 * i], X.data[2 * i + 1]]
    Y[2 * i] = x > 0 ? 1 : 0
    Y[2 * i + 1] = x * x + y * y < 1 ? 1 : 0
  }
  return { X, Y: tensor(Y, { shape: [n, 2] }) }
}
/** 0 neither, 1 right only, 2 inside only, 3 both. */
const combination = (right: number, inside: number): number => right + 2 * inside
const train = makeData(600, 0)
const test = makeData(1000, 1)
const counts = [0, 0, 0, 0]
for (let i = 0; i < 600; i++) counts[combination(train.Y.data[2 * i], train.Y.data[2 * i + 1])]++
console.log('Two labels per point: right (x > 0) and inside (x² + y² < 1). They are independent questions:')
console.log(`the 600 training points are ${COMBINATIONS.map((c, k) => `${counts[k]} ${c}`).join(', ')}.\n`)

// ── Two identical networks; only what turns logits into probabilities differs ───────────────
const makeModel = (): nn.Sequential => {
  const rng = makeRng(0)
  return new nn.Sequential(new nn.Linear(2, 32, { rng }), new nn.Tanh(), new nn.Linear(32, 32, { rng }), new nn.Tanh(), new nn.Linear(32, 2, { rng }))
}
const sigmoidModel = makeModel() // two logits, each through its own sigmoid: P(right), P(inside)
const softmaxModel = makeModel() // two logits through one softmax: the probabilities must share 1

// The sigmoid model learns the labels as they are. Softmax needs targets that sum to 1, so a point
// with both labels becomes [0.5, 0.5], and so, for want of anything better, does a point with neither.
const softTargets = (Y: Tensor): Tensor => {
  const out = new Float64Array(Y.size)
  for (let i = 0; i < Y.size; i += 2) {
    const on = Y.data[i] + Y.data[i + 1]
    out[i] = on === 0 ? 0.5 : Y.data[i] / on
    out[i + 1] = on === 0 ? 0.5 : Y.data[i + 1] / on
  }
  return tensor(out, { shape: Y.shape })
}

/** The training loop of example 03, for any model, loss and target tensor. */
function trainModel(model: nn.Module, loss: nn.Loss, Y: Tensor, epochs: number): number {
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
  const shuffle = makeRng(2)
  let last = NaN
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (const batch of batches(train.X, Y, { batchSize: 32, rng: shuffle })) {
      optimizer.zeroGrad()
      const value = loss.forward(model.forward(batch.X), batch.y)
      value.backward()
      optimizer.step()
      last = value.item()
    }
  }
  return last
}
const epochs = quick ? 10 : 150
const bceLast = trainModel(sigmoidModel, new nn.BCEWithLogitsLoss(), train.Y, epochs)
const ceLast = trainModel(softmaxModel, new nn.SoftmaxCrossEntropy(), softTargets(train.Y), epochs)
console.log(`Both 2-32-32-2 (tanh), trained ${epochs} epochs with SGD lr 0.1, momentum 0.9:`)
console.log(`   sigmoid + BCEWithLogitsLoss          last batch loss ${bceLast.toFixed(4)}`)
console.log(`   softmax + SoftmaxCrossEntropy        last batch loss ${ceLast.toFixed(4)}  (targets [0.5, 0.5] for both and for neither)\n`)

// ── Test: a label is "on" when its probability is above 0.5 ─────────────────────────────────
const probabilities = (X: Tensor): { sig: Tensor; soft: Tensor } =>
  noGrad(() => ({ sig: sigmoid(sigmoidModel.eval().forward(X)), soft: softmax(softmaxModel.eval().forward(X)) }))
const { sig, soft } = probabilities(test.X)
const n = test.X.shape[0]
const labelRight = [[0, 0], [0, 0]] // [model][label]
const exact = [[0, 0, 0, 0], [0, 0, 0, 0]] // [model][true combination]: both labels right
const truthCount = [0, 0, 0, 0]
let softmaxSaidBoth = 0
let softmaxSaidNeither = 0
for (let i = 0; i < n; i++) {
  const truth = [test.Y.data[2 * i], test.Y.data[2 * i + 1]]
  const combo = combination(truth[0], truth[1])
  truthCount[combo]++
  ;[sig, soft].forEach((P, m) => {
    const said = [P.data[2 * i] > 0.5 ? 1 : 0, P.data[2 * i + 1] > 0.5 ? 1 : 0]
    if (said[0] === truth[0]) labelRight[m][0]++
    if (said[1] === truth[1]) labelRight[m][1]++
    if (said[0] === truth[0] && said[1] === truth[1]) exact[m][combo]++
    if (m === 1 && said[0] === 1 && said[1] === 1) softmaxSaidBoth++
    if (m === 1 && said[0] === 0 && said[1] === 0) softmaxSaidNeither++
  })
}
console.log(`On ${n} new test points, a label is on when its probability is above 0.5:\n`)
console.log(table(
  ['', 'sigmoid per label', 'softmax'],
  [
    ...LABELS.map((label, k) => [`label "${label}" right`, pct(labelRight[0][k] / n), pct(labelRight[1][k] / n)]),
    ['both labels right', pct(exact[0].reduce((a, b) => a + b) / n), pct(exact[1].reduce((a, b) => a + b) / n)],
  ],
))
console.log('\n   Both labels right, by what the point truly is:\n')
console.log(table(
  ['true labels', 'points', 'sigmoid per label', 'softmax'],
  COMBINATIONS.map((c, k) => [c, String(truthCount[k]), pct(exact[0][k] / truthCount[k]), pct(exact[1][k] / truthCount[k])]),
))
console.log(`\n   The softmax turned both labels on for ${softmaxSaidBoth} of ${n} points, and neither label for ${softmaxSaidNeither}: its`)
console.log('   two probabilities sum to 1, so at most one is above 0.5; and "both" and "neither" were both taught')
console.log('   as [0.5, 0.5], so on those points it can only tip one way or the other.')

// ── Three points, one of each kind the softmax finds hard ───────────────────────────────────
const examples = tensor([[0.5, 0.3], [-1.2, 1.2], [0.9, -1.1]])
const e = probabilities(examples)
console.log('\nThree points and what each model says:\n')
console.log(table(
  ['point (x, y)', 'truly', 'sigmoid: P(right)', 'P(inside)', 'softmax: p(right)', 'p(inside)'],
  [0, 1, 2].map((i) => {
    const [x, y] = [examples.data[2 * i], examples.data[2 * i + 1]]
    return [
      `(${x}, ${y})`, COMBINATIONS[combination(x > 0 ? 1 : 0, x * x + y * y < 1 ? 1 : 0)],
      e.sig.data[2 * i].toFixed(3), e.sig.data[2 * i + 1].toFixed(3), e.soft.data[2 * i].toFixed(3), e.soft.data[2 * i + 1].toFixed(3),
    ]
  }),
))
console.log('\n   The sigmoids answer two questions independently, so they can say yes to both (or to neither).')
console.log('   Use softmax when exactly one class is true, one sigmoid per label when any number can be.')
