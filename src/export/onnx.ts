/**
 * A softgrad model as an ONNX file: one graph that computes what `softgrad predict` computes,
 * for ONNX Runtime (servers, browsers, phones) and every other ONNX engine. Browser-safe.
 *
 *   x [N, features] → Sub(mean) → Div(scale)           the saved StandardScaler
 *                   → Gemm → Relu → … → Gemm            the layers (Dropout is left out)
 *                   → Div(T) → Softmax(axis −1)         the fitted temperature, then softmax
 *                   → probs [N, classes]
 *
 * The file is an ONNX ModelProto (onnx.proto: IR version 8, opset 17) encoded by protobufjs from
 * the schema in onnx-schema.ts. The same model and metadata always give the same bytes (no
 * timestamps), so a checked file can be recognised by its sha256.
 */
import protobuf from 'protobufjs/light.js'
import { ONNX_SCHEMA } from './onnx-schema.js'
import type { Module } from '../nn/module.js'
import { Sequential } from '../nn/sequential.js'
import { Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout } from '../nn/layers.js'
import { Softmax, LogSoftmax } from '../nn/softmax.js'
import { registeredName } from '../nn/registry.js'
import { endsInSoftmax } from '../train/trainer.js'
import { StandardScaler, type ScalerState } from '../data/scaler.js'
import { MODEL_FORMAT, type ModelMetadata } from '../io/model-bytes.js'

/** The ONNX operator set the graph uses (ONNX 1.12's newest). */
export const ONNX_OPSET = 17

/** The ONNX IR version of the file (ONNX 1.12's), which every ONNX Runtime since 1.11 reads. */
export const ONNX_IR_VERSION = 8

/** The number types an exported graph can compute in. */
export const ONNX_DTYPES = ['float32', 'float64'] as const
export type OnnxDtype = (typeof ONNX_DTYPES)[number]

export interface OnnxOptions {
  /** the graph's number type: 'float32' (the default; what most runtimes are fastest at) or 'float64' (softgrad's own) */
  dtype?: OnnxDtype
}

/**
 * exportOnnx(model, { classes, featureNames, scaler, temperature }) → the bytes of a .onnx file
 *
 * The graph takes `x` [N, features] (the raw feature columns, in featureNames' order) and gives
 * `probs` [N, classes]. The metadata is the model file's (loadModel(path).metadata); its class
 * and feature names, label, temperature, seed and hyperparameters go into the file's
 * metadata_props, each as JSON text (as in a softgrad model file). A layer ONNX cannot express
 * here (HierarchicalSoftmax, a custom layer) is an error naming the layer, never a wrong graph.
 */
export function exportOnnx(model: Module, metadata: ModelMetadata = {}, options: OnnxOptions = {}): Uint8Array {
  const { dtype = 'float32' } = options
  if (!(ONNX_DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(`exportOnnx: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`)
  }
  const layers = checkLayers(model)
  const scaler = readScaler(metadata.scaler)
  const widths = checkWidths(layers, metadata, scaler)

  const graph = new GraphBuilder(dtype)
  let x = 'x'
  if (scaler !== null) x = scaleNodes(graph, x, scaler)
  for (const [path, layer] of layers) x = layerNodes(graph, x, path, layer)

  // As predict: softmax on top at the model's temperature, unless the model ends in a Softmax layer.
  const temperature = endsInSoftmax(model) ? undefined : checkTemperature(metadata.temperature ?? model.calibratedTemperature ?? 1)
  if (temperature !== undefined) x = softmaxNodes(graph, x, 'softmax', 'Softmax', temperature)
  graph.renameOutput(x, 'probs')

  return encode({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'softgrad',
    doc_string: 'softgrad predict as one graph: x [N, features] (raw feature columns) → probs [N, classes]',
    graph: {
      name: 'softgrad',
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo('x', dtype, widths.inputs, 'features')],
      output: [valueInfo('probs', dtype, widths.outputs, 'classes')],
    },
    metadata_props: metadataProps(metadata, temperature),
  })
}

// ---------------------------------------------------------------------------------------------
// Which layers, and do they fit together

/** A layer with its state-dict path ('2', or '1.0' inside a nested Sequential; '' for a bare layer). */
type PathedLayer = [path: string, layer: Module]

