/** `softgrad train`: load or make data, split, standardise, train an MLP, report, save, plot. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Tensor, noGrad } from '../tensor.js'
import * as nn from '../nn/index.js'
import { optimizerByName, OPTIMIZERS, DEFAULT_MOMENTUM, type OptimizerName } from '../optim/by-name.js'
import { StepLR, CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau, type LRScheduler } from '../optim/schedule.js'
import type { Optimizer } from '../optim/optimizer.js'
import { fitAsync, evaluate, predict, type HistoryRow, type Evaluation } from '../train/trainer.js'
import { classCount, rowsPerClass } from '../train/metrics.js'
import { trainTestSplit } from '../data/split.js'
import { StandardScaler } from '../data/scaler.js'
import * as toy from '../data/toy.js'
import { loadCsv } from '../data/csv-file.js'
import { withReading } from './reading.js'
import { saveModel } from '../io/model-file.js'
import { lossCurves, decisionBoundary, softmaxBars } from '../plot/index.js'
import { reliabilityDiagram } from '../plot/reliability.js'
import { temperatureScaling, type CalibrationReport } from '../calibrate/index.js'
import { parseArgs, numberFlag, stringFlag, choiceFlag, seedFlag, UsageError, type ParsedArgs, refusePositionals } from './args.js'
import { classScoresTable, confusionReport, orList, percent, smallClassesWarning, table } from './format.js'
import { checkModelOut, checkPlotDir } from './out-files.js'
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
  --optimizer NAME       ${orList(OPTIMIZERS)} (default sgd)
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
  --seed S               seeds the split, the weights and the shuffling, 0 to 4294967295 (default 0)
  --no-standardize       train on the raw features (standardisation is on by default)

Output:
  --out FILE             save the model (.safetensors) with its classes, features and scaler;
                         its directory is made, and an existing FILE must be a model file
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

/** Labelled rows: features and class indices. */
interface Rows {
  X: Tensor
  y: Int32Array
}

/** The data of a run: its rows, what its classes and features are called, and where it came from. */
interface Loaded extends Rows {
  classes: string[]
  featureNames: string[]
  source: string
  label: string
}

/** The rows of a run; every part is standardised by the training rows' scaler (unless --no-standardize). */
interface Parts {
  scaler: StandardScaler | null
  /** the scaler's transform, or the identity */
  prepare: (X: Tensor) => Tensor
  train: Rows
  test: Rows
  /** a fifth of the training rows held out for --patience and --calibrate, or null */
  held: Rows | null
  /** the rows the weights are fitted to: the training rows but the held-out ones */
  fit: Rows
}

const SCHEDULES = ['none', 'step', 'cosine', 'onecycle', 'plateau'] as const
type ScheduleName = (typeof SCHEDULES)[number]

/** What the flags ask for, checked. */
interface TrainOptions {
  hidden: number[]
  activation: nn.ActivationName
  epochs: number
  optimizer: OptimizerName
  schedule: ScheduleName
  lr: number
  momentum: number
  clip: number | undefined
  patience: number | undefined
  batchSize: number
  testFraction: number
  seed: number
  json: boolean
  standardize: boolean
  calibrate: boolean
  out: string | undefined
  plotDir: string | undefined
}

/** What a run found: its history, its scores on the training and test rows, and --calibrate's report. */
interface Outcome {
  history: HistoryRow[]
  seconds: number
  onTrain: Evaluation
  onTest: Evaluation
  calibration: CalibrationReport | null
}

/** Ctrl-C's exit code, as a shell reports a command a SIGINT ended: 128 + 2. */
const INTERRUPTED = 130

