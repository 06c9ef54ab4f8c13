/**
 * What the ONNX checks share, wherever onnxruntime-web runs (check.ts: in Node; browser-check.ts:
 * in Chromium): one line per model and dtype comparing the runtime's `probs` with `softgrad
 * predict`'s.
 *
 * For each model in test/fixtures/onnx-*.safetensors, scripts/onnx/cases.ts gives the test rows
 * `softgrad train` held out and what predict prints for them; here each model is exported in
 * float32 and float64, each graph handed to a runner, and the worst difference must be ≤ 1e-5 in
 * float32 and ≤ 1e-12 in float64.
 */
import { relative } from 'node:path'
import { exportOnnx, type OnnxDtype, type Tensor } from '../src/index.js'
import { fixtures, onnxCases, root, TOLERANCE, worstDifference } from '../scripts/onnx/cases.js'

/** One exported graph to run: `probs` for rows X, as float64 numbers (`name` is e.g. 'iris'). */
export type RunOnnx = (bytes: Uint8Array, X: Tensor, dtype: OnnxDtype, name: string) => Promise<Float64Array>

/** One result line per model and dtype, as both checks print it. */
export interface Result { name: string; dtype: OnnxDtype; worst: number; ok: boolean; rows: number; classes: number }

/**
 * Export each fixture model (all of them, or those in `only`, e.g. ['iris', 'wine']) in float32
 * and float64, run it with `run`, print a line per model and dtype, and return the results.
 */
export async function checkExports(run: RunOnnx, options: { only?: string[] } = {}): Promise<Result[]> {
  const results: Result[] = []
  for (const { name, model, metadata, X, want } of onnxCases(options)) {
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