/** The built-in layers exportOnnx maps, by exact class: a subclass may compute something else. */
const EXPORTABLE = new Set<unknown>([Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout, Softmax, LogSoftmax])
const EXPORTABLE_NAMES = 'Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout, Softmax and LogSoftmax (in Sequentials)'

/** The model's layers in order, Sequentials opened; any layer without an ONNX mapping is an error naming it. */
function checkLayers(model: Module): PathedLayer[] {
  const layers: PathedLayer[] = []
  const walk = (m: Module, path: string): void => {
    if (m?.constructor === Sequential) {
      ;(m as Sequential).layers.forEach((child, i) => walk(child, path === '' ? String(i) : `${path}.${i}`))
      return
    }
    if (!EXPORTABLE.has(m?.constructor)) throw new Error(`exportOnnx: ${which(path)} is ${describeLayer(m)}, which has no ONNX mapping; ${advice(m)}`)
    if ((m instanceof Softmax || m instanceof LogSoftmax) && m.dim !== -1 && m.dim !== 1) {
      throw new Error(`exportOnnx: ${which(path)} is ${registeredName(m)} over dim ${m.dim}, across the rows of a batch, so a row's output ` +
        `would depend on the other rows; the export takes softmax over the last dim (dim -1) only`)
    }
    layers.push([path, m])
  }
  walk(model, '')
  return layers
}

/** 'layer 3', 'layer 1.0', or 'the model' for a bare layer. */
function which(path: string): string {
  return path === '' ? 'the model' : `layer ${path}`
}

function describeLayer(m: Module): string {
  const name = registeredName(m)
  if (name === 'HierarchicalSoftmax') return name
  if (name !== undefined) return `${name} (a registered custom layer)`
  return `${m?.constructor?.name || 'an unnamed class'} (an unregistered layer)`
}

function advice(m: Module): string {
  if (registeredName(m) === 'HierarchicalSoftmax') {
    return `train with a flat softmax (a Linear layer with one output per class) to export, or keep the model in softgrad (softgrad predict)`
  }
  return `exportOnnx writes ${EXPORTABLE_NAMES}; build the layer from those, or keep the model in softgrad (softgrad predict)`
}

/** The temperature, checked as softmax checks it: a finite number > 0. */
function checkTemperature(t: unknown): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) throw new Error(`exportOnnx: the temperature must be a finite number > 0, got ${JSON.stringify(t)}`)
  return t
}

/** The saved scaler, if any, as a StandardScaler; another kind is an error (softgrad predict refuses it too). */
function readScaler(state: unknown): StandardScaler | null {
  if (state === undefined || state === null) return null
  try {
    return StandardScaler.fromJSON(state as ScalerState)
  } catch (e) {
    throw new Error(`exportOnnx: metadata.scaler is not a StandardScaler's state: ${(e as Error).message}`, { cause: e })
  }
}

/**
 * The graph's input and output widths, checked: each Linear takes the width before it, and the
 * feature names, the scaler and the class names agree with the network. Undefined where no
 * layer fixes a width (a model without a Linear layer).
 */
function checkWidths(layers: PathedLayer[], metadata: ModelMetadata, scaler: StandardScaler | null): { inputs?: number; outputs?: number } {
  const given = [
    ['metadata.featureNames', metadata.featureNames?.length],
    ['metadata.scaler', scaler?.mean?.length],
  ] as const
  let width: number | undefined
  let source = ''
  for (const [name, n] of given) {
    if (n === undefined) continue
    if (width !== undefined && n !== width) throw new Error(`exportOnnx: ${name} has ${n} features but ${source} has ${width}`)
    width = n
    source = name
  }
  const inputs = { width }
  for (const [path, layer] of layers) {
    if (!(layer instanceof Linear)) continue
    if (width !== undefined && layer.inFeatures !== width) {
      throw new Error(`exportOnnx: ${which(path)} is Linear(${layer.inFeatures}, ${layer.outFeatures}) but its input has ${width} features (${source || 'the layer before'})`)
    }
    inputs.width ??= layer.inFeatures
    width = layer.outFeatures
    source = `layer ${path}`
  }
  const classes = metadata.classes?.length
  if (classes !== undefined && width !== undefined && classes !== width) {
    throw new Error(`exportOnnx: metadata.classes names ${classes} classes but the network has ${width} outputs`)
  }
  return { inputs: inputs.width, outputs: width ?? classes }
}

