/**
 * softgrad's ONNX export, run by a real runtime: onnxruntime-web (its WebAssembly CPU backend,
 * in Node, from its own files in interop/node_modules; nothing is fetched) must give the same
 * probabilities as `softgrad predict`.
 *
 *   npm ci --prefix interop --ignore-scripts     # once
 *   npm run check:onnx                           # from the root (or: cd interop && npm run check)
 *
 * It runs the float32 and float64 exports of every model in test/fixtures/onnx-*.safetensors on
 * that model's test rows (models.ts says which rows and what they are compared with), prints the
 * worst difference per model and dtype, and exits 1 when one is over its tolerance: 1e-5 in
 * float32, 1e-12 in float64. browser-check.ts does the same in Chromium.
 */
import type { OnnxDtype, Tensor } from '../src/index.js'
import { checkExports, summarise } from './models.js'

// Imported here, not above, so that a missing install is one line saying what to run.
const ort = await import('onnxruntime-web').catch(() => {
  console.error('interop: onnxruntime-web is not installed; run npm ci --prefix interop --ignore-scripts')
  process.exit(2)
})

// One thread: the check is small, and the machine is shared.
ort.env.wasm.numThreads = 1

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

console.log(`onnxruntime-web ${ort.env.versions.web} (wasm backend, in Node ${process.versions.node}) against softgrad predict, on each model's test rows`)
summarise(await checkExports(runOnnx))
