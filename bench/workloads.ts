/**
 * The three workloads of issue 7 and the shared files every system trains from.
 *
 * The parent (harness.ts, through prepare.ts) writes each workload's data and initial weights
 * once into bench/.cache/<W>/; every child process reads the same bytes back, so all four
 * systems start from the same numbers and see the batches in the same order (row order, no
 * shuffling; the last batch of W1 is the 5 rows left over, 1797 = 56·32 + 5).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type WorkloadName = 'W1' | 'W2' | 'W3'
export type SystemName = 'softgrad' | 'softgrad-plain' | 'tfjs-cpu' | 'tfjs-wasm' | 'convnetjs'

export const WORKLOADS: readonly WorkloadName[] = ['W1', 'W2', 'W3']
/** softgrad trains with fit's loop; softgrad-plain with the README's plain loop (same numbers). */
export const SYSTEMS: readonly SystemName[] = ['softgrad', 'softgrad-plain', 'tfjs-cpu', 'tfjs-wasm', 'convnetjs']

export interface WorkloadSpec {
  name: WorkloadName
  title: string
  /** layer widths, input first: [64, 128, 10] is Linear(64, 128) → ReLU → Linear(128, 10) */
  layers: readonly number[]
  batchSize: number
  /** passes over the rows; W3 is full batch, so each of its epochs is one step */
  epochs: number
  /** samples/s from the median epoch after the first, or steps/s over every step after the first */
  unit: 'samples/s' | 'steps/s'
}

export const SPECS: Record<WorkloadName, WorkloadSpec> = {
  W1: { name: 'W1', title: 'digits 1797×64, MLP 64-128-10, batch 32', layers: [64, 128, 10], batchSize: 32, epochs: 10, unit: 'samples/s' },
  W2: { name: 'W2', title: 'Gaussian 8192×784, MLP 784-256-256-10, batch 128', layers: [784, 256, 256, 10], batchSize: 128, epochs: 3, unit: 'samples/s' },
  W3: { name: 'W3', title: 'spirals 300×2, MLP 2-16-3, full batch', layers: [2, 16, 3], batchSize: 300, epochs: 500, unit: 'steps/s' },
}

/** `--quick`: a smoke run that still uses the epoch-after-first rule (so at least 2 epochs). */
export const QUICK_EPOCHS: Record<WorkloadName, number> = { W1: 2, W2: 2, W3: 50 }
/** `--quick` trains W2 on its first rows only. */
export const QUICK_W2_ROWS = 1024

export const LR = 0.1
export const MOMENTUM = 0.9

/** One Linear layer's numbers in PyTorch's layout: weight [out, in] row-major, bias [out]. */
export interface LayerParams {
  inFeatures: number
  outFeatures: number
  weight: Float64Array
  bias: Float64Array
}

export interface WorkloadData {
  spec: WorkloadSpec
  /** rows */
  n: number
  features: number
  classes: number
  /** [n, features] row-major */
  X: Float64Array
  /** class indices in [0, classes) */
  y: Int32Array
  params: LayerParams[]
}

/** What a system hands the driver: one epoch at a time, then the trained model's accuracy. */
export interface BenchTrainer {
  /** one pass over the batches in row order: zero grads, forward, loss, backward, SGD step */
  epoch(): void | Promise<void>
  /** the mean loss and the accuracy on all the training rows, with the model as it is now */
  evaluate(): { loss: number; accuracy: number } | Promise<{ loss: number; accuracy: number }>
  /** free what the system holds outside the JS heap (tfjs tensors) */
  dispose?(): void
}

/** A child prints its result as one line: RESULT_MARK, then the JSON of a ChildResult. */
export const RESULT_MARK = '@@bench-result '

export interface ChildResult {
  system: SystemName
  workload: WorkloadName
  rows: number
  epochs: number
  /** the wall time of each epoch (W3: of each step), in seconds */
  epochSeconds: number[]
  throughput: number
  unit: 'samples/s' | 'steps/s'
  /** on all the training rows, with the model as the last epoch left it */
  loss: number
  accuracy: number
}

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
export const ROOT_DIR = path.dirname(BENCH_DIR)
export const CACHE_DIR = path.join(BENCH_DIR, '.cache')

/** [start, end) of each batch, in row order; the last one holds what is left. */
export function batchRanges(n: number, batchSize: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  for (let start = 0; start < n; start += batchSize) ranges.push([start, Math.min(start + batchSize, n)])
  return ranges
}

/** The index of the largest of `row` (the first at a tie). */
export function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0
  for (let k = 1; k < length; k++) if (values[offset + k] > values[offset + best]) best = k
  return best
}

interface Meta {
  name: WorkloadName
  n: number
  features: number
  classes: number
  layers: number[]
}

/** Write a workload's data and initial weights to bench/.cache/<W>/. */
export function writeWorkload(data: WorkloadData): void {
  const dir = path.join(CACHE_DIR, data.spec.name)
  fs.mkdirSync(dir, { recursive: true })
  const meta: Meta = { name: data.spec.name, n: data.n, features: data.features, classes: data.classes, layers: [...data.spec.layers] }
  fs.writeFileSync(path.join(dir, 'X.f64'), bytes(data.X))
  fs.writeFileSync(path.join(dir, 'y.i32'), bytes(data.y))
  const params = new Float64Array(data.params.reduce((s, p) => s + p.weight.length + p.bias.length, 0))
  let offset = 0
  for (const p of data.params) {
    params.set(p.weight, offset)
    params.set(p.bias, offset + p.weight.length)
    offset += p.weight.length + p.bias.length
  }
  fs.writeFileSync(path.join(dir, 'params.f64'), bytes(params))
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n')
}

/** Read back what writeWorkload wrote; `rows` keeps only the first rows (`--quick`). */
export function readWorkload(name: WorkloadName, rows?: number): WorkloadData {
  const dir = path.join(CACHE_DIR, name)
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta
  const spec = SPECS[name]
  if (meta.layers.join('-') !== spec.layers.join('-')) {
    throw new Error(`bench: ${dir} holds layers ${meta.layers.join('-')} but ${name} is ${spec.layers.join('-')}; rerun the harness to regenerate it`)
  }
  const n = Math.min(rows ?? meta.n, meta.n)
  const X = new Float64Array(readArrayBuffer(path.join(dir, 'X.f64'))).slice(0, n * meta.features)
  const y = new Int32Array(readArrayBuffer(path.join(dir, 'y.i32'))).slice(0, n)
  const all = new Float64Array(readArrayBuffer(path.join(dir, 'params.f64')))
  const params: LayerParams[] = []
  let offset = 0
  for (let l = 0; l + 1 < spec.layers.length; l++) {
    const [inFeatures, outFeatures] = [spec.layers[l], spec.layers[l + 1]]
    const weight = all.slice(offset, offset + inFeatures * outFeatures)
    const bias = all.slice(offset + weight.length, offset + weight.length + outFeatures)
    params.push({ inFeatures, outFeatures, weight, bias })
    offset += weight.length + outFeatures
  }
  return { spec, n, features: meta.features, classes: meta.classes, X, y, params }
}

function bytes(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
}

/** The file's bytes in an ArrayBuffer of their own (a Buffer may sit unaligned in a pool). */
function readArrayBuffer(file: string): ArrayBuffer {
  const b = fs.readFileSync(file)
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer
}