// ---------------------------------------------------------------------------------------------
// The nodes, layer by layer

/** (x − mean) / scale, as StandardScaler.transform computes it. */
function scaleNodes(graph: GraphBuilder, x: string, scaler: StandardScaler): string {
  const mean = graph.constant('scaler.mean', scaler.mean!, [scaler.mean!.length])
  const scale = graph.constant('scaler.scale', scaler.scale!, [scaler.scale!.length])
  return graph.node('Div', [graph.node('Sub', [x, mean], 'scaler.sub'), scale], 'scaler.div')
}

/** One layer's nodes from input `x`; returns the name of the layer's output. */
function layerNodes(graph: GraphBuilder, x: string, path: string, layer: Module): string {
  const name = (what: string) => (path === '' ? what : `${path}.${what}`)
  if (layer instanceof Linear) {
    // Gemm: Y = X·Bᵀ + C with transB = 1, so W keeps PyTorch's [out, in] layout and its state-dict name.
    const w = graph.constant(name('weight'), layer.weight.data, layer.weight.shape)
    const b = layer.bias === null ? [] : [graph.constant(name('bias'), layer.bias.data, layer.bias.shape)]
    return graph.node('Gemm', [x, w, ...b], name('gemm'), [intAttribute('transB', 1)])
  }
  if (layer instanceof ReLU) return graph.node('Relu', [x], name('relu'))
  if (layer instanceof Tanh) return graph.node('Tanh', [x], name('tanh'))
  if (layer instanceof Sigmoid) return graph.node('Sigmoid', [x], name('sigmoid'))
  if (layer instanceof LeakyReLU) return leakyReluNodes(graph, x, name('leakyrelu'), layer.negativeSlope)
  if (layer instanceof Dropout) return x // predict runs in eval mode, where Dropout passes x through
  if (layer instanceof Softmax) return softmaxNodes(graph, x, name('softmax'), 'Softmax', layer.temperature)
  if (layer instanceof LogSoftmax) return softmaxNodes(graph, x, name('logsoftmax'), 'LogSoftmax', layer.temperature)
  throw new Error(`exportOnnx: ${which(path)} has no ONNX mapping`) // checkLayers let only the layers above through
}

/**
 * leakyRelu: x > 0 ? x : slope·x. In float32, ONNX's LeakyRelu. In float64 the same formula as
 * Where(Greater(x, 0), x, Mul(x, slope)): LeakyRelu's alpha is a float32 attribute (0.01
 * becomes 0.0099999998), which would cost float64 its last 8 digits.
 */
function leakyReluNodes(graph: GraphBuilder, x: string, name: string, slope: number): string {
  if (graph.dtype === 'float32') return graph.node('LeakyRelu', [x], name, [floatAttribute('alpha', slope)])
  const positive = graph.node('Greater', [x, graph.constant(`${name}.zero`, [0], [])], `${name}.positive`)
  const scaled = graph.node('Mul', [x, graph.constant(`${name}.slope`, [slope], [])], `${name}.scaled`)
  return graph.node('Where', [positive, x, scaled], name)
}

/** softmax(x / T) over the last dim (Div left out at T = 1); `op` is 'Softmax' or 'LogSoftmax'. */
function softmaxNodes(graph: GraphBuilder, x: string, name: string, op: 'Softmax' | 'LogSoftmax', temperature: number): string {
  const input = temperature === 1 ? x : graph.node('Div', [x, graph.constant(`${name}.temperature`, [temperature], [])], `${name}.div`)
  return graph.node(op, [input], name, [intAttribute('axis', -1)])
}

// ---------------------------------------------------------------------------------------------
// The graph as ONNX's messages (plain objects with onnx.proto's field names)

/** TensorProto.DataType: FLOAT = 1, DOUBLE = 11. */
const ELEM_TYPE = { float32: 1, float64: 11 } as const
/** AttributeProto.AttributeType: FLOAT = 1, INT = 2. */
const ATTRIBUTE_TYPE = { float: 1, int: 2 } as const

