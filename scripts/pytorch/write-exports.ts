/**
 * The models softgrad's PyTorch export is checked on, and the files for that check.
 *
 *   npx tsx scripts/pytorch/write-exports.ts [DIR]         (DIR defaults to /tmp/softgrad-pytorch-export)
 *   /usr/bin/python3 scripts/pytorch/export_check.py [DIR]
 *
 * writes, for each case, DIR/<name>.safetensors (the model), DIR/<name>.py (pytorchScript's
 * script for it) and DIR/<name>.csv (the rows it predicts), and DIR/cases.json listing them;
 * export_check.py runs each script with Debian's torch and writes test/fixtures/pytorch-export.json.
 *
 * Every model is trained here from fixed seeds, so test/export-pytorch.test.ts builds the same
 * bytes with exportCases() and knows the fixture still describes today's export.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  StandardScaler, decodeModel, encodeModel, fit, fitTemperature, loadCsv, makeRng, nn, noGrad, optim, trainTestSplit,
  type CsvData, type ModelMetadata,
} from '../../src/index.js'
import { pytorchScript } from '../../src/export/pytorch.js'

const datasets = fileURLToPath(new URL('../../datasets/', import.meta.url))

export interface ExportCase {
  name: string
  /** what the case checks */
  about: string
  /** the .safetensors file's bytes */
  model: Uint8Array
  /** pytorchScript's text for it, reading `${name}.safetensors` beside it */
  script: string
  /** the CSV the script and softgrad predict read */
  data: string
}

/** How each case's network is made and trained. */
interface Recipe {
  name: string
  about: string
  dataset: 'iris' | 'wine' | 'digits'
  /** the network; `rng` seeds its weights */
  build: (inputs: number, classes: number, rng: () => number) => nn.Module
  epochs: number
  /** standardise the features (default true) */
  scale?: boolean
  /** fit a temperature on held-out rows (default false) */
  calibrate?: boolean
  /** a temperature written into the metadata as it is (the Softmax and LogSoftmax heads) */
  temperature?: number
  /** train the network through this part of it (default the whole network) with this loss */
  trainOn?: (model: nn.Module) => nn.Module
  loss?: () => nn.Loss
  /** the rows the script predicts: the dataset file's text, changed (default: as it is) */
  rows?: (text: string) => string
}

const LABELS = { iris: 'species', wine: 'cultivar', digits: 'digit' } as const

const RECIPES: Recipe[] = [
  {
    name: 'iris', dataset: 'iris', epochs: 20, calibrate: true,
    about: 'iris, 4-16-3 ReLU, standardised, a fitted temperature; the rows as datasets/iris.csv has them (CRLF, the label column too)',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 16, { rng }), new nn.ReLU(), new nn.Linear(16, c, { rng })),
  },
  {
    name: 'wine', dataset: 'wine', epochs: 60, calibrate: true,
    about: 'wine, 13-32-16-3 ReLU, standardised, a fitted temperature; the rows with semicolons, the columns reversed',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 32, { rng }), new nn.ReLU(), new nn.Linear(32, 16, { rng }), new nn.ReLU(), new nn.Linear(16, c, { rng })),
    rows: (text) => lines(text).map((line) => line.split(',').reverse().join(';')).join('\n') + '\n',
  },
  {
    name: 'digits', dataset: 'digits', epochs: 15, calibrate: true,
    about: 'digits, 64-32-10 ReLU, standardised (constant pixels scale by 1), a fitted temperature; the first 200 rows',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 32, { rng }), new nn.ReLU(), new nn.Linear(32, c, { rng })),
    rows: (text) => lines(text).slice(0, 201).join('\n') + '\n',
  },
  {
    name: 'leakyrelu', dataset: 'wine', epochs: 40,
    about: 'wine, LeakyReLU with negative_slope 0.2, no temperature',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 16, { rng }), new nn.LeakyReLU(0.2), new nn.Linear(16, c, { rng })),
  },
  {
    name: 'tanh', dataset: 'iris', epochs: 20, calibrate: true,
    about: 'iris, two Tanh hidden layers, a fitted temperature',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 8, { rng }), new nn.Tanh(), new nn.Linear(8, 8, { rng }), new nn.Tanh(), new nn.Linear(8, c, { rng })),
  },
  {
    name: 'sigmoid', dataset: 'iris', epochs: 80, scale: false,
    about: 'iris, Sigmoid, raw features (no scaler in the file)',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 8, { rng }), new nn.Sigmoid(), new nn.Linear(8, c, { rng })),
  },
  {
    name: 'dropout', dataset: 'digits', epochs: 10, calibrate: true,
    about: 'digits, Dropout(0.25) active in training and off in prediction, a fitted temperature; rows 200 to 399',
    build: (f, c, rng) =>
      new nn.Sequential(new nn.Linear(f, 32, { rng }), new nn.ReLU(), new nn.Dropout(0.25, { rng }), new nn.Linear(32, c, { rng })),
    rows: (text) => [lines(text)[0], ...lines(text).slice(201, 401)].join('\n') + '\n',
  },
  {
    name: 'softmax-head', dataset: 'iris', epochs: 40, temperature: 2,
    about: 'iris, ends in nn.Softmax: predict takes its output as the probabilities and applies no temperature, not even the 2 in the file',
    build: (f, c, rng) => new nn.Sequential(new nn.Linear(f, 8, { rng }), new nn.Tanh(), new nn.Linear(8, c, { rng }), new nn.Softmax()),
    trainOn: (model) => new nn.Sequential(...(model as nn.Sequential).layers.slice(0, -1)),
  },
  {
    name: 'logsoftmax-head', dataset: 'wine', epochs: 40, temperature: 1.5,
    about: 'wine, a nested Sequential, Linear without bias, ends in nn.LogSoftmax (trained with NLLLoss); predict applies T = 1.5 to its log-probabilities',
    build: (f, c, rng) =>
      new nn.Sequential(new nn.Sequential(new nn.Linear(f, 8, { bias: false, rng }), new nn.ReLU()), new nn.Linear(8, c, { rng }), new nn.LogSoftmax()),
    loss: () => new nn.NLLLoss(),
  },
]