/** `softgrad train ...`: read the flags, check the files it will write, load the data, train, score, save, plot, report. */
export async function train(argv: string[]): Promise<number> {
  const args = parseArgs('train', argv, FLAGS)
  if (args.flags.has('help')) {
    process.stdout.write(TRAIN_HELP)
    return 0
  }
  const options = readOptions(args)
  // Before the data is read and long before training ends: a bad --out or --plot is an error now.
  const savePath = options.out === undefined ? undefined : checkModelOut('train', options.out, stringFlag(args, 'data'))
  if (options.plotDir !== undefined) checkPlotDir('train', options.plotDir)
  const data = loadData(args)
  warnOfSmallClasses(data)
  const parts = splitRows(data, options)
  const sizes = [data.X.shape[1], ...options.hidden, data.classes.length]
  const model = nn.mlp(sizes, { activation: options.activation, seed: options.seed })
  if (!options.json) process.stdout.write(runHeader(data, sizes, options))
  const trained = await runTraining(model, parts, options)
  if ('interruptedAt' in trained) {
    process.stderr.write(`softgrad train: interrupted at epoch ${trained.interruptedAt} of ${options.epochs}; nothing saved\n`)
    return INTERRUPTED
  }
  const { history, seconds } = trained
  const outcome: Outcome = {
    history,
    seconds,
    onTrain: evaluate(model, parts.train),
    onTest: evaluate(model, parts.test),
    calibration: options.calibrate && parts.held !== null ? calibrateOn(model, parts.held, parts.test) : null,
  }
  if (savePath !== undefined) {
    mkdirSync(dirname(savePath), { recursive: true })
    saveModel(savePath, model, modelMetadata(data, parts, options, outcome))
  }
  const plots = options.plotDir === undefined ? [] : writePlots(options.plotDir, model, data, parts, outcome)
  process.stdout.write(options.json ? jsonReport(data, options, outcome, plots) : textReport(model, data, parts, options, outcome, plots))
  return 0
}

/** What the flags ask for, each checked; the first bad flag is the error. */
function readOptions(args: ParsedArgs): TrainOptions {
  refusePositionals('train', args)
  const hidden = parseHidden(stringFlag(args, 'hidden'))
  const activation = activationFlag('train', args, 'relu')
  const epochs = numberFlag('train', args, 'epochs', 200, { min: 1, integer: true })
  const optimizer = choiceFlag('train', args, 'optimizer', OPTIMIZERS, 'sgd')
  const schedule = choiceFlag('train', args, 'schedule', SCHEDULES, 'none')
  const lr = numberFlag('train', args, 'lr', optimizer === 'sgd' ? 0.05 : 0.01, { min: 0, exclusiveMin: true })
  const momentum = numberFlag('train', args, 'momentum', DEFAULT_MOMENTUM[optimizer], { min: 0, max: 1 })
  if (args.flags.has('momentum') && (optimizer === 'adam' || optimizer === 'adamw')) {
    throw new UsageError(`train: --momentum is for sgd and rmsprop; ${optimizer} has betas instead`)
  }
  return {
    hidden, activation, epochs, optimizer, schedule, lr, momentum,
    clip: args.flags.has('clip') ? numberFlag('train', args, 'clip', 1, { min: 0, exclusiveMin: true }) : undefined,
    patience: args.flags.has('patience') ? numberFlag('train', args, 'patience', 10, { min: 1, integer: true }) : undefined,
    batchSize: numberFlag('train', args, 'batch-size', 32, { min: 1, integer: true }),
    testFraction: numberFlag('train', args, 'test-fraction', 0.2, { min: 0, max: 0.9, exclusiveMin: true }),
    seed: seedFlag('train', args),
    json: args.flags.has('json'),
    standardize: !args.flags.has('no-standardize'),
    calibrate: args.flags.has('calibrate'),
    out: stringFlag(args, 'out'),
    plotDir: stringFlag(args, 'plot'),
  }
}

/** --hidden 32,16 → [32, 16]; '' or '0' → no hidden layer. */
function parseHidden(raw: string | undefined): number[] {
  if (raw === undefined) return [32, 16]
  if (raw.trim() === '' || raw.trim() === '0') return []
  const sizes = raw.split(',').map((s) => Number(s.trim()))
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new UsageError(`train: --hidden takes whole numbers ≥ 1 separated by commas, like 32,16; got '${raw}'`)
  return sizes
}

/** The rows of --data FILE.csv --label COLUMN, or of a --dataset toy generator. */
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
    const data = withReading(file, (progress) => loadCsv(file, { label, delimiter, ...progress }))
    return { ...data, source: file, label }
  }
  const make = { spirals: toy.spirals, moons: toy.moons, circles: toy.circles, blobs: toy.blobs, xor: toy.xor }[dataset!]
  if (make === undefined) throw new UsageError(`train: --dataset must be spirals, moons, circles, blobs or xor, got '${dataset}'`)
  const n = numberFlag('train', args, 'n', 300, { min: 10, integer: true })
  const seed = seedFlag('train', args)
  const classesFlag = args.flags.has('classes') ? numberFlag('train', args, 'classes', 3, { min: 2, max: 10, integer: true }) : undefined
  const noise = args.flags.has('noise') ? numberFlag('train', args, 'noise', 0, { min: 0 }) : undefined
  const { X, y } = make({ n, seed, ...(classesFlag !== undefined && { classes: classesFlag }), ...(noise !== undefined && { noise }) })
  const k = classCount(y)
  return { X, y, classes: Array.from({ length: k }, (_, i) => `class_${i}`), featureNames: ['x1', 'x2'], source: dataset!, label: 'class' }
}

