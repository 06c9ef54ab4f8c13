/** `softgrad predict` and `softgrad evaluate`: a saved model on the rows of a CSV file. */
import { loadModel } from '../io/model-file.js'
import type { LoadedMetadata } from '../io/model-bytes.js'
import { loadFeatures } from '../data/csv-file.js'
import { withReading } from './reading.js'
import { StandardScaler, type ScalerState } from '../data/scaler.js'
import { predict, evaluate } from '../train/trainer.js'
import type { Tensor } from '../tensor.js'
import { parseArgs, numberFlag, stringFlag, UsageError, refusePositionals } from './args.js'
import { classScoresTable, confusionReport, confusionTable, MATRIX_CLASSES, percent, smallClassesWarning } from './format.js'
import { rowsPerClass } from '../train/metrics.js'
import { writeLines } from './output.js'

export const PREDICT_HELP = `Usage: softgrad predict --model MODEL.safetensors --data FILE.csv

Print, as CSV on stdout, each row's predicted class and one probability column per class
(p_<class>). The file's feature columns are found by the names the model was trained with,
wherever they stand; other columns (a label, an id) are ignored.

  --model FILE            a model saved by softgrad train --out
  --data FILE             a CSV file with a header row
  --min-confidence P      write 'uncertain' as the class of rows whose most probable class
                          has a probability below P (in (0, 1]); the probabilities stay
`

export const EVALUATE_HELP = `Usage: softgrad evaluate --model MODEL.safetensors --data FILE.csv [--label COLUMN]

Score a saved model on a labelled CSV file: accuracy, loss and the confusion matrix.

  --model FILE     a model saved by softgrad train --out
  --data FILE      a CSV file with the model's feature columns and a label column
  --label COLUMN   the label column (default: the one the model was trained with)
  --json           print one JSON object
`

interface Opened {
  metadata: LoadedMetadata
  X: Tensor
  y?: Int32Array
  classes: string[]
  run: ReturnType<typeof loadModel>['model']
  /** rows whose top probability is below this are 'uncertain' (0: decide every row) */
  minConfidence: number
  /** evaluate --json: one JSON object instead of the text report */
  json: boolean
}

/** The flags each command takes: predict has --min-confidence, evaluate has --label and --json. */
const FLAGS = {
  predict: { values: ['model', 'data', 'min-confidence'], booleans: ['help'] },
  evaluate: { values: ['model', 'data', 'label'], booleans: ['help', 'json'] },
}

/** Check every flag, then load the model (checked against its own metadata) and the rows; null after --help. */
function open(command: 'predict' | 'evaluate', argv: string[]): Opened | null {
  const args = parseArgs(command, argv, FLAGS[command])
  if (args.flags.has('help')) {
    process.stdout.write(command === 'predict' ? PREDICT_HELP : EVALUATE_HELP)
    return null
  }
  refusePositionals(command, args)
  const modelPath = stringFlag(args, 'model')
  const dataPath = stringFlag(args, 'data')
  if (modelPath === undefined || dataPath === undefined) throw new UsageError(`${command}: needs --model FILE and --data FILE.csv (see softgrad ${command} --help)`)
  const minConfidence = args.flags.has('min-confidence') ? numberFlag(command, args, 'min-confidence', 0, { min: 0, max: 1, exclusiveMin: true }) : 0

  // loadModel refuses a file whose classes, feature names or scaler disagree with its network.
  const { model, metadata } = loadModel(modelPath)
  const { featureNames, classes } = metadata
  if (!Array.isArray(featureNames) || !Array.isArray(classes)) {
    throw new UsageError(`${command}: ${modelPath} does not record its feature names and classes; save models with softgrad train --out`)
  }
  const scaler = metadata.scaler === undefined ? null : readScaler(modelPath, metadata.scaler)
  const label = command === 'evaluate' ? (stringFlag(args, 'label') ?? (typeof metadata.label === 'string' ? metadata.label : undefined)) : undefined
  if (command === 'evaluate' && label === undefined) throw new UsageError(`${command}: ${modelPath} does not record its label column; pass --label COLUMN`)
  const { X, y } = withReading(dataPath, (progress) => loadFeatures(dataPath, { featureNames, label, classes, ...progress }))
  if (command === 'evaluate' && y === undefined) throw new UsageError(`${command}: ${dataPath} has no label column '${label}' (pass --label COLUMN)`)
  return { metadata, X: scaler === null ? X : scaler.transform(X), y, classes, run: model, minConfidence, json: args.flags.has('json') }
}

/** The model file's scaler as a StandardScaler; another kind of scaler is an error naming the file. */
function readScaler(modelPath: string, state: unknown): StandardScaler {
  try {
    return StandardScaler.fromJSON(state as ScalerState)
  } catch (e) {
    throw new Error(`${modelPath}: its scaler is not one softgrad train writes: ${(e as Error).message}`, { cause: e })
  }
}

export function predictCommand(argv: string[]): number {
  const opened = open('predict', argv)
  if (opened === null) return 0
  const { X, classes, run, metadata, minConfidence } = opened
  const temperature = typeof metadata.temperature === 'number' ? metadata.temperature : 1
  const { probs, classes: predicted } = predict(run, X, { temperature })
  const c = classes.length
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  // A generator: the rows are written a block at a time, and no more once the reader has gone (| head).
  function* lines(): Generator<string> {
    yield ['class', ...classes.map((k) => `p_${k}`)].map(quote).join(',')
    for (let i = 0; i < predicted.length; i++) {
      const top = probs.data[i * c + predicted[i]]
      const row = [top < minConfidence ? 'uncertain' : quote(classes[predicted[i]])]
      for (let k = 0; k < c; k++) row.push(String(probs.data[i * c + k]))
      yield row.join(',')
    }
  }
  writeLines(lines())
  return 0
}

export function evaluateCommand(argv: string[]): number {
  const opened = open('evaluate', argv)
  if (opened === null) return 0
  const { X, y, classes, run, json } = opened
  const result = evaluate(run, { X, y: y! })
  if (json) {
    process.stdout.write(JSON.stringify({ accuracy: result.accuracy, loss: result.loss, rows: y!.length, classes, confusion: result.confusion }) + '\n')
    return 0
  }
  const warning = smallClassesWarning(rowsPerClass(y!, classes.length), classes, `among the ${y!.length} rows`, 'a recall on fewer than 2 rows says little')
  if (warning !== null) process.stderr.write(`softgrad evaluate: ${warning}\n`)
  // Up to 20 classes the matrix; above, the most frequent confusions and each class's scores.
  process.stdout.write(
    `accuracy ${percent(result.accuracy)}   loss ${result.loss.toFixed(4)}   on ${y!.length} rows\n\n` +
      (classes.length <= MATRIX_CLASSES
        ? `${confusionTable(result.confusion, classes)}\n`
        : `${confusionReport(result.confusion, classes, `the ${y!.length} rows`)}\n\n${classScoresTable(result.confusion, classes)}\n`),
  )
  return 0
}
