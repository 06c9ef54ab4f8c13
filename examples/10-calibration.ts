// 10 · honest probabilities: an overconfident digits model, its reliability diagram and ECE, fixed by temperature scaling.
// One number T, fitted on a validation split, divides the logits: NLL and ECE fall on the test split, accuracy cannot change.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  StandardScaler, fit, loadCsv, makeRng, nn, noGrad, optim, predict, trainTestSplit, ece, fitTemperature, reliabilityDiagram, type Tensor,
} from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const outDir = process.env.SOFTGRAD_OUT ?? fileURLToPath(new URL('../out/', import.meta.url))
mkdirSync(outDir, { recursive: true })
const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path))
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

// 1. Three splits, each class in proportion: train (the model), validation (T only), test (the verdict).
//    The training split is small on purpose: 162 images are easy to memorise and hard to generalise from.
const csvPath = fileURLToPath(new URL('../datasets/digits.csv', import.meta.url))
const { X, y } = loadCsv(csvPath, { label: 'digit' })
const seed = 0
const { XTrain: XRest, yTrain: yRest, XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.4, seed })
const { XTrain, yTrain, XTest: XVal, yTest: yVal } = trainTestSplit(XRest, yRest, { testFraction: 0.85, seed })
console.log(`digits: ${XTrain.shape[0]} images to train on, ${XVal.shape[0]} to fit T on, ${XTest.shape[0]} to test`)
const scaler = new StandardScaler().fit(XTrain)
const train = { X: scaler.transform(XTrain), y: yTrain }
const validation = { X: scaler.transform(XVal), y: yVal }
const test = { X: scaler.transform(XTest), y: yTest }

// 2. Overfit on purpose: a wide MLP trained long after it gets every training image right. The
//    cross-entropy keeps pushing the training logits apart, and the confidence carries over to new images.
const rng = makeRng(seed)
const hidden = 256
const model = new nn.Sequential(new nn.Linear(64, hidden, { rng }), new nn.ReLU(), new nn.Linear(hidden, 10, { rng }))
const epochs = quick ? 20 : 200
const history = fit(model, train, {
  optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
  epochs, batchSize: 32, seed,
})
const last = history[history.length - 1]
console.log(`\n64-${hidden}-10 MLP, SGD lr 0.1, momentum 0.9, ${epochs} epochs: training loss ${last.loss.toExponential(2)}, training accuracy ${pct(last.accuracy)}`)

// 3. Fit T on the validation logits. T > 1 means the model was overconfident.
const logitsOf = (data: { X: Tensor }): Tensor => {
  model.eval()
  return noGrad(() => model.forward(data.X))
}
const temperature = fitTemperature(logitsOf(validation), validation.y)
console.log(`\nfitTemperature on the ${XVal.shape[0]} validation images: T = ${temperature.toFixed(4)}`)

// 4. The test split, before and after: NLL, ECE (15 bins) and accuracy.
const testLogits = logitsOf(test)
const nll = (T: number): number => new nn.SoftmaxCrossEntropy({ temperature: T }).forward(testLogits, test.y).item()
const before = predict(model, test.X)
const after = predict(model, test.X, { temperature })
const calibrationBefore = ece(before.probs, test.y)
const calibrationAfter = ece(after.probs, test.y)
const accuracyOf = (classes: Int32Array): number => classes.reduce((right, k, i) => right + (k === test.y[i] ? 1 : 0), 0) / classes.length
const meanConfidence = (probs: Tensor): number => {
  let sum = 0
  for (let i = 0; i < probs.shape[0]; i++) sum += Math.max(...probs.data.subarray(i * 10, i * 10 + 10))
  return sum / probs.shape[0]
}
const rows = [
  ['', 'T', 'NLL', 'ECE', 'MCE', 'mean confidence', 'accuracy'],
  ['before', '1', nll(1).toFixed(4), calibrationBefore.ece.toFixed(4), calibrationBefore.mce.toFixed(4), pct(meanConfidence(before.probs)), pct(accuracyOf(before.classes))],
  ['after', temperature.toFixed(4), nll(temperature).toFixed(4), calibrationAfter.ece.toFixed(4), calibrationAfter.mce.toFixed(4), pct(meanConfidence(after.probs)), pct(accuracyOf(after.classes))],
]
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
console.log(`\ntest split, ${XTest.shape[0]} images:\n`)
for (const r of rows) console.log('   ' + r.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  '))
const changed = before.classes.reduce((n, k, i) => n + (k === after.classes[i] ? 0 : 1), 0)
console.log(`\n   predictions changed by T: ${changed} (dividing every logit by the same T > 0 keeps each row's largest first)`)
const ratio = calibrationAfter.ece / calibrationBefore.ece
console.log(`   test ECE after / before = ${ratio.toFixed(3)}: ${ratio <= 0.5 ? 'more than halved' : 'NOT halved'}`)
// NOTE: T minimises NLL, not ECE. A few confidently wrong validation images weigh heavily in the NLL
// and can push T past the ECE-best value; over seeds 0–8 of this setup the test ECE halved in 5 runs of 9.

// 5. The reliability diagrams: bars below the diagonal are overconfidence.
for (const [name, result, label] of [
  ['calibration-before.svg', calibrationBefore, 'before temperature scaling (T = 1)'],
  ['calibration-after.svg', calibrationAfter, `after temperature scaling (T = ${temperature.toFixed(3)})`],
] as const) {
  const path = join(outDir, name)
  writeFileSync(path, reliabilityDiagram(result, { title: `Digits test split, ${label}` }))
  console.log(`wrote ${shown(path)}`)
}