/** The test rows set apart, every part standardised by the training rows, a fifth held out for --patience or --calibrate. */
function splitRows(data: Loaded, { testFraction, seed, standardize, patience, calibrate }: TrainOptions): Parts {
  const split = trainTestSplit(data.X, data.y, { testFraction, seed })
  const scaler = standardize ? new StandardScaler().fit(split.XTrain) : null
  const prepare = (X: Tensor) => (scaler ? scaler.transform(X) : X)
  // The split's rows are copies of the data's, so they are standardised in place: one copy of a big file, not two.
  const train = { X: scaler ? scaler.transform(split.XTrain, { inPlace: true }) : split.XTrain, y: split.yTrain }
  const test = { X: scaler ? scaler.transform(split.XTest, { inPlace: true }) : split.XTest, y: split.yTest }
  if (patience === undefined && !calibrate) return { scaler, prepare, train, test, held: null, fit: train }
  // With early stopping, a fifth of the training rows watch for overfitting; the test rows stay unseen.
  const held = trainTestSplit(train.X, train.y, { testFraction: 0.2, seed })
  return { scaler, prepare, train, test, held: { X: held.XTest, y: held.yTest }, fit: { X: held.XTrain, y: held.yTrain } }
}

/** A warning on stderr for each class with fewer than 2 rows: the split cannot put it in both the training and the test rows. */
function warnOfSmallClasses(data: Loaded): void {
  const warning = smallClassesWarning(rowsPerClass(data.y, data.classes.length), data.classes, `in ${data.source}`,
    'a class needs at least 2 rows, one to learn from and one to test on')
  if (warning !== null) process.stderr.write(`softgrad train: ${warning}\n`)
}

/** The report's first two lines: the data, then the model and how it will train. */
function runHeader(data: Loaded, sizes: number[], options: TrainOptions): string {
  const { activation, optimizer, lr, momentum, schedule, clip, patience, batchSize, epochs, seed } = options
  return (
    `softgrad train · ${data.source} · label '${data.label}' · ${data.X.shape[0]} rows, ${data.X.shape[1]} features, ${data.classes.length} classes\n` +
    `model ${sizes.join(' → ')} (${activation}), ${optimizer} lr ${lr}` +
    `${optimizer === 'sgd' || optimizer === 'rmsprop' ? ` momentum ${momentum}` : ''}` +
    `${schedule === 'none' ? '' : `, ${schedule} schedule`}${clip === undefined ? '' : `, clip ${clip}`}` +
    `${patience === undefined ? '' : `, patience ${patience}`}, batch ${batchSize}, ${epochs} epochs, seed ${seed}\n`
  )
}

/**
 * The optimiser, the schedule and the fit loop on the fitting rows; the history and the seconds
 * it took, or the epoch a Ctrl-C interrupted. fitAsync lets the SIGINT handler run between steps;
 * fit, one synchronous loop, would hold the signal back until training ended.
 */
async function runTraining(model: nn.Module, parts: Parts, options: TrainOptions): Promise<{ history: HistoryRow[]; seconds: number } | { interruptedAt: number }> {
  const { epochs, batchSize, seed, clip, patience } = options
  const started = performance.now()
  const optimizer = optimizerByName(options.optimizer, model.parameters(), { lr: options.lr, momentum: options.momentum })
  const batchesPerEpoch = Math.ceil(parts.fit.X.shape[0] / batchSize)
  const scheduler = makeScheduler(options.schedule, optimizer, epochs, batchesPerEpoch)
  const interrupt = new AbortController()
  const onSigint = () => interrupt.abort()
  // once: a second Ctrl-C finds no handler and ends the process at once, as a user pressing it twice expects.
  process.once('SIGINT', onSigint)
  let epochsDone = 0
  try {
    const history = await fitAsync(model, parts.fit, {
      epochs,
      batchSize,
      seed,
      optimizer,
      ...(scheduler && { scheduler }),
      ...(clip !== undefined && { clipGradNorm: clip }),
      ...(parts.held !== null && { validation: parts.held }),
      ...(patience !== undefined && { earlyStopping: { patience } }),
      progress: options.json ? false : (terminalProgress() ?? false),
      onEpoch: (row) => (epochsDone = row.epoch),
      signal: interrupt.signal,
    })
    // A Ctrl-C after the last step still means stop: the user asked before anything was saved.
    if (interrupt.signal.aborted) return { interruptedAt: epochsDone }
    return { history, seconds: (performance.now() - started) / 1000 }
  } catch (e) {
    if (e === interrupt.signal.reason) return { interruptedAt: Math.min(epochsDone + 1, epochs) }
    throw e
  } finally {
    process.off('SIGINT', onSigint)
  }
}