/** The text's lines, without line ends and without the empty one after the last. */
function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1)
}

/** Every case, built from its seeds: the same bytes on every run. */
export function exportCases(): ExportCase[] {
  const loaded = new Map<string, CsvData>()
  return RECIPES.map((recipe) => {
    const file = join(datasets, `${recipe.dataset}.csv`)
    if (!loaded.has(file)) loaded.set(file, loadCsv(file, { label: LABELS[recipe.dataset] }))
    const { model, metadata } = train(recipe, loaded.get(file)!)
    const bytes = encodeModel(model, metadata)
    const script = pytorchScript(decodeModel(bytes).metadata, { weightsFile: `${recipe.name}.safetensors` })
    const text = readFileSync(file, 'utf8')
    return { name: recipe.name, about: recipe.about, model: bytes, script, data: recipe.rows ? recipe.rows(text) : text }
  })
}

function train(recipe: Recipe, { X, y, classes, featureNames }: CsvData): { model: nn.Module; metadata: ModelMetadata } {
  const seed = 0
  const { XTrain, yTrain, XTest: XHeld, yTest: yHeld } = trainTestSplit(X, y, { testFraction: 0.2, seed })
  const scaler = recipe.scale === false ? null : new StandardScaler().fit(XTrain)
  const scaled = (x: typeof X) => (scaler === null ? x : scaler.transform(x))
  const model = recipe.build(X.shape[1], classes.length, makeRng(seed))
  const net = recipe.trainOn ? recipe.trainOn(model) : model
  fit(net, { X: scaled(XTrain), y: yTrain }, {
    loss: recipe.loss?.() ?? new nn.SoftmaxCrossEntropy(),
    optimizer: new optim.SGD(net.parameters(), { lr: 0.05, momentum: 0.9 }),
    epochs: recipe.epochs, batchSize: 16, seed,
  })
  model.eval()
  const temperature = recipe.calibrate ? fitTemperature(noGrad(() => model.forward(scaled(XHeld))), yHeld) : recipe.temperature
  const metadata: ModelMetadata = {
    classes, featureNames, seed, label: LABELS[recipe.dataset],
    ...(scaler && { scaler: scaler.toJSON() }),
    ...(temperature !== undefined && { temperature }),
  }
  return { model, metadata }
}

/** The files export_check.py reads. */
function main(dir = '/tmp/softgrad-pytorch-export'): void {
  mkdirSync(dir, { recursive: true })
  const cases = exportCases()
  for (const c of cases) {
    writeFileSync(join(dir, `${c.name}.safetensors`), c.model)
    writeFileSync(join(dir, `${c.name}.py`), c.script)
    writeFileSync(join(dir, `${c.name}.csv`), c.data)
  }
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases.map(({ name, about }) => ({ name, about })), null, 2) + '\n')
  console.log(`wrote ${cases.length} models, their scripts and data to ${dir}: ${cases.map((c) => c.name).join(', ')}`)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv[2])
