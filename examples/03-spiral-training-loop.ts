// 03 · the training loop written out: zeroGrad → forward → loss → backward → step, on three interleaved spirals.
// It prints loss and accuracy as it learns and saves the decision boundary and loss curves as SVG.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { batches, decisionBoundary, evaluate, lossCurves, makeRng, nn, optim, predict, toy, type CurveRow } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const outDir = process.env.SOFTGRAD_OUT ?? fileURLToPath(new URL('../out/', import.meta.url))
mkdirSync(outDir, { recursive: true })
const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path))

// The data: 300 points, 100 per class, on three arms that wind around each other (cs231n's spirals).
const { X, y } = toy.spirals({ n: 300, classes: 3, seed: 0 })
const classNames = ['arm 0', 'arm 1', 'arm 2']

// The model: 2 inputs → 64 → 64 → 3 logits, initialised from a seeded rng so every run is the same.
const rng = makeRng(0)
const model = new nn.Sequential(
  new nn.Linear(2, 64, { rng }), new nn.ReLU(),
  new nn.Linear(64, 64, { rng }), new nn.ReLU(),
  new nn.Linear(64, 3, { rng }),
)
const lossFn = new nn.SoftmaxCrossEntropy()
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })

const epochs = quick ? 20 : 300
const every = quick ? 5 : 25
const shuffle = makeRng(1) // the order of the minibatches, one new order per epoch
const history: CurveRow[] = []
const started = performance.now()

console.log(`Training 2-64-64-3 on ${X.shape[0]} spiral points: SGD lr 0.1, momentum 0.9, batches of 32, ${epochs} epochs\n`)
console.log('   epoch      loss  accuracy')
for (let epoch = 1; epoch <= epochs; epoch++) {
  let lossSum = 0
  let right = 0
  for (const batch of batches(X, y, { batchSize: 32, rng: shuffle })) {
    optimizer.zeroGrad() //                          1. forget the last step's gradients
    const logits = model.forward(batch.X) //         2. forward: [32, 3] scores, one row per point
    const loss = lossFn.forward(logits, batch.y) //  3. loss: mean cross-entropy of softmax(logits)
    loss.backward() //                               4. backward: ∂loss/∂w into every parameter's .grad
    optimizer.step() //                              5. step: w ← w − lr·(momentum-smoothed grad)

    // Bookkeeping, not learning: the epoch's running loss and accuracy.
    const rows = batch.index.length
    lossSum += loss.item() * rows
    const predicted = logits.argmax(-1)
    for (let i = 0; i < rows; i++) if (predicted[i] === batch.y[i]) right++
  }
  const row = { epoch, loss: lossSum / X.shape[0], accuracy: right / X.shape[0] }
  history.push(row)
  if (epoch === 1 || epoch % every === 0) {
    console.log(`   ${String(epoch).padStart(5)}  ${row.loss.toFixed(4).padStart(8)}  ${(100 * row.accuracy).toFixed(1).padStart(7)}%`)
  }
}
const seconds = (performance.now() - started) / 1000

// The running numbers above average over an epoch while the weights change; measure the final model.
const final = evaluate(model, { X, y })
console.log(`\nFinal model on all ${X.shape[0]} training points: loss ${final.loss.toFixed(4)}, accuracy ${(100 * final.accuracy).toFixed(1)}%`)
console.log(`(${seconds.toFixed(1)} s for ${epochs} epochs of ${Math.ceil(X.shape[0] / 32)} steps)`)
console.log('NOTE: this is training accuracy; a model this size can memorise 300 points. Example 04 holds data out.')

const boundaryPath = join(outDir, 'spirals-boundary.svg')
writeFileSync(boundaryPath, decisionBoundary((points) => predict(model, points).probs, X, y, {
  classNames, title: `Spirals: 2-64-64-3 after ${epochs} epochs (train accuracy ${(100 * final.accuracy).toFixed(1)}%)`,
}))
const curvesPath = join(outDir, 'spirals-loss.svg')
writeFileSync(curvesPath, lossCurves(history, { title: 'Spirals: loss and accuracy per epoch' }))
console.log(`\nwrote ${shown(boundaryPath)}  (predicted class everywhere, paler where the model is unsure)`)
console.log(`wrote ${shown(curvesPath)}`)