/** The schedule a --schedule name stands for, sized to the run. */
function makeScheduler(name: ScheduleName, optimizer: Optimizer, epochs: number, batchesPerEpoch: number): LRScheduler | null {
  if (name === 'step') return new StepLR(optimizer, { stepSize: Math.max(1, Math.round(epochs / 3)), gamma: 0.1 })
  if (name === 'cosine') return new CosineAnnealingLR(optimizer, { tMax: epochs })
  if (name === 'onecycle') return new OneCycleLR(optimizer, { maxLr: optimizer.lr, totalSteps: epochs * batchesPerEpoch })
  if (name === 'plateau') return new ReduceLROnPlateau(optimizer, { factor: 0.1, patience: 10 })
  return null
}

/**
 * Temperature scaling as --calibrate does it; predict (and the saved file) use T from then on.
 * When no T can be fitted (every held-out row already right), a warning, T stays 1 and the
 * trained model is kept: nothing after training may throw it away.
 */
function calibrateOn(model: nn.Module, held: Rows, test: Rows): CalibrationReport | null {
  const logitsOf = (X: Tensor) => noGrad(() => model.eval().forward(X))
  try {
    const report = temperatureScaling(logitsOf(held.X), held.y, logitsOf(test.X), test.y)
    model.calibratedTemperature = report.temperature
    return report
  } catch (e) {
    const why = evaluate(model, held).accuracy === 1
      ? `the model already classifies every one of the ${held.y.length} held-out rows right, so no finite T fits them`
      : (e as Error).message.replace(/^fitTemperature: /, '').replace(/\.$/, '')
    process.stderr.write(`softgrad train: warning: --calibrate could not fit a temperature: ${why}; keeping T = 1\n`)
    return null
  } finally {
    model.train()
  }
}

/** What the model file keeps beside the weights: what predict needs, and how the model was trained. */
function modelMetadata(data: Loaded, parts: Parts, options: TrainOptions, { history, calibration }: Outcome) {
  const { hidden, activation, epochs, optimizer, lr, momentum, schedule, clip, patience, batchSize, testFraction, standardize, seed } = options
  return {
    classes: data.classes,
    featureNames: data.featureNames,
    ...(parts.scaler && { scaler: parts.scaler.toJSON() }),
    seed,
    label: data.label,
    ...(calibration && { temperature: calibration.temperature }),
    hyperparameters: {
      hidden, activation, epochs, epochsRun: history.length, optimizer, lr, momentum, schedule,
      clip: clip ?? null, patience: patience ?? null, batchSize, testFraction, standardize, source: data.source,
    },
  }
}

/** --plot: the loss curves, the softmax bars, the reliability diagrams and, for 2-D data, the decision boundary. */
function writePlots(dir: string, model: nn.Module, data: Loaded, parts: Parts, { history, calibration }: Outcome): string[] {
  mkdirSync(dir, { recursive: true })
  const written: string[] = []
  const write = (name: string, svg: string) => {
    const path = join(dir, name)
    writeFileSync(path, svg)
    written.push(path)
  }
  write('loss-curves.svg', lossCurves(history, { title: `${data.source}: loss and accuracy per epoch` }))
  // The seeds' picture: one test example's logits through softmax at several temperatures.
  const logits = Array.from(model.forward(parts.test.X).data.subarray(0, data.classes.length))
  write('softmax-temperatures.svg', softmaxBars(logits, [0.5, 1, 3], { classNames: data.classes, title: 'softmax of the first test example at T = 0.5, 1, 3' }))
  if (calibration !== null) {
    write('reliability-before.svg', reliabilityDiagram(calibration.before.ece, { title: 'test rows, before temperature scaling' }))
    write('reliability-after.svg', reliabilityDiagram(calibration.after.ece, { title: `test rows, after temperature scaling (T = ${calibration.temperature.toFixed(3)})` }))
  }
  if (data.X.shape[1] === 2) {
    const probsOf = (X: Tensor) => predict(model, parts.prepare(X)).probs
    write('decision-boundary.svg', decisionBoundary(probsOf, data.X, data.y, { classNames: data.classes, title: `${data.source}: decision boundary` }))
  }
  return written
}

