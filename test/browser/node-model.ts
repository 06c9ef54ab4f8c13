/**
 * The playground's model, built again in Node from the same URL: the data, the split, the
 * scaler, the network and the training, each from the library as `softgrad train` builds them
 * (not from playground/experiment.ts), then one point's backward pass traced. What the page
 * shows for that URL and point must match these numbers.
 */
import { StandardScaler, Trainer, gradientsFromTrace, nn, optim, tensor, toy, traceBackward, trainTestSplit, type TraceStep } from '../../src/index.js'
import { readUrl } from '../../playground/state.js'

/** A network small enough to check line by line: moons, 2 → 5 → 4 → 2 with tanh, seed 3. */
export const SMALL_NETWORK = '#dataset=moons&hidden=5,4&activation=tanh&seed=3'

export interface NodeModel {
  /** every parameter's numbers by state-dict name ('0.weight', …) */
  weights: Map<string, number[]>
  /** traceBackward of the selected point's loss */
  steps: TraceStep[]
  /** each parameter's gradient for that point, from the trace (its .grad after backward) */
  gradients: Map<string, number[]>
}

/** The model a playground URL (a toy dataset) trains, after `epochs` epochs, and its selected point's trace. */
export function nodeModel(hash: string, epochs: number): NodeModel {
  const { state, refusals } = readUrl(hash)
  if (refusals.length > 0 || state.dataset === 'csv') throw new Error(`nodeModel: ${hash} is not a toy-data URL the page would use as it is`)
  const multiclass = state.dataset === 'spirals' || state.dataset === 'blobs'
  const options = { n: state.points, seed: state.seed, noise: state.noise }
  const { X, y } = toy[state.dataset](multiclass ? { ...options, classes: state.classes } : options)
  const classes = multiclass ? state.classes : 2
  const testFraction = Number((1 - state.trainFraction).toFixed(6))
  const split = trainTestSplit(X, y, { testFraction, seed: state.seed })
  const scaler = new StandardScaler().fit(split.XTrain)
  const model = nn.mlp([X.shape[1], ...state.hidden, classes], { activation: state.activation, seed: state.seed }).nameParameters()
  const optimizer = optim.optimizerByName(state.optimizer, model.parameters(), { lr: state.lr })
  const trainer = new Trainer(model, { X: scaler.transform(split.XTrain), y: split.yTrain }, { optimizer, batchSize: state.batchSize, seed: state.seed })
  for (let e = 0; e < epochs; e++) trainer.epoch()

  const { part, index } = state.selected ?? { part: 'test', index: 0 }
  const [rows, labels] = part === 'train' ? [split.XTrain, split.yTrain] : [split.XTest, split.yTest]
  const d = rows.shape[1]
  const x = scaler.transform(tensor([Array.from(rows.data.subarray(index * d, (index + 1) * d))])).named('x')
  const loss = new nn.SoftmaxCrossEntropy().forward(model.forward(x), [labels[index]]).named('loss')
  const steps = traceBackward(loss)
  return {
    weights: new Map(model.namedParameters().map(([name, p]) => [name, Array.from(p.data)])),
    steps,
    gradients: gradientsFromTrace(steps),
  }
}

/** The largest |actual − expected| over two lists of the same length (Infinity when the lengths differ). */
export function largestDifference(actual: number[], expected: number[]): number {
  if (actual.length !== expected.length) return Infinity
  return Math.max(0, ...actual.map((v, k) => Math.abs(v - expected[k])))
}

/** To 12 decimals: what the page shows and what Node computes may differ by less than this. */
export const DECIMALS_12 = 0.5e-12
