// 04 · a real data set from a CSV file: load, split, standardise, fit with validation, evaluate on held-out rows.
// Then a confusion matrix with class names, per-class precision and recall, and a model saved, reloaded and checked.
import { mkdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  StandardScaler, evaluate, fit, loadCsv, loadModel, makeRng, nn, optim, precisionRecall, predict, saveModel, trainTestSplit,
  type ScalerState,
} from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const outDir = process.env.SOFTGRAD_OUT ?? fileURLToPath(new URL('../out/', import.meta.url))
mkdirSync(outDir, { recursive: true })
const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path))
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** A table: columns right-aligned, the first left-aligned when it holds names, two spaces apart. */
function table(header: string[], rows: string[][], { namesFirst = true } = {}): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 && namesFirst ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}

// 1. Load: the label column by name; the path is found from this file, so any working directory will do.
const csvPath = fileURLToPath(new URL('../datasets/iris.csv', import.meta.url))
const { X, y, classes, featureNames } = loadCsv(csvPath, { label: 'species' })
console.log(`Loaded ${X.shape[0]} flowers × ${X.shape[1]} features (${featureNames.join(', ')})`)
console.log(`classes: ${classes.map((c, k) => `${k} = ${c}`).join(', ')}\n`)

// 2. Split three ways, each class in proportion: test (touched once, at the end), validation (watched while training), train.
const seed = 0
const { XTrain: XRest, yTrain: yRest, XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.2, seed })
const { XTrain, yTrain, XTest: XVal, yTest: yVal } = trainTestSplit(XRest, yRest, { testFraction: 0.2, seed })
console.log(`split: ${XTrain.shape[0]} train, ${XVal.shape[0]} validation, ${XTest.shape[0]} test rows`)

// 3. Standardise with the training rows' mean and standard deviation only: the test rows stay unseen.
const scaler = new StandardScaler().fit(XTrain)
const train = { X: scaler.transform(XTrain), y: yTrain }
const validation = { X: scaler.transform(XVal), y: yVal }
const test = { X: scaler.transform(XTest), y: yTest }

// 4. A small MLP and fit(), which runs zeroGrad → forward → loss → backward → step over shuffled minibatches.
const rng = makeRng(seed)
const model = new nn.Sequential(new nn.Linear(4, 16, { rng }), new nn.ReLU(), new nn.Linear(16, 3, { rng }))
const hyperparameters = { hidden: 16, lr: 0.05, momentum: 0.9, batchSize: 16, epochs: quick ? 10 : 100 }
const history = fit(model, train, {
  loss: new nn.SoftmaxCrossEntropy(),
  optimizer: new optim.SGD(model.parameters(), { lr: hyperparameters.lr, momentum: hyperparameters.momentum }),
  epochs: hyperparameters.epochs, batchSize: hyperparameters.batchSize, seed, validation,
})
console.log(`\nfit: 4-16-3, SGD lr ${hyperparameters.lr}, momentum ${hyperparameters.momentum}, batches of ${hyperparameters.batchSize}\n`)
const every = Math.max(1, Math.round(history.length / 5))
console.log(table(
  ['epoch', 'loss', 'accuracy', 'val loss', 'val accuracy'],
  history.filter((r) => r.epoch === 1 || r.epoch % every === 0)
    .map((r) => [String(r.epoch), r.loss.toFixed(4), pct(r.accuracy), r.valLoss!.toFixed(4), pct(r.valAccuracy!)]),
  { namesFirst: false },
))
const best = history.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a))
console.log(`\n   lowest validation loss ${best.valLoss!.toFixed(4)} at epoch ${best.epoch} of ${history.length}`)
if (best.epoch < history.length) {
  console.log('   after it the training loss keeps falling while the validation loss rises: the model grows more')
  console.log('   confident on the training rows than the validation rows support (overfitting).')
}

// 5. Evaluate on the test rows, once.
const result = evaluate(model, test)
console.log(`\ntest: loss ${result.loss.toFixed(4)}, accuracy ${pct(result.accuracy)} (${Math.round(result.accuracy * XTest.shape[0])} of ${XTest.shape[0]} right)\n`)
console.log('Confusion matrix (rows: true class, columns: predicted)\n')
console.log(table(['', ...classes], result.confusion.map((counts, k) => [classes[k], ...counts.map(String)])))
const scores = precisionRecall(result.confusion)
console.log('\n   precision: of the rows predicted as the class, the share that are;  recall: of the class, the share found\n')
console.log(table(['', 'precision', 'recall', 'support'], classes.map((c, k) => [c, pct(scores.precision[k]), pct(scores.recall[k]), String(scores.support[k])])))

// 6. Save: weights under PyTorch's state-dict names, plus everything needed to use the model later.
const modelPath = join(outDir, 'iris.safetensors')
saveModel(modelPath, model, { classes, featureNames, scaler: scaler.toJSON(), seed, hyperparameters })
console.log(`\nwrote ${shown(modelPath)}`)

// 7. Reload and check: the file alone (its scaler included) must give the same predictions.
const { model: reloaded, metadata } = loadModel(modelPath)
const reloadedScaler = StandardScaler.fromJSON(metadata.scaler as ScalerState)
const before = predict(model, scaler.transform(XTest))
const after = predict(reloaded, reloadedScaler.transform(XTest))
let sameClass = 0
let largestDiff = 0
for (let i = 0; i < XTest.shape[0]; i++) if (before.classes[i] === after.classes[i]) sameClass++
for (let i = 0; i < before.probs.size; i++) largestDiff = Math.max(largestDiff, Math.abs(before.probs.data[i] - after.probs.data[i]))
const identical = sameClass === XTest.shape[0] && largestDiff === 0
console.log(`reloaded (format ${metadata.format}, classes ${metadata.classes!.join('/')}): ` +
  `${sameClass} of ${XTest.shape[0]} test predictions agree, largest probability difference ${largestDiff}`)
console.log(identical ? 'the reloaded model predicts identically, bit for bit' : 'the reloaded model DIFFERS from the one saved')
