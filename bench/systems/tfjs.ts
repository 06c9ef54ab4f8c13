/**
 * TensorFlow.js 4.22 on its pure-JS "cpu" backend or its WebAssembly backend (in Node: the SIMD
 * build, single-threaded; tfjs turns its threaded build off under Node).
 *
 * The model is the idiomatic tf.sequential of tf.layers.dense (ReLU fused into the matmul), the
 * loss tf.losses.softmaxCrossEntropy from logits (its default reduction divides the sum by the
 * number of rows: the batch mean), the optimiser tf.train.momentum(0.1, 0.9), stepped with
 * optimizer.minimize in a custom loop. (Measured on W1 and W3: a loop over raw tf.variables is
 * within 10% of this one, model.fit about a third slower, as it awaits per batch.)
 *
 * SGD rule: tfjs keeps accumulation a, starting at 0, and does a ← μ·a + g; θ ← θ − lr·a. The
 * first step gives a = g, PyTorch's b ← g; after that both are b ← μ·b + g (dampening 0) and
 * θ ← θ − lr·b, so the trajectory is PyTorch's.
 *
 * NOTE: tfjs computes in float32 (data and weights are rounded from the shared float64 files);
 * the other systems compute in float64.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { batchRanges, LR, MOMENTUM, type BenchTrainer, type WorkloadData } from '../workloads.js'

/** Select the backend and check that it is really the one running. */
export async function initBackend(backend: 'cpu' | 'wasm'): Promise<void> {
  tf.enableProdMode() // silences tfjs's warnings, such as its "install tfjs-node" banner
  if (backend === 'wasm') {
    // The .wasm files ship in the package's dist/ folder: load them from there, never from a CDN.
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')
    setWasmPaths(path.dirname(entry) + path.sep)
  }
  const ok = await tf.setBackend(backend)
  await tf.ready()
  if (!ok || tf.getBackend() !== backend) throw new Error(`tfjs: asked for the '${backend}' backend but got '${tf.getBackend()}'`)
}

export async function setup(data: WorkloadData, backend: 'cpu' | 'wasm'): Promise<BenchTrainer> {
  await initBackend(backend)
  const last = data.params.length - 1
  const model = tf.sequential()
  data.params.forEach((p, l) => {
    model.add(tf.layers.dense({ units: p.outFeatures, activation: l < last ? 'relu' : 'linear', ...(l === 0 ? { inputShape: [p.inFeatures] } : {}) }))
  })
  data.params.forEach((p, l) => {
    // A dense kernel is [in, out]: the transpose of PyTorch's [out, in] weight.
    const kernel = new Float32Array(p.inFeatures * p.outFeatures)
    for (let o = 0; o < p.outFeatures; o++) for (let i = 0; i < p.inFeatures; i++) kernel[i * p.outFeatures + o] = p.weight[o * p.inFeatures + i]
    tf.tidy(() => model.layers[l].setWeights([tf.tensor2d(kernel, [p.inFeatures, p.outFeatures]), tf.tensor1d(Float32Array.from(p.bias))]))
  })
  const optimizer = tf.train.momentum(LR, MOMENTUM)

  // The batches, made before the clock starts (as every system does).
  const f = data.features
  const X = tf.tensor2d(Float32Array.from(data.X), [data.n, f])
  const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.y, 'int32'), data.classes).toFloat())
  const batches = batchRanges(data.n, data.spec.batchSize).map(([start, end]) => ({
    X: X.slice([start, 0], [end - start, f]),
    Y: Y.slice([start, 0], [end - start, data.classes]),
  }))
  const lossOf = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar

  return {
    epoch() {
      for (const b of batches) tf.tidy(() => void optimizer.minimize(() => lossOf(b.X, b.Y), false))
    },
    evaluate() {
      return tf.tidy(() => {
        const logits = model.apply(X) as tf.Tensor2D
        const loss = (tf.losses.softmaxCrossEntropy(Y, logits) as tf.Scalar).dataSync()[0]
        const predicted = logits.argMax(1).dataSync()
        let correct = 0
        for (let i = 0; i < data.n; i++) if (predicted[i] === data.y[i]) correct++
        return { loss, accuracy: correct / data.n }
      })
    },
    dispose() {
      for (const b of batches) tf.dispose([b.X, b.Y])
      tf.dispose([X, Y])
      optimizer.dispose()
      model.dispose()
    },
  }
}
