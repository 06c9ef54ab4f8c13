/** `softgrad train`: load or make data, split, standardise, train an MLP, report, save, plot. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Tensor, noGrad } from '../tensor.js'
import * as nn from '../nn/index.js'
import { optimizerByName, OPTIMIZERS, DEFAULT_MOMENTUM } from '../optim/by-name.js'
import { StepLR, CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, type LRScheduler } from '../optim/schedule.js'
import type { Optimizer } from '../optim/optimizer.js'
import { fit, evaluate, predict, type HistoryRow } from '../train/trainer.js'
import { precisionRecall } from '../train/metrics.js'
import { trainTestSplit } from '../data/split.js'
import { StandardScaler } from '../data/scaler.js'
import * as toy from '../data/toy.js'
import { loadCsv } from '../data/csv-file.js'
import { saveModel } from '../io/model-file.js'
import { lossCurves, decisionBoundary, softmaxBars } from '../plot/index.js'
import { reliabilityDiagram } from '../plot/reliability.js'
import { temperatureScaling, type CalibrationReport } from '../calibrate/index.js'
import { parseArgs, numberFlag, stringFlag, isOneOf, UsageError, type ParsedArgs } from './args.js'
import { confusionTable, percent, table } from './format.js'
import { activationHelp, activationFlag } from './activation.js'
import { terminalProgress } from '../train/terminal-progress.js'

export const TRAIN_HELP = `Usage: softgrad train (--data FILE.csv --label COLUMN | --dataset NAME) [options]

Train a multiclass classifier (an MLP with a softmax cross-entropy loss) and report its
train and test accuracy and the test confusion matrix.

Data (one of):
  --data FILE.csv        a CSV file with a header row
  --label COLUMN         the column holding the class (names or numbers)
  --delimiter D          ',' ';' or 'tab' (detected when not given)
  --dataset NAME         toy data: spirals, moons, circles, blobs or xor
  --n N                  toy data: number of points (default 300)
  --classes K            toy data: classes for spirals and blobs (default 3)
  --noise S              toy data: noise (each generator has its own default)

Model and training:
  --hidden 32,16         hidden layer sizes (default 32,16; 0 or '' for none)
${activationHelp('relu')}
  --epochs N             default 200
  --optimizer NAME       sgd, adam, adamw or rmsprop (default sgd)
  --lr LR                learning rate (default 0.05 for sgd, 0.01 for the others)
  --momentum M           momentum for sgd and rmsprop (default 0.9 for sgd, 0 for rmsprop)
  --schedule NAME        none, step (×0.1 every third of the epochs), cosine (to 0 over the
                         epochs), onecycle (up to --lr and down, per batch) or plateau (×0.1
                         after 10 epochs without improvement) (default none)
  --clip MAX             clip the gradients' total 2-norm to MAX before each step
  --patience P           early stopping: hold out a fifth of the training rows for validation
                         and stop after P epochs without a better validation loss, keeping
                         the best epoch's weights
  --calibrate            temperature scaling: fit T on a fifth of the training rows held out
                         for validation, report the test ECE and NLL before and after, and
                         save T with the model (predict then uses it)
  --batch-size B         default 32
  --test-fraction F      rows held out for testing, stratified (default 0.2)
  --seed S               seeds the split, the weights and the shuffling (default 0)
  --no-standardize       train on the raw features (standardisation is on by default)

Output:
  --out FILE             save the model (.safetensors) with its classes, features and scaler
  --plot DIR             write loss-curves.svg, softmax-temperatures.svg and, for 2-D data,
                         decision-boundary.svg
  --json                 print one JSON object instead of the report
`

const FLAGS = {
  values: [
    'data', 'label', 'delimiter', 'dataset', 'n', 'classes', 'noise', 'hidden', 'activation', 'epochs', 'lr', 'momentum',
    'batch-size', 'test-fraction', 'seed', 'out', 'plot', 'optimizer', 'schedule', 'clip', 'patience',
  ],
  booleans: ['json', 'no-standardize', 'help', 'calibrate'],
}

interface Loaded {
  X: Tensor
  y: Int32Array
  classes: string[]
  featureNames: string[]
  source: string
  label: string
}

function loadData(args: ParsedArgs): Loaded {
  const file = stringFlag(args, 'data')
  const dataset = stringFlag(args, 'dataset')
  if ((file === undefined) === (dataset === undefined)) {
    throw new UsageError('train: give either --data FILE.csv --label COLUMN or --dataset NAME (see softgrad train --help)')
  }
  if (file !== undefined) {
    const label = stringFlag(args, 'label')
    if (label === undefined) throw new UsageError(`train: --data needs --label COLUMN, the column that holds the class`)
    const raw = stringFlag(args, 'delimiter')
    const delimiter = raw === undefined ? undefined : raw === 'tab' || raw === '\\t' ? '\t' : raw
    if (delimiter !== undefined && delimiter !== ',' && delimiter !== ';' && delimiter !== '\t') {
      throw new UsageError(`train: --delimiter must be ',', ';' or 'tab', got '${raw}'`)
    }
    const data = loadCsv(file, { label, delimiter })
    return { ...data, source: file, label }
  }
  const make = { spirals: toy.spirals, moons: toy.moons, circles: toy.circles, blobs: toy.blobs, xor: toy.xor }[dataset!]
  if (make === undefined) throw new UsageError(`train: --dataset must be spirals, moons, circles, blobs or xor, got '${dataset}'`)
  const n = numberFlag('train', args, 'n', 300, { min: 10, integer: true })
  const seed = numberFlag('train', args, 'seed', 0, { integer: true })
  const classesFlag = args.flags.has('classes') ? numberFlag('train', args, 'classes', 3, { min: 2, max: 10, integer: true }) : undefined
  const noise = args.flags.has('noise') ? numberFlag('train', args, 'noise', 0, { min: 0 }) : undefined
  const { X, y } = make({ n, seed, ...(classesFlag !== undefined && { classes: classesFlag }), ...(noise !== undefined && { noise }) })
  const k = Math.max(...y) + 1
  return { X, y, classes: Array.from({ length: k }, (_, i) => `class_${i}`), featureNames: ['x1', 'x2'], source: dataset!, label: 'class' }
}

function parseHidden(raw: string | undefined): number[] {
  if (raw === undefined) return [32, 16]
  if (raw.trim() === '' || raw.trim() === '0') return []
  const sizes = raw.split(',').map((s) => Number(s.trim()))
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new UsageError(`train: --hidden takes whole numbers ≥ 1 separated by commas, like 32,16; got '${raw}'`)
  return sizes
}

/** The schedule a --schedule name stands for, sized to the run. */
function makeScheduler(name: string, optimizer: Optimizer, epochs: number, batchesPerEpoch: number): LRScheduler | null {
  if (name === 'step') return new StepLR(optimizer, { stepSize: Math.max(1, Math.round(epochs / 3)), gamma: 0.1 })
  if (name === 'cosine') return new CosineAnnealingLR(optimizer, { tMax: epochs })
  if (name === 'onecycle') return new OneCycleLR(optimizer, { maxLr: optimizer.lr, totalSteps: epochs * batchesPerEpoch })
  if (name === 'plateau') return new ReduceLROnPlateau(optimizer, { factor: 0.1, patience: 10 })
  return null
}

