/**
 * softgrad's ONNX export, run by a real runtime: onnxruntime-web (its WebAssembly CPU backend,
 * in Node, from its own files in interop/node_modules; nothing is fetched) must give the same
 * probabilities as `softgrad predict`.
 *
 *   npm ci --prefix interop --ignore-scripts     # once
 *   npm run check:onnx                           # from the root (or: cd interop && npm run check)
 *
 * For each model in test/fixtures/onnx-*.safetensors (iris, wine and digits as `softgrad train`
 * wrote them, and a few more; scripts/onnx/make-models.ts made them) it takes the test rows
 * `softgrad train` held out (the same CSV file, label, seed and test fraction), exports the model
 * in float32 and float64, runs each graph in an InferenceSession and compares `probs` with what
 * softgrad predict computes for those rows. It prints the worst difference per model and dtype,
 * and exits 1 when one is over its tolerance: 1e-5 in float32, 1e-12 in float64.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportOnnx, loadCsv, loadModel, predict, StandardScaler, trainTestSplit, type nn, type LoadedMetadata, type OnnxDtype, type ScalerState, type Tensor } from '../src/index.js'

// Imported here, not above, so that a missing install is one line saying what to run.
const ort = await import('onnxruntime-web').catch(() => {
  console.error('interop: onnxruntime-web is not installed; run npm ci --prefix interop --ignore-scripts')
  process.exit(2)
})

const TOLERANCE: Record<OnnxDtype, number> = { float32: 1e-5, float64: 1e-12 }

const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = join(root, 'test/fixtures')

// One thread: the check is small, and the machine is shared.
ort.env.wasm.numThreads = 1

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

/** The exported graph on X, in onnxruntime-web: `probs` as float64 numbers. */
async function runOnnx(bytes: Uint8Array, X: Tensor, dtype: OnnxDtype): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] })
  try {
    const x = dtype === 'float32' ? new ort.Tensor('float32', Float32Array.from(X.data), X.shape) : new ort.Tensor('float64', Float64Array.from(X.data), X.shape)
    const { probs } = await session.run({ x })
    if (probs.type !== dtype) throw new Error(`probs came back as ${probs.type}, not ${dtype}`)
    return Float64Array.from(probs.data as Float32Array | Float64Array)
  } finally {
    await session.release()
  }
}

function worstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new Error(`onnxruntime gave ${a.length} probabilities, softgrad ${b.length}`)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

const files = readdirSync(fixtures).filter((f) => /^onnx-.*\.safetensors$/.test(f)).sort()
if (files.length === 0) throw new Error(`no test/fixtures/onnx-*.safetensors: run npx tsx scripts/onnx/make-models.ts`)
console.log(`onnxruntime-web ${ort.env.versions.web} (wasm backend, in Node ${process.versions.node}) against softgrad predict, on each model's test rows`)
let failed = 0
for (const file of files) {
  const path = join(fixtures, file)
  const { model, metadata } = loadModel(path)
  const X = testRows(metadata)
  const want = predictLikeTheCli(model, metadata, X)
  const name = file.replace(/^onnx-|\.safetensors$/g, '')
  for (const dtype of ['float32', 'float64'] as const) {
    const got = await runOnnx(exportOnnx(model, metadata, { dtype }), X, dtype)
    const worst = worstDifference(got, want)
    const ok = worst <= TOLERANCE[dtype]
    if (!ok) failed++
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(13)} ${dtype}  worst |Δp| ${worst.toExponential(2).padStart(9)} (≤ ${TOLERANCE[dtype].toExponential()})  on ${X.shape[0]} rows × ${want.length / X.shape[0]} classes`)
  }
}
console.log(failed === 0 ? `every export agrees with softgrad predict (${relative(root, fixtures)}/onnx-*.safetensors)` : `${failed} export(s) disagree with softgrad predict`)
process.exitCode = failed === 0 ? 0 : 1