/** --json: the run's numbers as one line of JSON. */
function jsonReport(data: Loaded, options: TrainOptions, { history, seconds, onTrain, onTest, calibration }: Outcome, plots: string[]): string {
  return JSON.stringify({
    trainAccuracy: onTrain.accuracy,
    testAccuracy: onTest.accuracy,
    loss: history[history.length - 1].loss,
    testLoss: onTest.loss,
    epochs: history.length,
    seconds,
    classes: data.classes,
    confusion: onTest.confusion,
    // With --calibrate, `calibrated` says whether a T was fitted; when none could be (stderr says why), T stays 1.
    ...(options.calibrate && calibration === null && { calibrated: false, temperature: 1 }),
    ...(calibration && {
      calibrated: true,
      temperature: calibration.temperature,
      eceBefore: calibration.before.ece.ece,
      eceAfter: calibration.after.ece.ece,
      nllBefore: calibration.before.nll,
      nllAfter: calibration.after.nll,
    }),
    ...(options.out !== undefined && { model: options.out }),
    ...(plots.length > 0 && { plots }),
  }) + '\n'
}

/** The text report: accuracies, early stopping, calibration, a few predictions, the confusions, per-class scores, files written. */
function textReport(model: nn.Module, data: Loaded, parts: Parts, options: TrainOptions, outcome: Outcome, plots: string[]): string {
  const { history, seconds, onTrain, onTest, calibration } = outcome
  return (
    `\ntrain accuracy ${percent(onTrain.accuracy)}   test accuracy ${percent(onTest.accuracy)}   ` +
    `final loss ${formatLoss(history[history.length - 1].loss)}   ${seconds.toFixed(1)} s\n` +
    earlyStoppingReport(history, options) +
    '\n' +
    (calibration !== null ? calibrationReport(calibration, parts.held!.y.length)
      : options.calibrate ? 'temperature scaling: no temperature could be fitted, so T = 1 (the warning on stderr says why)\n\n' : '') +
    `the first test rows, with the softmax probability of the predicted class:\n${samplePredictions(model, parts.test, data.classes)}\n\n` +
    `${confusionReport(onTest.confusion, data.classes, `the ${parts.test.y.length} test rows`)}\n\n` +
    classScoresTable(onTest.confusion, data.classes) +
    '\n' +
    (options.out !== undefined ? `\nsaved the model to ${options.out}\n` : '') +
    plots.map((p) => `wrote ${p}\n`).join('')
  )
}

/** --patience's part of the report, when it ended the run: the epoch it stopped at, and the epoch whose weights the model keeps. */
function earlyStoppingReport(history: HistoryRow[], { epochs, patience }: TrainOptions): string {
  if (patience === undefined || history.length >= epochs) return ''
  // fit keeps the weights of the first epoch with the lowest validation loss (a later tie is no improvement).
  let best = history[0]
  for (const row of history) if (row.valLoss! < best.valLoss!) best = row
  return (
    `stopped early at epoch ${history.length} of ${epochs}: the validation loss did not improve for ${patience} epochs\n` +
    `the model keeps the weights of epoch ${best.epoch}, whose validation loss ${formatLoss(best.valLoss!)} was the lowest\n`
  )
}

/** --calibrate's part of the report: T, and the test ECE and NLL before and after. */
function calibrationReport(calibration: CalibrationReport, heldRows: number): string {
  const { temperature, before, after } = calibration
  return (
    `temperature scaling: T = ${temperature.toFixed(4)} (fitted on ${heldRows} held-out training rows)\n` +
    table(['on the test rows', 'ECE', 'NLL'], [
      ['before', before.ece.ece.toFixed(4), before.nll.toFixed(4)],
      ['after', after.ece.ece.toFixed(4), after.nll.toFixed(4)],
    ]) + '\n\n'
  )
}

/** A few test rows: the true class, the predicted one and its probability. */
function samplePredictions(model: nn.Module, { X, y }: Rows, classes: string[], count = 5): string {
  const rows = Math.min(count, y.length)
  const features = X.shape[1]
  const { probs, classes: predicted } = predict(model, new Tensor(X.data.slice(0, rows * features), [rows, features]))
  const c = classes.length
  const lines = []
  for (let i = 0; i < rows; i++) {
    const p = probs.data[i * c + predicted[i]]
    lines.push([`row ${i + 1}`, classes[y[i]], classes[predicted[i]], p.toFixed(3), predicted[i] === y[i] ? '✓' : '✗'])
  }
  return table(['', 'true', 'predicted', 'p', ''], lines)
}

/** Four decimals, or exponent form once those would read 0.0000. */
function formatLoss(loss: number): string {
  return loss >= 1e-3 ? loss.toFixed(4) : loss.toExponential(2)
}
