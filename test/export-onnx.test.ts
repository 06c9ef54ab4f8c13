/**
 * exportOnnx: the bytes decode (with protobufjs and the same onnx.proto schema) into the graph
 * softgrad predict computes, and a tiny ONNX evaluator written here runs that graph to the same
 * probabilities as predict, to 1e-12 in float64. This is a self-check; the real runtime check
 * (onnxruntime-web) is interop/check.ts, and onnx.checker's verdict is test/onnx-checker.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  nn, makeRng, predict, randn, tensor, StandardScaler, exportOnnx, decodeModel, encodeModel, ONNX_OPSET, ONNX_IR_VERSION,
  type ModelMetadata, type Tensor,
} from '../src/index.js'
import { isOnnxModel, onnxModelType } from '../src/export/onnx.js'

// ---------------------------------------------------------------------------------------------
// Decoding, and a reference evaluator of the test's own

interface Attribute { name: string; type: number; f?: number; i?: number }
interface Node { name: string; op_type: string; input: string[]; output: string[]; attribute?: Attribute[] }
interface Initializer { name: string; dims?: number[]; data_type: number; raw_data: Uint8Array }
interface Dim { dim_value?: number; dim_param?: string }
interface ValueInfo { name: string; type: { tensor_type: { elem_type: number; shape: { dim: Dim[] } } } }
interface Model {
  ir_version: number
  opset_import: Array<{ domain?: string; version: number }>
  producer_name: string
  graph: { name: string; node: Node[]; initializer: Initializer[]; input: ValueInfo[]; output: ValueInfo[] }
  metadata_props: Array<{ key: string; value: string }>
}

/** The ModelProto as a plain object, int64 as numbers. */
function decode(bytes: Uint8Array): Model {
  const type = onnxModelType()
  return type.toObject(type.decode(bytes), { longs: Number, arrays: true }) as Model
}

/** An initializer's numbers, read from raw_data as the file says (FLOAT = 1: 4 bytes, DOUBLE = 11: 8 bytes). */
function numbersOf(init: Initializer): Float64Array {
  const bytes = init.raw_data
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size = init.data_type === 1 ? 4 : 8
  const out = new Float64Array(bytes.byteLength / size)
  for (let i = 0; i < out.length; i++) out[i] = size === 4 ? view.getFloat32(i * size, true) : view.getFloat64(i * size, true)
  return out
}

/** A value in the evaluator: numbers and a shape ([], [n] or [rows, cols]). */
interface Value { data: Float64Array; shape: number[] }

/** a ∘ b elementwise, b broadcast along the rows of a ([rows, cols] ∘ [cols] or a scalar), as ONNX broadcasts. */
function broadcast(a: Value, b: Value, f: (x: number, y: number) => number): Value {
  const cols = a.shape[a.shape.length - 1]
  const out = a.data.map((x, k) => f(x, b.data.length === 1 ? b.data[0] : b.data[k % cols]))
  return { data: out, shape: a.shape }
}

/** Softmax over the last dim, written as the ONNX spec defines it: exp(x − max) / Σ exp(x − max). */
function softmaxRows(a: Value, log: boolean): Value {
  const [rows, cols] = a.shape
  const out = new Float64Array(a.data.length)
  for (let r = 0; r < rows; r++) {
    const row = a.data.subarray(r * cols, (r + 1) * cols)
    const max = Math.max(...row)
    let total = 0
    for (const v of row) total += Math.exp(v - max)
    for (let c = 0; c < cols; c++) out[r * cols + c] = log ? row[c] - max - Math.log(total) : Math.exp(row[c] - max) / total
  }
  return { data: out, shape: a.shape }
}

