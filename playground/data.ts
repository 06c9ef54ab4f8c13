/**
 * The data a state describes: a seeded toy dataset or a dropped CSV file, split into train and
 * test rows and standardised on the train rows, exactly as `softgrad train` does it, so the
 * page and the command line train the same model from the same settings.
 */
import { toy, parseCsv, trainTestSplit, StandardScaler, type Tensor } from '../src/browser.js'
import { MAX_CLASSES, MULTICLASS, type PlaygroundState, type ToyName } from './state.js'

/** A CSV file the user dropped: its name (errors and the URL use it) and its text. */
export interface CsvFile {
  name: string
  text: string
}

/** A classification dataset with the names a model file records. */
export interface PlaygroundData {
  X: Tensor
  y: Int32Array
  classes: string[]
  featureNames: string[]
  /** the label column's name ('class' for toy data) */
  label: string
  /** where the data came from: the toy dataset's name or the file's name */
  source: string
}

/** The train and test rows, raw and standardised, and the scaler fitted on the train rows. */
export interface SplitData {
  XTrain: Tensor
  yTrain: Int32Array
  XTest: Tensor
  yTest: Int32Array
  scaler: StandardScaler
  XTrainScaled: Tensor
  XTestScaled: Tensor
  testFraction: number
}

const GENERATORS = { spirals: toy.spirals, moons: toy.moons, circles: toy.circles, blobs: toy.blobs, xor: toy.xor }

/** The toy dataset of a state; class names as the command line writes them (class_0, class_1, ...). */
export function toyData(name: ToyName, state: PlaygroundState): PlaygroundData {
  const multiclass = MULTICLASS.includes(name)
  const classes = multiclass ? state.classes : 2
  const options = { n: state.points, seed: state.seed, noise: state.noise }
  // moons, circles and xor have two classes and refuse a `classes` option
  const { X, y } = GENERATORS[name](multiclass ? { ...options, classes } : options)
  return {
    X,
    y,
    classes: Array.from({ length: classes }, (_, i) => `class_${i}`),
    featureNames: ['x1', 'x2'],
    label: 'class',
    source: name,
  }
}

/**
 * A dropped CSV as a dataset. Errors are parseCsv's own, naming the file, the line and the
 * column, word for word what `softgrad train --data` prints for the same file.
 */
export function csvData(file: CsvFile, label: string): PlaygroundData {
  const { X, y, classes, featureNames } = parseCsv(file.text, { label, source: file.name })
  if (classes.length > MAX_CLASSES) {
    throw new Error(
      `${file.name}, column '${label}': ${classes.length} classes; the playground draws up to ${MAX_CLASSES} ` +
        `(one colour each): pick another label column or use softgrad train`,
    )
  }
  return { X, y, classes, featureNames, label, source: file.name }
}

/** The data of a state: the CSV when the state names one (and it was dropped), else toy data. */
export function makeData(state: PlaygroundState, csv: CsvFile | null): PlaygroundData {
  if (state.dataset !== 'csv') return toyData(state.dataset, state)
  if (csv === null || csv.name !== state.csvName) {
    throw new Error(`the URL names the file ${state.csvName}, which a URL cannot carry: drop it on the page again`)
  }
  return csvData(csv, state.label)
}

/** Split with the state's seed and train fraction (stratified), then standardise on the train rows. */
export function splitData(data: PlaygroundData, state: PlaygroundState): SplitData {
  // NOTE: rounded so 1 − 0.8 is 0.2, the fraction a user of the command line types.
  const testFraction = Number((1 - state.trainFraction).toFixed(6))
  const { XTrain, yTrain, XTest, yTest } = trainTestSplit(data.X, data.y, { testFraction, seed: state.seed })
  const scaler = new StandardScaler().fit(XTrain)
  return { XTrain, yTrain, XTest, yTest, scaler, XTrainScaled: scaler.transform(XTrain), XTestScaled: scaler.transform(XTest), testFraction }
}

/**
 * The label column to offer first: from the right, the first column the file parses with as a
 * dataset of up to MAX_CLASSES classes (the last column, in most files); when none does, the
 * last column, whose error is then the one shown.
 */
export function guessLabel(file: CsvFile, columns: string[]): string {
  for (let j = columns.length - 1; j >= 0; j--) {
    try {
      csvData(file, columns[j])
      return columns[j]
    } catch {
      // not this column: a feature holds names, or this column has too many values to be classes
    }
  }
  return columns[columns.length - 1] ?? ''
}

/**
 * The column names in a CSV's header, for the label picker: the first line split on whichever
 * of comma, semicolon or tab splits it most. parseCsv reads the file properly afterwards.
 */
export function csvColumns(text: string): string[] {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const splits = [',', ';', '\t'].map((d) => header.split(d))
  const widest = splits.reduce((a, b) => (b.length > a.length ? b : a))
  return widest.map((name) => name.trim().replace(/^"(.*)"$/, '$1')).filter((name) => name !== '')
}
