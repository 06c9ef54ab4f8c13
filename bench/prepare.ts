/**
 * Makes the shared data and initial weights of W1–W3, once, in the parent process: every system
 * then reads the same bytes from bench/.cache/ (workloads.ts).
 *
 * Initial weights are PyTorch's (uniform in ±1/√in for weight and bias), drawn by softgrad's own
 * nn.Linear from a fixed seed, in PyTorch's [out, in] layout.
 */
import path from 'node:path'
import { loadCsv, makeRng, nn, randn, StandardScaler, toy, type Rng } from '../src/index.js'
import { argmax, ROOT_DIR, SPECS, writeWorkload, type LayerParams, type WorkloadData, type WorkloadName } from './workloads.js'

const SEEDS = { W1Weights: 1, W2Data: 2, W2Map: 3, W2Weights: 4, W3Spirals: 0, W3Weights: 5 }

/** Write W1, W2 and W3 to bench/.cache/. */
export function prepareAll(): void {
  writeWorkload(digits())
  writeWorkload(gaussian())
  writeWorkload(spirals())
}

/** W1: the digits CSV, standardised with the mean and population std over all rows (a constant column scales by 1). */
function digits(): WorkloadData {
  const { X, y, classes } = loadCsv(path.join(ROOT_DIR, 'datasets', 'digits.csv'), { label: 'digit' })
  const standardised = new StandardScaler().fitTransform(X)
  return build('W1', standardised.data, y, classes.length, makeRng(SEEDS.W1Weights))
}

/** W2: 8192×784 standard normal inputs; the label is the argmax of x·M for a fixed Gaussian M [784, 10]. */
function gaussian(): WorkloadData {
  const [n, f, c] = [8192, 784, 10]
  const X = randn([n, f], { rng: makeRng(SEEDS.W2Data) }).data
  const M = randn([f, c], { rng: makeRng(SEEDS.W2Map) }).data
  const y = new Int32Array(n)
  const scores = new Float64Array(c)
  for (let i = 0; i < n; i++) {
    scores.fill(0)
    for (let k = 0; k < f; k++) {
      const x = X[i * f + k]
      for (let j = 0; j < c; j++) scores[j] += x * M[k * c + j]
    }
    y[i] = argmax(scores, 0, c)
  }
  return build('W2', X, y, c, makeRng(SEEDS.W2Weights))
}

/** W3: cs231n's spirals, 300 points in 3 classes, from softgrad's toy.spirals. */
function spirals(): WorkloadData {
  const { X, y } = toy.spirals({ n: 300, classes: 3, seed: SEEDS.W3Spirals })
  return build('W3', X.data, y, 3, makeRng(SEEDS.W3Weights))
}

function build(name: WorkloadName, X: Float64Array, y: Int32Array, classes: number, rng: Rng): WorkloadData {
  const spec = SPECS[name]
  const features = spec.layers[0]
  const params: LayerParams[] = []
  for (let l = 0; l + 1 < spec.layers.length; l++) {
    const layer = new nn.Linear(spec.layers[l], spec.layers[l + 1], { rng })
    params.push({ inFeatures: layer.inFeatures, outFeatures: layer.outFeatures, weight: layer.weight.data, bias: layer.bias!.data })
  }
  return { spec, n: X.length / features, features, classes, X, y, params }
}