function gemm(a: Value, b: Value, c: Value | undefined, attributes: Attribute[]): Value {
  expect(attributes.find((x) => x.name === 'transB')?.i).toBe(1)
  const [n, k] = a.shape
  const m = b.shape[0]
  const out = new Float64Array(n * m)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0
      for (let t = 0; t < k; t++) s += a.data[i * k + t] * b.data[j * k + t]
      out[i * m + j] = s + (c === undefined ? 0 : c.data[j])
    }
  }
  return { data: out, shape: [n, m] }
}

/** Run the graph on x [N, features]: every op the exporter writes, in float64 whatever the file's dtype. */
function run(model: Model, x: Tensor): Value {
  const values = new Map<string, Value>()
  for (const init of model.graph.initializer) values.set(init.name, { data: numbersOf(init), shape: init.dims ?? [] })
  values.set(model.graph.input[0].name, { data: Float64Array.from(x.data), shape: [...x.shape] })
  for (const node of model.graph.node) {
    const inputs = node.input.map((name) => values.get(name)!)
    const attributes = node.attribute ?? []
    const [a, b, c] = inputs
    const out = ((): Value => {
      switch (node.op_type) {
        case 'Sub': return broadcast(a, b, (p, q) => p - q)
        case 'Div': return broadcast(a, b, (p, q) => p / q)
        case 'Mul': return broadcast(a, b, (p, q) => p * q)
        case 'Greater': return broadcast(a, b, (p, q) => (p > q ? 1 : 0))
        case 'Where': return { data: a.data.map((cond, k) => (cond ? b.data[k] : c.data[k])), shape: a.shape }
        case 'Gemm': return gemm(a, b, c, attributes)
        case 'Relu': return { data: a.data.map((v) => Math.max(v, 0)), shape: a.shape }
        case 'LeakyRelu': {
          const alpha = attributes.find((x) => x.name === 'alpha')!.f!
          return { data: a.data.map((v) => (v > 0 ? v : alpha * v)), shape: a.shape }
        }
        case 'Tanh': return { data: a.data.map(Math.tanh), shape: a.shape }
        case 'Sigmoid': return { data: a.data.map((v) => 1 / (1 + Math.exp(-v))), shape: a.shape }
        case 'Softmax':
        case 'LogSoftmax':
          expect(attributes.find((x) => x.name === 'axis')?.i).toBe(-1)
          return softmaxRows(a, node.op_type === 'LogSoftmax')
        default: throw new Error(`the test's evaluator has no ${node.op_type}`)
      }
    })()
    values.set(node.output[0], out)
  }
  return values.get(model.graph.output[0].name)!
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

// ---------------------------------------------------------------------------------------------
// Models

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']
const CLASSES = ['setosa', 'versicolor', 'virginica']
const rawX = randn([12, 4], { rng: makeRng(5) }).mul(tensor(2)).add(tensor(3))
const scaler = new StandardScaler().fit(rawX)
const metadata: ModelMetadata = { classes: CLASSES, featureNames: FEATURES, scaler: scaler.toJSON(), temperature: 1.7, label: 'species', seed: 3 }

function iris(activation: nn.ActivationName = 'relu'): nn.Sequential {
  return nn.mlp([4, 6, 5, 3], { activation, seed: 1 })
}

/** What softgrad predict prints for these rows: the scaler from the metadata, predict at the metadata's temperature. */
function predictLikeTheCli(model: nn.Module, m: ModelMetadata, X: Tensor): Float64Array {
  const scaled = m.scaler === undefined ? X : StandardScaler.fromJSON(m.scaler as never).transform(X)
  return predict(model, scaled, { temperature: typeof m.temperature === 'number' ? m.temperature : 1 }).probs.data
}

const ops = (m: Model) => m.graph.node.map((n) => n.op_type)

// ---------------------------------------------------------------------------------------------

describe('exportOnnx: the graph', () => {
  it('goes from x [N, features] to probs [N, classes] through the scaler, the layers and the softmax at T, in opset 17, IR version 8', () => {
    const m = decode(exportOnnx(iris(), metadata))
    expect(m.ir_version).toBe(ONNX_IR_VERSION)
    expect(ONNX_IR_VERSION).toBe(8)
    expect(m.opset_import).toEqual([{ domain: '', version: ONNX_OPSET }])
    expect(ONNX_OPSET).toBe(17)
    expect(m.producer_name).toBe('softgrad')
    expect(ops(m)).toEqual(['Sub', 'Div', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Div', 'Softmax'])
    expect(m.graph.node.map((n) => n.input)).toEqual([
      ['x', 'scaler.mean'], ['scaler.sub', 'scaler.scale'],
      ['scaler.div', '0.weight', '0.bias'], ['0.gemm'],
      ['1.relu', '2.weight', '2.bias'], ['2.gemm'],
      ['3.relu', '4.weight', '4.bias'], ['4.gemm', 'softmax.temperature'], ['softmax.div'],
    ])
    expect(m.graph.node.at(-1)!.output).toEqual(['probs'])
    const [input] = m.graph.input
    const [output] = m.graph.output
    expect(input.name).toBe('x')
    expect(input.type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_value: 4 }])
    expect(output.name).toBe('probs')
    expect(output.type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_value: 3 }])
  })

  it('writes Gemm with transB = 1, so each weight keeps its [out, in] layout and its state-dict name', () => {
    const model = iris()
    const m = decode(exportOnnx(model, metadata, { dtype: 'float64' }))
    const gemms = m.graph.node.filter((n) => n.op_type === 'Gemm')
    expect(gemms.map((n) => n.attribute)).toMatchObject(Array(3).fill([{ name: 'transB', type: 2, i: 1 }]))
    const weights = m.graph.initializer.filter((i) => i.name.endsWith('.weight'))
    expect(weights.map((w) => [w.name, w.dims])).toEqual(model.namedParameters().filter(([n]) => n.endsWith('weight')).map(([n, p]) => [n, p.shape]))
  })

  it('leaves out the scaler without one and the Div at T = 1', () => {
    const m = decode(exportOnnx(iris(), { classes: CLASSES, featureNames: FEATURES }))
    expect(ops(m)).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Softmax'])
    expect(m.graph.initializer.map((i) => i.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias'])
  })

  it('takes the model\'s fitted temperature when the metadata has none, as predict does', () => {
    const model = iris()
    model.calibratedTemperature = 2.5
    const m = decode(exportOnnx(model, { featureNames: FEATURES, classes: CLASSES }, { dtype: 'float64' }))
    expect(numbersOf(m.graph.initializer.find((i) => i.name === 'softmax.temperature')!)).toEqual(new Float64Array([2.5]))
  })

  it('maps each activation to its ONNX op: Relu, LeakyRelu (alpha = the slope), Tanh, Sigmoid', () => {
    expect(ops(decode(exportOnnx(iris('tanh'), metadata)))).toContain('Tanh')
    expect(ops(decode(exportOnnx(iris('sigmoid'), metadata)))).toContain('Sigmoid')
    const leaky = decode(exportOnnx(new nn.Sequential(new nn.Linear(4, 3), new nn.LeakyReLU(0.2)), metadata))
    const node = leaky.graph.node.find((n) => n.op_type === 'LeakyRelu')!
    expect(node.attribute).toMatchObject([{ name: 'alpha', type: 1, f: Math.fround(0.2) }])
  })

  it('writes LeakyReLU in float64 as Where(x > 0, x, x·slope) with a float64 slope: LeakyRelu\'s alpha is a float32', () => {
    const m = decode(exportOnnx(new nn.Sequential(new nn.Linear(4, 3), new nn.LeakyReLU(0.01)), metadata, { dtype: 'float64' }))
    expect(ops(m)).toEqual(['Sub', 'Div', 'Gemm', 'Greater', 'Mul', 'Where', 'Div', 'Softmax'])
    expect(numbersOf(m.graph.initializer.find((i) => i.name === '1.leakyrelu.slope')!)).toEqual(new Float64Array([0.01]))
  })

  it('leaves Dropout out, writes a Linear without bias as a two-input Gemm and opens nested Sequentials', () => {
    const model = new nn.Sequential(
      new nn.Linear(4, 5), new nn.Dropout(0.3),
      new nn.Sequential(new nn.Linear(5, 4, { bias: false }), new nn.Tanh()),
      new nn.Linear(4, 3),
    )
    const m = decode(exportOnnx(model, metadata))
    expect(ops(m)).toEqual(['Sub', 'Div', 'Gemm', 'Gemm', 'Tanh', 'Gemm', 'Div', 'Softmax'])
    expect(m.graph.node[3].input).toEqual(['0.gemm', '2.0.weight'])
    expect(m.graph.node[4].name).toBe('2.1.tanh')
  })

  it('gives a model without a Linear layer a named width: features', () => {
    const m = decode(exportOnnx(new nn.Sequential(new nn.Dropout(0.5), new nn.Softmax()), {}))
    expect(ops(m)).toEqual(['Softmax'])
    expect(m.graph.node[0].output).toEqual(['probs'])
    expect(m.graph.input[0].type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_param: 'features' }])
    expect(m.graph.output[0].type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_param: 'classes' }])
  })
})

