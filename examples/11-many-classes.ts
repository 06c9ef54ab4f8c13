// 11 · many classes: a hierarchical softmax (⌈√C⌉ clusters, then a class inside the cluster) against a flat softmax on 1,000 classes.
// Both train on toy.manyBlobs; the table shows held-out accuracy and seconds per epoch, and the loss's cost per row: O(√C·d) against O(C·d).
import { Tensor, batches, makeRng, nn, optim, softmaxCrossEntropy, toy, trainTestSplit } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}

const classes = 1000
const dim = 64
const seed = 0
const all = toy.manyBlobs({ n: quick ? 6000 : 40_000, classes, dim, seed })
const { XTrain, yTrain, XTest, yTest } = trainTestSplit(all.X, all.y, { testFraction: 0.2, seed })
console.log(`toy.manyBlobs: ${classes} classes in ${dim} dims; ${XTrain.shape[0]} points to train on, ${XTest.shape[0]} to test`)

interface Contender {
  name: string
  parameters: Tensor[]
  loss: (X: Tensor, y: Int32Array) => Tensor
  predict: (X: Tensor) => Int32Array
}

/**
 * A tree from the data: classes whose training means lie close share a cluster. Balanced k-means
 * on the class means, ⌈√C⌉ clusters of at most ⌈C/⌈√C⌉⌉: each round hands every class to the
 * nearest centre that still has room (closest pairs first), then moves each centre to its classes' mean.
 */
function clustersFromMeans(X: Tensor, y: Int32Array, rounds = 5): number[][] {
  const k = Math.ceil(Math.sqrt(classes))
  const room = Math.ceil(classes / k)
  const means = new Float64Array(classes * dim)
  const counts = new Float64Array(classes)
  for (let i = 0; i < y.length; i++) {
    counts[y[i]]++
    for (let j = 0; j < dim; j++) means[y[i] * dim + j] += X.data[i * dim + j]
  }
  for (let c = 0; c < classes; c++) for (let j = 0; j < dim; j++) means[c * dim + j] /= Math.max(1, counts[c])
  const centres = means.slice(0, k * dim) // start from the first k classes' means
  let clusters: number[][] = []
  for (let round = 0; round < rounds; round++) {
    const pairs: Array<[number, number, number]> = []
    for (let c = 0; c < classes; c++) {
      for (let m = 0; m < k; m++) {
        let d2 = 0
        for (let j = 0; j < dim; j++) d2 += (means[c * dim + j] - centres[m * dim + j]) ** 2
        pairs.push([d2, c, m])
      }
    }
    pairs.sort((a, b) => a[0] - b[0])
    clusters = Array.from({ length: k }, () => [])
    const placed = new Uint8Array(classes)
    for (const [, c, m] of pairs) {
      if (placed[c] || clusters[m].length >= room) continue
      clusters[m].push(c)
      placed[c] = 1
    }
    clusters = clusters.filter((members) => members.length > 0)
    centres.fill(0)
    clusters.forEach((members, m) => {
      for (const c of members) for (let j = 0; j < dim; j++) centres[m * dim + j] += means[c * dim + j] / members.length
    })
  }
  return clusters
}

const rng = makeRng(seed)
const flat = new nn.Linear(dim, classes, { rng })
const hs = new nn.HierarchicalSoftmax(dim, classes, { rng })
const hsMeans = new nn.HierarchicalSoftmax(dim, classes, { clusters: clustersFromMeans(XTrain, yTrain), rng })
const contenders: Contender[] = [
  {
    name: `flat softmax (Linear ${dim}→${classes})`,
    parameters: flat.parameters(),
    loss: (X, y) => softmaxCrossEntropy(flat.forward(X), y),
    predict: (X) => flat.forward(X).argmax(1),
  },
  {
    name: `hierarchical, default clusters (${hs.numClusters} of consecutive classes)`,
    parameters: hs.parameters(),
    loss: (X, y) => hs.loss(X, y),
    predict: (X) => hs.predict(X),
  },
  {
    name: `hierarchical, clusters of nearby class means (${hsMeans.numClusters})`,
    parameters: hsMeans.parameters(),
    loss: (X, y) => hsMeans.loss(X, y),
    predict: (X) => hsMeans.predict(X),
  },
]

const epochs = quick ? 1 : 8
const rows: string[][] = []
for (const model of contenders) {
  const opt = new optim.Adam(model.parameters, { lr: 0.01 })
  let seconds = 0
  for (let epoch = 0; epoch < epochs; epoch++) {
    const started = performance.now()
    for (const { X, y } of batches(XTrain, yTrain, { batchSize: 128, seed: epoch })) {
      opt.zeroGrad()
      model.loss(X, y).backward()
      opt.step()
    }
    seconds += (performance.now() - started) / 1000
  }
  const predicted = model.predict(XTest)
  let right = 0
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === yTest[i]) right++
  rows.push([model.name, pct(right / predicted.length), (seconds / epochs).toFixed(2)])
}

console.log(`\nAdam lr 0.01, batches of 128, ${epochs} epoch${epochs > 1 ? 's' : ''}; predictions are the exact argmax over all ${classes} classes\n`)
console.log(table(['model', 'test accuracy', 's / epoch'], rows))
const k = hs.numClusters
console.log(`\nlogits per training row: flat ${classes}, hierarchical ${k} cluster logits + ≤ ${Math.ceil(classes / k)} class logits`)
console.log('NOTE: the default clusters are consecutive class numbers, not similar classes: p(cluster | h) must tell')
console.log('      apart unions of unrelated blobs, which one linear map cannot do well. The tree matters: clusters')
console.log('      of classes that look alike (or a network in front that learns h) let the hierarchy keep up.')