interface NodeMessage {
  name: string
  op_type: string
  input: string[]
  output: string[]
  attribute: object[]
}

/** Collects nodes and initializers (the weights, as constants of the graph's dtype). */
class GraphBuilder {
  readonly nodes: NodeMessage[] = []
  readonly initializers: object[] = []

  constructor(readonly dtype: OnnxDtype) {}

  /** An initializer holding `values` (rounded to float32 in a float32 graph); returns its name. */
  constant(name: string, values: ArrayLike<number>, dims: readonly number[]): string {
    this.initializers.push({ name, dims: [...dims], data_type: ELEM_TYPE[this.dtype], raw_data: littleEndian(values, this.dtype) })
    return name
  }

  /** A node `op(inputs)` whose one output is named after the node; returns that name. */
  node(op: string, inputs: string[], name: string, attribute: object[] = []): string {
    this.nodes.push({ name, op_type: op, input: inputs, output: [name], attribute })
    return name
  }

  /** Give the tensor named `from` (the last node's output: there is always one, the softmax) the graph output's name. */
  renameOutput(from: string, to: string): void {
    for (const node of this.nodes) node.output = node.output.map((o) => (o === from ? to : o))
  }
}

/** The numbers as ONNX's raw_data: little-endian float32 or float64, whatever the host's byte order. */
function littleEndian(values: ArrayLike<number>, dtype: OnnxDtype): Uint8Array {
  const size = dtype === 'float32' ? 4 : 8
  const bytes = new Uint8Array(values.length * size)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * size, values[i], true)
    else view.setFloat64(i * size, values[i], true)
  }
  return bytes
}

function intAttribute(name: string, i: number): object {
  return { name, type: ATTRIBUTE_TYPE.int, i }
}

function floatAttribute(name: string, f: number): object {
  return { name, type: ATTRIBUTE_TYPE.float, f }
}

/** ValueInfoProto of a [N, width] tensor; an unknown width is a named (symbolic) dim. */
function valueInfo(name: string, dtype: OnnxDtype, width: number | undefined, widthName: string): object {
  const dim = [{ dim_param: 'N' }, width === undefined ? { dim_param: widthName } : { dim_value: width }]
  return { name, type: { tensor_type: { elem_type: ELEM_TYPE[dtype], shape: { dim } } } }
}

/** The metadata a user of the .onnx file needs, each as JSON text beside `format` (as in a model file). */
function metadataProps(metadata: ModelMetadata, temperature: number | undefined): Array<{ key: string; value: string }> {
  const props = [{ key: 'format', value: MODEL_FORMAT }]
  const fields: Array<[string, unknown]> = [
    ['classes', metadata.classes],
    ['featureNames', metadata.featureNames],
    ['label', metadata.label],
    ['temperature', temperature],
    ['seed', metadata.seed],
    ['hyperparameters', metadata.hyperparameters],
  ]
  for (const [key, value] of fields) if (value !== undefined) props.push({ key, value: JSON.stringify(value) })
  return props
}

// ---------------------------------------------------------------------------------------------
// protobuf

let modelType: protobuf.Type | undefined

/** onnx.ModelProto, read from the schema once. */
export function onnxModelType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto')
  return modelType
}

function encode(model: object): Uint8Array {
  const type = onnxModelType()
  const problem = type.verify(model)
  if (problem !== null) throw new Error(`exportOnnx: the graph is not a valid ModelProto (${problem}); this is a bug in softgrad`)
  // A plain Writer (not Node's Buffer writer), so every platform builds the same Uint8Array.
  return type.encode(type.fromObject(model), new protobuf.Writer()).finish()
}

/**
 * Do these bytes hold an ONNX model? They must decode as a ModelProto that has an IR version and
 * a graph; text (a CSV file, notes) and other binary formats do not.
 */
export function isOnnxModel(bytes: Uint8Array): boolean {
  try {
    const m = onnxModelType().decode(bytes) as unknown as { ir_version?: unknown; graph?: unknown }
    return Number(m.ir_version ?? 0) > 0 && m.graph != null
  } catch {
    return false
  }
}