describe('exportOnnx: float32 and float64', () => {
  it('writes the weights as FLOAT (4 bytes each, rounded to float32) or DOUBLE (8 bytes each, exact)', () => {
    const model = iris()
    const params = new Map(model.namedParameters())
    for (const [dtype, type, size] of [['float32', 1, 4], ['float64', 11, 8]] as const) {
      const m = decode(exportOnnx(model, metadata, { dtype }))
      expect(m.graph.input[0].type.tensor_type.elem_type).toBe(type)
      expect(m.graph.output[0].type.tensor_type.elem_type).toBe(type)
      for (const init of m.graph.initializer) {
        expect(init.data_type).toBe(type)
        const numbers = numbersOf(init)
        expect(init.raw_data.byteLength).toBe(numbers.length * size)
        const p = params.get(init.name)
        if (p === undefined) continue // scaler.mean, scaler.scale, softmax.temperature
        expect(numbers).toEqual(dtype === 'float32' ? p.data.map(Math.fround) : p.data)
      }
      const mean = numbersOf(m.graph.initializer.find((i) => i.name === 'scaler.mean')!)
      expect(mean).toEqual(dtype === 'float32' ? scaler.mean!.map(Math.fround) : scaler.mean)
    }
  })

  it('refuses a dtype it does not know', () => {
    expect(() => exportOnnx(iris(), metadata, { dtype: 'float16' as never })).toThrow("exportOnnx: dtype must be 'float32' or 'float64', got \"float16\"")
  })
})

