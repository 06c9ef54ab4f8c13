/**
 * The models every ONNX check runs, and what each must give back: for each model in
 * test/fixtures/onnx-*.safetensors (iris, wine and digits as `softgrad train` wrote them, and a
 * few more; make-models.ts made them), the test rows `softgrad train` held out (the same CSV
 * file, label, seed and test fraction) and the probabilities `softgrad predict` prints for them.
 *
 * Used by interop/ (onnxruntime-web in Node and in Chromium), by write-exports.ts (the files
 * onnx.checker and onnxruntime in Python read) and by test/onnx-ort-python.test.ts.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadCsv, loadModel, predict, StandardScaler, trainTestSplit, type nn, type LoadedMetadata, type OnnxDtype, type ScalerState, type Tensor } from '../../src/index.js'

/** How far an export's probabilities may be from predict's, by dtype. */
export const TOLERANCE: Record<OnnxDtype, number> = { float32: 1e-5, float64: 1e-12 }

export const root = fileURLToPath(new URL('../..', import.meta.url))
export const fixtures = join(root, 'test/fixtures')

export interface OnnxCase {
  /** e.g. 'iris', from test/fixtures/onnx-iris.safetensors */
  name: string
  /** the model file, relative to the repository root */
  file: string
  model: nn.Module
  metadata: LoadedMetadata
  /** the held-out rows, raw (the graph scales them itself) */
  X: Tensor
  /** softgrad predict's probabilities for X, row by row */
  want: Float64Array
  /** the feature columns' names, in order */
  features: string[]
  classes: string[]
}

/** The rows `softgrad train` held out for testing, raw. */
function testRows(metadata: LoadedMetadata): Tensor {
  const hyper = metadata.hyperparameters as { source: string; testFraction: number }
  const { X, y } = loadCsv(join(root, hyper.source), { label: metadata.label as string })
  return trainTestSplit(X, y, { testFraction: hyper.testFraction, seed: metadata.seed }).XTest
}

/** What softgrad predict prints for these rows (src/cli/predict.ts): the saved scaler, then predict at the saved temperature. */
function predictLikeTheCli(model: nn.Module, metadata: LoadedMetadata, X: Tensor): Float64Array {
  const scaled = metadata.scaler === undefined ? X : StandardScaler.fromJSON(metadata.scaler as ScalerState).transform(X)
  const temperature = typeof metadata.temperature === 'number' ? metadata.temperature : 1
  return predict(model, scaled, { temperature }).probs.data
}

/** Every model fixture (or those named in `only`), in name order. */
export function onnxCases(options: { only?: string[] } = {}): OnnxCase[] {
  const files = readdirSync(fixtures).filter((f) => /^onnx-.*\.safetensors$/.test(f)).sort()
  if (files.length === 0) throw new Error('no test/fixtures/onnx-*.safetensors: run npx tsx scripts/onnx/make-models.ts')
  const names = files.map((f) => f.replace(/^onnx-|\.safetensors$/g, ''))
  for (const wanted of options.only ?? []) {
    if (!names.includes(wanted)) throw new Error(`no test/fixtures/onnx-${wanted}.safetensors (there are: ${names.join(', ')})`)
  }
  return files.flatMap((file, i) => {
    const name = names[i]
    if (options.only !== undefined && !options.only.includes(name)) return []
    const { model, metadata } = loadModel(join(fixtures, file))
    const X = testRows(metadata)
    return [{
      name,
      file: `test/fixtures/${file}`,
      model,
      metadata,
      X,
      want: predictLikeTheCli(model, metadata, X),
      features: metadata.featureNames ?? [],
      classes: metadata.classes ?? [],
    }]
  })
}

/** Numbers as CSV rows under a header, as JavaScript prints them (the shortest exact form); `first(r)` adds a leading field. */
export function numbersCsv(header: string[], data: ArrayLike<number>, columns: number, first?: (row: number) => string): string {
  const lines = [header.join(',')]
  for (let r = 0; r * columns < data.length; r++) {
    const fields = Array.from({ length: columns }, (_, c) => String(data[r * columns + c]))
    lines.push((first === undefined ? fields : [first(r), ...fields]).join(','))
  }
  return lines.join('\n') + '\n'
}

/** A case's test rows as CSV under its feature names: what Python reads. */
export const rowsCsv = ({ X, features }: OnnxCase): string => numbersCsv(features, X.data, X.shape[1])

/** The largest |got[i] − want[i]|; an error when the two differ in length. */
export function worstDifference(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`the runtime gave ${got.length} probabilities, softgrad predict ${want.length}`)
  let worst = 0
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]))
  return worst
}
