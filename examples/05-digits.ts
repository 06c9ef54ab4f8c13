// 05 · handwritten digits (8×8 pixels, 0–16 ink): standardise, train a 64-64-10 MLP with SGD + momentum, test it.
// Then look at the mistakes: misclassified digits drawn in ASCII shades with the probabilities the model gave.
import { fileURLToPath } from 'node:url'
import { StandardScaler, evaluate, fit, loadCsv, makeRng, nn, optim, precisionRecall, predict, trainTestSplit } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** A table: columns right-aligned, the first left-aligned when it holds names, two spaces apart. */
function table(header: string[], rows: string[][], { namesFirst = true } = {}): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 && namesFirst ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}

const csvPath = fileURLToPath(new URL('../datasets/digits.csv', import.meta.url))
const { X, y, classes } = loadCsv(csvPath, { label: 'digit' })
const seed = 0
const { XTrain, yTrain, XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.2, seed })
console.log(`digits: ${X.shape[0]} images of 8×8 = ${X.shape[1]} pixels; ${XTrain.shape[0]} to train on, ${XTest.shape[0]} to test`)

// Standardise each pixel with the training images' statistics (a pixel that is always blank scales by 1).
const scaler = new StandardScaler().fit(XTrain)
const train = { X: scaler.transform(XTrain), y: yTrain }
const test = { X: scaler.transform(XTest), y: yTest }

const rng = makeRng(seed)
const model = new nn.Sequential(new nn.Linear(64, 64, { rng }), new nn.ReLU(), new nn.Linear(64, 10, { rng }))
const epochs = quick ? 3 : 30
const started = performance.now()
const history = fit(model, train, {
  optimizer: new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }),
  epochs, batchSize: 32, seed, validation: test,
})
const seconds = (performance.now() - started) / 1000
console.log(`\n64-64-10 MLP (ReLU), SGD lr 0.05, momentum 0.9, batches of 32: ${epochs} epochs in ${seconds.toFixed(1)} s\n`)
const every = Math.max(1, Math.round(epochs / 6))
console.log(table(
  ['epoch', 'train loss', 'train accuracy', 'test accuracy'],
  history.filter((r) => r.epoch === 1 || r.epoch % every === 0).map((r) => [String(r.epoch), r.loss.toFixed(4), pct(r.accuracy), pct(r.valAccuracy!)]),
  { namesFirst: false },
))
console.log('   (the test column is for watching only; nothing was chosen by it)')

const result = evaluate(model, test)
const right = result.confusion.reduce((sum, row, k) => sum + row[k], 0)
console.log(`\ntest accuracy ${pct(result.accuracy)}: ${right} of ${XTest.shape[0]} digits right\n`)
console.log('Confusion matrix (rows: true digit, columns: predicted), with each digit\'s recall\n')
const { recall } = precisionRecall(result.confusion)
console.log(table(['', ...classes, 'recall'], result.confusion.map((row, k) => [`true ${classes[k]}`, ...row.map((n) => (n === 0 ? '.' : String(n))), pct(recall[k])])))

// The mistakes, drawn from the raw pixels (0 = no ink … 16 = full ink).
const SHADES = ' .:-=+*#%@'
function drawDigit(row: number): string[] {
  const lines: string[] = []
  for (let r = 0; r < 8; r++) {
    let line = ''
    for (let c = 0; c < 8; c++) {
      const ink = XTest.data[row * 64 + r * 8 + c] / 16
      const ch = SHADES[Math.min(SHADES.length - 1, Math.round(ink * (SHADES.length - 1)))]
      line += ch + ch // two characters a pixel, so the picture is about square
    }
    lines.push(line)
  }
  return lines
}

const { probs, classes: predicted } = predict(model, test.X)
const wrong: number[] = []
for (let i = 0; i < yTest.length; i++) if (predicted[i] !== yTest[i]) wrong.push(i)
const shownCount = Math.min(3, wrong.length)
console.log(`\n${wrong.length} misclassified test digits; ${shownCount === 0 ? 'none to show' : `the first ${shownCount}, with the model's three most likely digits:`}`)
for (const i of wrong.slice(0, shownCount)) {
  const p = Array.from(probs.data.subarray(i * 10, i * 10 + 10))
  const top = p.map((v, k) => [v, k] as const).sort((a, b) => b[0] - a[0]).slice(0, 3)
  const notes = [
    `test row ${i}`,
    `true digit:       ${classes[yTest[i]]}`,
    `predicted digit:  ${classes[predicted[i]]}`,
    '',
    ...top.map(([v, k]) => `p(${classes[k]}) = ${v.toFixed(3)}${k === yTest[i] ? '   ← the true digit' : ''}`),
  ]
  console.log()
  drawDigit(i).forEach((line, r) => console.log(`   |${line}|   ${notes[r] ?? ''}`.trimEnd()))
}