describe('exportOnnx: metadata_props', () => {
  it('hold the format and, as JSON text, the classes, feature names, label, temperature and seed', () => {
    const m = decode(exportOnnx(iris(), metadata))
    const props = Object.fromEntries(m.metadata_props.map(({ key, value }) => [key, value]))
    expect(props).toEqual({
      format: 'softgrad/1',
      classes: JSON.stringify(CLASSES),
      featureNames: JSON.stringify(FEATURES),
      label: '"species"',
      temperature: '1.7',
      seed: '3',
    })
    expect(JSON.parse(props.classes)).toEqual(CLASSES)
  })

  it('are the same bytes every time: no timestamps, so a checked file is known by its sha256', () => {
    expect(exportOnnx(iris(), metadata)).toEqual(exportOnnx(iris(), metadata))
    expect(exportOnnx(iris(), metadata)).toBeInstanceOf(Uint8Array)
  })
})

describe('exportOnnx computes what softgrad predict computes', () => {
  const X = randn([40, 4], { rng: makeRng(9) }).mul(tensor(2)).add(tensor(3))

  for (const activation of ['relu', 'leakyrelu', 'tanh', 'sigmoid'] as const) {
    it(`${activation}: the graph's probs equal predict's to 1e-12 in float64 (and 1e-5 in float32)`, () => {
      const model = iris(activation)
      const want = predictLikeTheCli(model, metadata, X)
      expect(maxAbsDiff(run(decode(exportOnnx(model, metadata, { dtype: 'float64' })), X).data, want)).toBeLessThan(1e-12)
      expect(maxAbsDiff(run(decode(exportOnnx(model, metadata, { dtype: 'float32' })), X).data, want)).toBeLessThan(1e-5)
    })
  }

  it('a model ending in Softmax is not softmaxed twice, as in predict: its own temperature counts, the metadata\'s does not', () => {
    const model = new nn.Sequential(new nn.Linear(4, 5, { rng: makeRng(1) }), new nn.Tanh(), new nn.Linear(5, 3, { rng: makeRng(2) }), new nn.Softmax({ temperature: 2 }))
    const m = decode(exportOnnx(model, metadata, { dtype: 'float64' }))
    expect(ops(m)).toEqual(['Sub', 'Div', 'Gemm', 'Tanh', 'Gemm', 'Div', 'Softmax'])
    expect(m.graph.node.at(-2)!.input).toEqual(['2.gemm', '3.softmax.temperature'])
    expect(m.metadata_props.map((p) => p.key)).not.toContain('temperature')
    expect(maxAbsDiff(run(m, X).data, predictLikeTheCli(model, metadata, X))).toBeLessThan(1e-12)
  })

  it('a model ending in LogSoftmax gets predict\'s softmax on top, at the metadata\'s temperature', () => {
    const model = new nn.Sequential(new nn.Linear(4, 3, { rng: makeRng(1) }), new nn.LogSoftmax())
    const m = decode(exportOnnx(model, metadata, { dtype: 'float64' }))
    expect(ops(m)).toEqual(['Sub', 'Div', 'Gemm', 'LogSoftmax', 'Div', 'Softmax'])
    expect(maxAbsDiff(run(m, X).data, predictLikeTheCli(model, metadata, X))).toBeLessThan(1e-12)
  })

  it('a Softmax in the middle stays where it is, with its temperature', () => {
    const model = new nn.Sequential(new nn.Linear(4, 5, { rng: makeRng(1) }), new nn.Softmax({ temperature: 0.5 }), new nn.Linear(5, 3, { rng: makeRng(2) }))
    const m = decode(exportOnnx(model, metadata, { dtype: 'float64' }))
    expect(ops(m)).toEqual(['Sub', 'Div', 'Gemm', 'Div', 'Softmax', 'Gemm', 'Div', 'Softmax'])
    expect(maxAbsDiff(run(m, X).data, predictLikeTheCli(model, metadata, X))).toBeLessThan(1e-12)
  })

  it('a model file softgrad 1 wrote (test/fixtures/iris-softgrad-1.safetensors) exports to its predictions', () => {
    const { model, metadata: saved } = decodeModel(readFileSync(new URL('fixtures/iris-softgrad-1.safetensors', import.meta.url)))
    const rows = saved.featureNames!.length
    const Xf = randn([20, rows], { rng: makeRng(4) }).add(tensor(3))
    const m = decode(exportOnnx(model, saved, { dtype: 'float64' }))
    expect(maxAbsDiff(run(m, Xf).data, predictLikeTheCli(model, saved, Xf))).toBeLessThan(1e-12)
  })
})

