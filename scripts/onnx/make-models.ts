/**
 * Writes the model files the ONNX checks export: test/fixtures/onnx-<name>.safetensors.
 *
 *   npx tsx scripts/onnx/make-models.ts
 *
 * iris, wine and digits are trained by `softgrad train` itself (seed 0, a few epochs), one
 * activation each; iris and digits with --calibrate, so they carry a fitted temperature (wine
 * classifies all its held-out rows right, so no T fits it: its graph has no Div, nor has
 * iris-sigmoid's). iris-layers and iris-softmax are built with the API
 * (seeded, untrained) to cover the rest of what exportOnnx writes: Dropout, a Linear without
 * bias, a nested Sequential, LeakyReLU(0.2), a model ending in LogSoftmax (predict softmaxes it
 * again) and one ending in Softmax at T = 2 (predict does not). Every file records its data set,
 * label, seed and test fraction, so a check finds the same test rows `softgrad train` held out.
 *
 * The files are committed: the exports, their sha256 (test/fixtures/onnx-checker.json) and the
 * runtime check all start from these bytes. Re-run only to change the models, then re-run
 * scripts/onnx/check_exports.py. The tests never run this.
 */
import { loadCsv, nn, saveModel, StandardScaler, trainTestSplit, makeRng, type ModelMetadata } from '../../src/index.js'
import { main } from '../../src/cli.js'

const fixture = (name: string) => `test/fixtures/onnx-${name}.safetensors`

/** `softgrad train ... --out test/fixtures/onnx-<name>.safetensors` */
async function train(name: string, args: string[]): Promise<void> {
  const code = await main(['train', ...args, '--seed', '0', '--out', fixture(name), '--json'])
  if (code !== 0) throw new Error(`softgrad train for ${name} ended with exit code ${code}`)
}

await train('iris', ['--data', 'datasets/iris.csv', '--label', 'species', '--hidden', '16', '--activation', 'relu', '--epochs', '60', '--calibrate'])
await train('wine', ['--data', 'datasets/wine.csv', '--label', 'cultivar', '--hidden', '16,8', '--activation', 'tanh', '--epochs', '60'])
await train('digits', ['--data', 'datasets/digits.csv', '--label', 'digit', '--hidden', '32', '--activation', 'leakyrelu', '--epochs', '20', '--calibrate'])
await train('iris-sigmoid', ['--data', 'datasets/iris.csv', '--label', 'species', '--hidden', '8', '--activation', 'sigmoid', '--epochs', '60'])

// The API-built models: iris's classes, features and training-rows scaler, as softgrad train would save them.
const source = 'datasets/iris.csv'
const { X, y, classes, featureNames } = loadCsv(source, { label: 'species' })
const split = trainTestSplit(X, y, { testFraction: 0.2, seed: 0 })
const metadata: ModelMetadata = {
  classes,
  featureNames,
  scaler: new StandardScaler().fit(split.XTrain).toJSON(),
  seed: 0,
  label: 'species',
  temperature: 1.5,
  hyperparameters: { testFraction: 0.2, source, note: 'built by scripts/onnx/make-models.ts, untrained' },
}
const rng = makeRng(0)
saveModel(fixture('iris-layers'), new nn.Sequential(
  new nn.Linear(4, 8, { rng }), new nn.Dropout(0.2), new nn.LeakyReLU(0.2),
  new nn.Sequential(new nn.Linear(8, 6, { bias: false, rng }), new nn.Tanh()),
  new nn.Linear(6, 3, { rng }), new nn.LogSoftmax(),
), metadata)
saveModel(fixture('iris-softmax'), new nn.Sequential(
  new nn.Linear(4, 8, { rng }), new nn.ReLU(), new nn.Linear(8, 3, { rng }), new nn.Softmax({ temperature: 2 }),
), metadata)
console.log('wrote test/fixtures/onnx-{iris,wine,digits,iris-sigmoid,iris-layers,iris-softmax}.safetensors')