export function train(argv: string[]): number {
  const args = parseArgs('train', argv, FLAGS)
  if (args.flags.has('help')) {
    process.stdout.write(TRAIN_HELP)
    return 0
  }
  if (args.positionals.length > 0) throw new UsageError(`train: unexpected argument '${args.positionals[0]}' (see softgrad train --help)`)
  const hidden = parseHidden(stringFlag(args, 'hidden'))
  const activation = activationFlag('train', args, 'relu')
  const epochs = numberFlag('train', args, 'epochs', 200, { min: 1, integer: true })
  const optimizerName = (stringFlag(args, 'optimizer') ?? 'sgd').toLowerCase()
  if (!isOneOf(optimizerName, OPTIMIZERS)) {
    throw new UsageError(`train: --optimizer must be sgd, adam, adamw or rmsprop, got '${optimizerName}'`)
  }
  const schedule = (stringFlag(args, 'schedule') ?? 'none').toLowerCase()
  if (!['none', 'step', 'cosine', 'onecycle', 'plateau'].includes(schedule)) {
    throw new UsageError(`train: --schedule must be none, step, cosine, onecycle or plateau, got '${schedule}'`)
  }
  const lr = numberFlag('train', args, 'lr', optimizerName === 'sgd' ? 0.05 : 0.01, { min: 0, exclusiveMin: true })
  const momentum = numberFlag('train', args, 'momentum', DEFAULT_MOMENTUM[optimizerName], { min: 0, max: 1 })
  if (args.flags.has('momentum') && (optimizerName === 'adam' || optimizerName === 'adamw')) {
    throw new UsageError(`train: --momentum is for sgd and rmsprop; ${optimizerName} has betas instead`)
  }
  const clip = args.flags.has('clip') ? numberFlag('train', args, 'clip', 1, { min: 0, exclusiveMin: true }) : undefined
  const patience = args.flags.has('patience') ? numberFlag('train', args, 'patience', 10, { min: 1, integer: true }) : undefined
  const batchSize = numberFlag('train', args, 'batch-size', 32, { min: 1, integer: true })
  const testFraction = numberFlag('train', args, 'test-fraction', 0.2, { min: 0, max: 0.9, exclusiveMin: true })
  const seed = numberFlag('train', args, 'seed', 0, { integer: true })
  const json = args.flags.has('json')
  const standardize = !args.flags.has('no-standardize')
  const out = stringFlag(args, 'out')
  const plotDir = stringFlag(args, 'plot')

  const data = loadData(args)
  const split = trainTestSplit(data.X, data.y, { testFraction, seed })
  const scaler = standardize ? new StandardScaler().fit(split.XTrain) : null
  const prepare = (X: Tensor) => (scaler ? scaler.transform(X) : X)
  const XTrain = prepare(split.XTrain)
  const XTest = prepare(split.XTest)
  // With early stopping, a fifth of the training rows watch for overfitting; the test rows stay unseen.
  const calibrate = args.flags.has('calibrate')
  const held = patience === undefined && !calibrate ? null : trainTestSplit(XTrain, split.yTrain, { testFraction: 0.2, seed })
  const fitData = held === null ? { X: XTrain, y: split.yTrain } : { X: held.XTrain, y: held.yTrain }
  const sizes = [data.X.shape[1], ...hidden, data.classes.length]
  const model = nn.mlp(sizes, { activation, seed })

  if (!json) {
    process.stdout.write(
      `softgrad train · ${data.source} · label '${data.label}' · ${data.X.shape[0]} rows, ${data.X.shape[1]} features, ${data.classes.length} classes\n` +
        `model ${sizes.join(' → ')} (${activation}), ${optimizerName} lr ${lr}` +
        `${optimizerName === 'sgd' || optimizerName === 'rmsprop' ? ` momentum ${momentum}` : ''}` +
        `${schedule === 'none' ? '' : `, ${schedule} schedule`}${clip === undefined ? '' : `, clip ${clip}`}` +
        `${patience === undefined ? '' : `, patience ${patience}`}, batch ${batchSize}, ${epochs} epochs, seed ${seed}\n`,
    )
  }
  const started = performance.now()
  const optimizer = optimizerByName(optimizerName, model.parameters(), { lr, momentum })
  const batchesPerEpoch = Math.ceil(fitData.X.shape[0] / batchSize)
  const scheduler = makeScheduler(schedule, optimizer, epochs, batchesPerEpoch)
  const history = fit(model, fitData, {
    epochs,
    batchSize,
    seed,
    optimizer,
    ...(scheduler && { scheduler }),
    ...(clip !== undefined && { clipGradNorm: clip }),
    ...(held !== null && { validation: { X: held.XTest, y: held.yTest } }),
    ...(patience !== undefined && { earlyStopping: { patience } }),
    progress: json ? false : (terminalProgress() ?? false),
  })
  const seconds = (performance.now() - started) / 1000
  const onTrain = evaluate(model, { X: XTrain, y: split.yTrain })
  const onTest = evaluate(model, { X: XTest, y: split.yTest })
  const calibration = calibrate && held !== null ? calibrateOn(model, held.XTest, held.yTest, XTest, split.yTest) : null

  const metadata = {
    classes: data.classes,
    featureNames: data.featureNames,
    ...(scaler && { scaler: scaler.toJSON() }),
    seed,
    label: data.label,
    ...(calibration && { temperature: calibration.temperature }),
    hyperparameters: {
      hidden, activation, epochs, epochsRun: history.length, optimizer: optimizerName, lr, momentum, schedule,
      clip: clip ?? null, patience: patience ?? null, batchSize, testFraction, standardize, source: data.source,
    },
  }
  if (out !== undefined) saveModel(out, model, metadata)
  const plots = plotDir === undefined ? [] : writePlots(plotDir, history, model, data, XTest, prepare, calibration)

  if (json) {
    const last = history[history.length - 1]
    process.stdout.write(
      JSON.stringify({
        trainAccuracy: onTrain.accuracy,
        testAccuracy: onTest.accuracy,
        loss: last.loss,
        testLoss: onTest.loss,
        epochs: history.length,
        seconds,
        classes: data.classes,
        confusion: onTest.confusion,
        ...(calibration && {
          temperature: calibration.temperature,
          eceBefore: calibration.before.ece.ece,
          eceAfter: calibration.after.ece.ece,
          nllBefore: calibration.before.nll,
          nllAfter: calibration.after.nll,
        }),
        ...(out !== undefined && { model: out }),
        ...(plots.length > 0 && { plots }),
      }) + '\n',
    )
    return 0
  }
  const { precision, recall, support } = precisionRecall(onTest.confusion)
  process.stdout.write(
    `\ntrain accuracy ${percent(onTrain.accuracy)}   test accuracy ${percent(onTest.accuracy)}   ` +
      `final loss ${formatLoss(history[history.length - 1].loss)}   ${seconds.toFixed(1)} s\n\n` +
      (calibration === null ? '' :
        `temperature scaling: T = ${calibration.temperature.toFixed(4)} (fitted on ${held!.yTest.length} held-out training rows)\n` +
        table(['on the test rows', 'ECE', 'NLL'], [
          ['before', calibration.before.ece.ece.toFixed(4), calibration.before.nll.toFixed(4)],
          ['after', calibration.after.ece.ece.toFixed(4), calibration.after.nll.toFixed(4)],
        ]) + '\n\n') +
      `the first test rows, with the softmax probability of the predicted class:\n${samplePredictions(model, XTest, split.yTest, data.classes)}\n\n` +
      `confusion matrix on the ${split.yTest.length} test rows:\n${confusionTable(onTest.confusion, data.classes)}\n\n` +
      table(['class', 'precision', 'recall', 'rows'], data.classes.map((c, k) => [c, percent(precision[k]), percent(recall[k]), String(support[k])])) +
      '\n' +
      (out !== undefined ? `\nsaved the model to ${out}\n` : '') +
      plots.map((p) => `wrote ${p}\n`).join(''),
  )
  return 0
}