/** A layer of the user's own: registered, so model files hold it, but exportOnnx cannot know what it computes. */
class Square extends nn.Module {
  forward(x: Tensor): Tensor {
    return x.mul(x)
  }

  config(): Record<string, never> {
    return {}
  }

  static fromConfig(): Square {
    return new Square()
  }
}
nn.registerModule(Square)

/** A subclass of a built-in layer computes what it likes: refused like any custom layer, never exported as ReLU. */
class ShiftedReLU extends nn.ReLU {
  override forward(x: Tensor): Tensor {
    return super.forward(x).add(tensor(1))
  }

  static override fromConfig(): ShiftedReLU {
    return new ShiftedReLU()
  }
}
nn.registerModule(ShiftedReLU)

describe('exportOnnx refuses what ONNX cannot express here, naming the layer', () => {
  it('HierarchicalSoftmax', () => {
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.HierarchicalSoftmax(8, 3))
    expect(() => exportOnnx(model, {})).toThrow(/^exportOnnx: layer 2 is HierarchicalSoftmax, which has no ONNX mapping; train with a flat softmax/)
  })

  it('a registered custom layer, and a registered subclass of a built-in one', () => {
    const model = new nn.Sequential(new nn.Linear(4, 8), new Square(), new nn.Linear(8, 3))
    expect(() => exportOnnx(model, {})).toThrow(
      'exportOnnx: layer 1 is Square (a registered custom layer), which has no ONNX mapping; exportOnnx writes Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout, Softmax and LogSoftmax',
    )
    expect(() => exportOnnx(new nn.Sequential(new nn.Linear(4, 3), new nn.Sequential(new ShiftedReLU())), {})).toThrow(
      'exportOnnx: layer 1.0 is ShiftedReLU (a registered custom layer)',
    )
  })

  it('an unregistered layer, and a bare one', () => {
    class Unknown extends nn.Module {
      forward(x: Tensor): Tensor {
        return x
      }
    }
    expect(() => exportOnnx(new nn.Sequential(new Unknown()), {})).toThrow('exportOnnx: layer 0 is Unknown (an unregistered layer), which has no ONNX mapping')
    expect(() => exportOnnx(new Square(), {})).toThrow('exportOnnx: the model is Square (a registered custom layer)')
  })

  it('a softmax across the rows (dim 0)', () => {
    expect(() => exportOnnx(new nn.Sequential(new nn.Linear(4, 3), new nn.Softmax({ dim: 0 })), {})).toThrow(
      /^exportOnnx: layer 1 is Softmax over dim 0, across the rows of a batch/,
    )
  })

  it('metadata that disagrees with the network, and a bad temperature', () => {
    expect(() => exportOnnx(iris(), { featureNames: ['a', 'b'] })).toThrow('exportOnnx: layer 0 is Linear(4, 6) but its input has 2 features (metadata.featureNames)')
    expect(() => exportOnnx(iris(), { classes: ['a', 'b'] })).toThrow('exportOnnx: metadata.classes names 2 classes but the network has 3 outputs')
    expect(() => exportOnnx(iris(), { featureNames: FEATURES, scaler: { mean: [0], scale: [1] } })).toThrow('exportOnnx: metadata.scaler has 1 features but metadata.featureNames has 4')
    expect(() => exportOnnx(iris(), { scaler: { mean: [0, 1, 2, 3] } })).toThrow("exportOnnx: metadata.scaler is not a StandardScaler's state")
    expect(() => exportOnnx(iris(), { temperature: 0 })).toThrow('exportOnnx: the temperature must be a finite number > 0, got 0')
  })
})

describe('isOnnxModel', () => {
  it('knows an exported file from a CSV file, a model file, an empty file and random bytes', () => {
    expect(isOnnxModel(exportOnnx(iris(), metadata))).toBe(true)
    expect(isOnnxModel(new TextEncoder().encode('sepal_length,sepal_width\n5.1,3.5\n'))).toBe(false)
    expect(isOnnxModel(encodeModel(iris(), metadata))).toBe(false)
    expect(isOnnxModel(new Uint8Array(0))).toBe(false)
    const rng = makeRng(1)
    expect(isOnnxModel(Uint8Array.from({ length: 200 }, () => Math.floor(rng() * 256)))).toBe(false)
  })
})
