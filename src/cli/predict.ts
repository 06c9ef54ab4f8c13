/** `softgrad predict` and `softgrad evaluate`: a saved model on the rows of a CSV file. */
import { loadModel } from '../io/model-file.js'
import type { LoadedMetadata } from '../io/model-bytes.js'
import { loadFeatures } from '../data/csv-file.js'
import { withReading } from './reading.js'
import { StandardScaler, type ScalerState } from '../data/scaler.js'
import { predict, evaluate } from '../train/trainer.js'
import type { Tensor } from '../tensor.js'
import { parseArgs, numberFlag, stringFlag, UsageError } from './args.js'
import { confusionTable, percent } from './format.js'

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
}

function open(command: string, argv: string[], withLabel: boolean): Opened | null {
  const args = parseArgs(command, argv, { values: ['model', 'data', 'label', ...(command === 'predict' ? ['min-confidence'] : [])], booleans: ['help', 'json'] })
  if (args.flags.has('help')) {
    process.stdout.write(command === 'predict' ? PREDICT_HELP : EVALUATE_HELP)
    return null
  }
  if (args.positionals.length > 0) throw new UsageError(`${command}: unexpected argument '${args.positionals[0]}' (see softgrad ${command} --help)`)
  const modelPath = stringFlag(args, 'model')
  const dataPath = stringFlag(args, 'data')
  if (modelPath === undefined || dataPath === undefined) throw new UsageError(`${command}: needs --model FILE and --data FILE.csv (see softgrad ${command} --help)`)
  const { model, metadata } = loadModel(modelPath)
  const { featureNames, classes } = metadata
  if (!Array.isArray(featureNames) || !Array.isArray(classes)) {
    throw new UsageError(`${command}: ${modelPath} does not record its feature names and classes; save models with softgrad train --out`)
  }
  const label = withLabel ? (stringFlag(args, 'label') ?? (typeof metadata.label === 'string' ? metadata.label : undefined)) : undefined
  if (withLabel && label === undefined) throw new UsageError(`${command}: pass --label COLUMN: the model does not record its label column`)
  const { X, y } = withReading(dataPath, (progress) => loadFeatures(dataPath, { featureNames, label, classes, ...progress }))
  if (withLabel && y === undefined) throw new UsageError(`${command}: ${dataPath} has no label column '${label}' (pass --label COLUMN)`)
  const scaled = metadata.scaler === undefined ? X : StandardScaler.fromJSON(metadata.scaler as ScalerState).transform(X)
  const minConfidence = numberFlag(command, args, 'min-confidence', 0, { min: 0, max: 1, exclusiveMin: true })
  return { metadata, X: scaled, y, classes, run: model, minConfidence: args.flags.has('min-confidence') ? minConfidence : 0 }
}

export function predictCommand(argv: string[]): number {
  const opened = open('predict', argv, false)
  if (opened === null) return 0
  const { X, classes, run, metadata, minConfidence } = opened
  const temperature = typeof metadata.temperature === 'number' ? metadata.temperature : 1
  const { probs, classes: predicted } = predict(run, X, { temperature })
  const c = classes.length
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const lines = [['class', ...classes.map((k) => `p_${k}`)].map(quote).join(',')]
  for (let i = 0; i < predicted.length; i++) {
    const top = probs.data[i * c + predicted[i]]
    const row = [top < minConfidence ? 'uncertain' : quote(classes[predicted[i]])]
    for (let k = 0; k < c; k++) row.push(String(probs.data[i * c + k]))
    lines.push(row.join(','))
  }
  process.stdout.write(lines.join('\n') + '\n')
  return 0
}

export function evaluateCommand(argv: string[]): number {
  const opened = open('evaluate', argv, true)
  if (opened === null) return 0
  const { X, y, classes, run } = opened
  const result = evaluate(run, { X, y: y! })
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ accuracy: result.accuracy, loss: result.loss, rows: y!.length, classes, confusion: result.confusion }) + '\n')
    return 0
  }
  process.stdout.write(
    `accuracy ${percent(result.accuracy)}   loss ${result.loss.toFixed(4)}   on ${y!.length} rows\n\n` +
      `${confusionTable(result.confusion, classes)}\n`,
  )
  return 0
}