/** Temperature scaling as --calibrate does it; predict (and the saved file) use T from then on. */
function calibrateOn(model: nn.Module, XVal: Tensor, yVal: Int32Array, XTest: Tensor, yTest: Int32Array): CalibrationReport {
  const logitsOf = (X: Tensor) => noGrad(() => model.eval().forward(X))
  const report = temperatureScaling(logitsOf(XVal), yVal, logitsOf(XTest), yTest)
  model.train()
  model.calibratedTemperature = report.temperature
  return report
}

function formatLoss(loss: number): string {
  return loss >= 1e-3 ? loss.toFixed(4) : loss.toExponential(2)
}

/** A few test rows: the true class, the predicted one and its probability. */
function samplePredictions(model: nn.Module, X: Tensor, y: Int32Array, classes: string[], count = 5): string {
  const rows = Math.min(count, y.length)
  const { probs, classes: predicted } = predict(model, X)
  const c = classes.length
  const lines = []
  for (let i = 0; i < rows; i++) {
    const p = probs.data[i * c + predicted[i]]
    lines.push([`row ${i + 1}`, classes[y[i]], classes[predicted[i]], p.toFixed(3), predicted[i] === y[i] ? '✓' : '✗'])
  }
  return table(['', 'true', 'predicted', 'p', ''], lines)
}

