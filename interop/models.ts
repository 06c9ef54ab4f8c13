/**
 * What the ONNX checks share, wherever onnxruntime-web runs (check.ts: in Node; browser-check.ts:
 * in Chromium): the committed models, each model's test rows, what `softgrad predict` prints for
 * them, and one line per model and dtype comparing the two.
 *
 * For each model in test/fixtures/onnx-*.safetensors (iris, wine and digits as `softgrad train`
 * wrote them, and a few more; scripts/onnx/make-models.ts made them) it takes the test rows
 * `softgrad train` held out (the same CSV file, label, seed and test fraction), exports the model
 * in float32 and float64, hands each graph to a runner and compares the `probs` it returns with
 * softgrad predict's: the worst difference must be ≤ 1e-5 in float32 and ≤ 1e-12 in float64.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportOnnx, loadCsv, loadModel, predict, StandardScaler, trainTestSplit, type nn, type LoadedMetadata, type OnnxDtype, type ScalerState, type Tensor } from '../src/index.js'

export const TOLERANCE: Record<OnnxDtype, number> = { float32: 1e-5, float64: 1e-12 }

export const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = join(root, 'test/fixtures')

/** The rows `softgrad train` held out for testing, raw (the graph scales them itself). */
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

function worstDifference(got: Float64Array, want: Float64Array): number {
  if (got.length !== want.length) throw new Error(`onnxruntime gave ${got.length} probabilities, softgrad ${want.length}`)
  let worst = 0
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]))
  return worst
}

/** One exported graph to run: `probs` for rows X, as float64 numbers (`name` is e.g. 'iris'). */
export type RunOnnx = (bytes: Uint8Array, X: Tensor, dtype: OnnxDtype, name: string) => Promise<Float64Array>

/** One result line per model and dtype, as both checks print it. */
export interface Result { name: string; dtype: OnnxDtype; worst: number; ok: boolean; rows: number; classes: number }

/**
 * Export each fixture model (all of them, or those in `only`, e.g. ['iris', 'wine']) in float32
 * and float64, run it with `run`, print a line per model and dtype, and return the results.
 */
export async function checkExports(run: RunOnnx, options: { only?: string[] } = {}): Promise<Result[]> {
  const files = readdirSync(fixtures).filter((f) => /^onnx-.*\.safetensors$/.test(f)).sort()
  if (files.length === 0) throw new Error(`no test/fixtures/onnx-*.safetensors: run npx tsx scripts/onnx/make-models.ts`)
  const names = files.map((f) => f.replace(/^onnx-|\.safetensors$/g, ''))
  for (const wanted of options.only ?? []) {
    if (!names.includes(wanted)) throw new Error(`no test/fixtures/onnx-${wanted}.safetensors (there are: ${names.join(', ')})`)
  }
  const results: Result[] = []
  for (const [i, file] of files.entries()) {
    const name = names[i]
    if (options.only !== undefined && !options.only.includes(name)) continue
    const { model, metadata } = loadModel(join(fixtures, file))
    const X = testRows(metadata)
    const want = predictLikeTheCli(model, metadata, X)
    for (const dtype of ['float32', 'float64'] as const) {
      const got = await run(exportOnnx(model, metadata, { dtype }), X, dtype, name)
      const worst = worstDifference(got, want)
      const result: Result = { name, dtype, worst, ok: worst <= TOLERANCE[dtype], rows: X.shape[0], classes: want.length / X.shape[0] }
      results.push(result)
      console.log(`${result.ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(13)} ${dtype}  worst |Δp| ${worst.toExponential(2).padStart(9)} (≤ ${TOLERANCE[dtype].toExponential()})  on ${result.rows} rows × ${result.classes} classes`)
    }
  }
  return results
}

/** The closing line, and the exit code: 1 when an export disagrees. */
export function summarise(results: Result[], options: { only?: string[] } = {}): void {
  const failed = results.filter((r) => !r.ok).length
  const which = options.only === undefined ? '*' : `{${options.only.join(',')}}`
  console.log(failed === 0 ? `every export agrees with softgrad predict (${relative(root, fixtures)}/onnx-${which}.safetensors)` : `${failed} export(s) disagree with softgrad predict`)
  process.exitCode = failed === 0 ? 0 : 1
}