function writePlots(
  dir: string,
  history: HistoryRow[],
  model: nn.Module,
  data: Loaded,
  test: Tensor,
  prepare: (X: Tensor) => Tensor,
  calibration: CalibrationReport | null,
): string[] {
  mkdirSync(dir, { recursive: true })
  const written: string[] = []
  const write = (name: string, svg: string) => {
    const path = join(dir, name)
    writeFileSync(path, svg)
    written.push(path)
  }
  write('loss-curves.svg', lossCurves(history, { title: `${data.source}: loss and accuracy per epoch` }))
  // The seeds' picture: one test example's logits through softmax at several temperatures.
  const logits = Array.from(model.forward(test).data.subarray(0, data.classes.length))
  write('softmax-temperatures.svg', softmaxBars(logits, [0.5, 1, 3], { classNames: data.classes, title: 'softmax of the first test example at T = 0.5, 1, 3' }))
  if (calibration !== null) {
    write('reliability-before.svg', reliabilityDiagram(calibration.before.ece, { title: 'test rows, before temperature scaling' }))
    write('reliability-after.svg', reliabilityDiagram(calibration.after.ece, { title: `test rows, after temperature scaling (T = ${calibration.temperature.toFixed(3)})` }))
  }
  if (data.X.shape[1] === 2) {
    const probsOf = (X: Tensor) => predict(model, prepare(X)).probs
    write('decision-boundary.svg', decisionBoundary(probsOf, data.X, data.y, { classNames: data.classes, title: `${data.source}: decision boundary` }))
  }
  return written
}
