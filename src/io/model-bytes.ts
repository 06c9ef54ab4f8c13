/**
 * Model files as bytes: one safetensors file, so PyTorch's `safetensors.torch.load_file` reads
 * the weights under their state-dict names. Browser-safe: nothing here touches the file system.
 *
 *   | N: u64, little-endian | header: N bytes of JSON, space-padded | body: the tensors' bytes |
 *
 * The header maps each state-dict name ('0.weight', '0.bias', …) to
 * `{ dtype: 'F64', shape, data_offsets: [begin, end] }`, byte offsets into the body, tensors
 * back to back in state-dict order. `__metadata__` holds strings only (safetensors' rule):
 * `format: 'softgrad/1'`, the `architecture` (the LayerSpec as JSON) and every metadata field
 * as JSON text, so a Python reader can `json.loads` any value but `format`.
 */
import { Tensor } from '../tensor.js'
import { formatShape, shapeSize } from '../shape.js'
import type { Module, StateDict } from '../nn/module.js'
// Through nn's index, so every built-in layer has registered itself before a file is read.
import { describeModel, buildModel, type LayerSpec } from '../nn/index.js'
import { UnregisteredLayerError } from '../nn/architecture.js'

/** The format this version writes; a later version reads every `softgrad/<n>` it knows. */
export const MODEL_FORMAT = 'softgrad/1'

/** safetensors' own cap (MAX_HEADER_SIZE): a longer header is corruption, not a big model. */
export const MAX_HEADER_BYTES = 100_000_000

/** The dtypes softgrad reads; F32 (PyTorch's default) is widened to float64 on load. */
const DTYPE_BYTES = { F64: 8, F32: 4 } as const
type DType = keyof typeof DTYPE_BYTES

/** What a model file carries besides the weights. Structured values must be JSON-serialisable. */
export interface ModelMetadata {
  classes?: string[]
  featureNames?: string[]
  /** e.g. StandardScaler's `toJSON()`: `{ mean: number[], scale: number[] }` */
  scaler?: unknown
  seed?: number
  hyperparameters?: Record<string, unknown>
  /** the fitted softmax temperature (see fitTemperature) */
  temperature?: number
  [extra: string]: unknown
}

/** The metadata read back from a file: what was saved, plus the file's format and architecture. */
export interface LoadedMetadata extends ModelMetadata {
  format: string
  architecture: LayerSpec
}

export interface DecodedModel {
  model: Module
  metadata: LoadedMetadata
}

/** encodeModel(model, { classes: ['a', 'b'] }) → the bytes of a .safetensors file */
export function encodeModel(model: Module, metadata: ModelMetadata = {}): Uint8Array {
  const architecture = describeModel(model) // an unregistered layer is an error here, before any bytes
  const params = model.namedParameters()

  // The model's fitted temperature travels with it unless the metadata says otherwise.
  const withT = model.calibratedTemperature !== undefined && metadata.temperature === undefined ? { ...metadata, temperature: model.calibratedTemperature } : metadata
  const header: Record<string, unknown> = { __metadata__: encodeMetadata(withT, architecture) }
  checkAgreement(architecture, withT, 'encodeModel: metadata')
  let offset = 0
  for (const [name, p] of params) {
    const end = offset + p.size * DTYPE_BYTES.F64
    header[name] = { dtype: 'F64', shape: [...p.shape], data_offsets: [offset, end] }
    offset = end
  }

  // Pad with spaces so the body starts on an 8-byte boundary (8 + N ≡ 0 mod 8), as safetensors does.
  const json = new TextEncoder().encode(JSON.stringify(header))
  const headerLength = json.length + ((8 - (json.length % 8)) % 8)

  const bytes = new Uint8Array(8 + headerLength + offset)
  const view = new DataView(bytes.buffer)
  view.setBigUint64(0, BigInt(headerLength), true)
  bytes.set(json, 8)
  bytes.fill(0x20, 8 + json.length, 8 + headerLength) // ' '
  // Through a DataView, so the file is little-endian whatever the host's byte order.
  let at = 8 + headerLength
  for (const [, p] of params) {
    for (let i = 0; i < p.size; i++, at += 8) view.setFloat64(at, p.data[i], true)
  }
  return bytes
}

/** decodeModel(bytes) → { model (in eval mode), metadata }; a corrupt file is an error saying what is wrong. */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  if (!(bytes instanceof Uint8Array)) throw new Error('model file: decodeModel expects the file\'s bytes as a Uint8Array')
  const { header, bodyStart } = readHeader(bytes)
  const metadata = decodeMetadata(header.__metadata__)

  const bodyLength = bytes.length - bodyStart
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, raw]) => readTensorEntry(name, raw, bodyLength))
  checkTiling(entries, bodyLength)

  let model: Module
  try {
    // NOTE: the weights are overwritten below; a fixed rng keeps loading from drawing on the default generator.
    model = buildModel(metadata.architecture, () => 0.5)
  } catch (e) {
    if (e instanceof UnregisteredLayerError) throw new Error(`model file: ${e.reason}`, { cause: e })
    throw new Error(`model file: the architecture cannot be built: ${(e as Error).message}`, { cause: e })
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // A prototype-free object: a tensor named 'constructor' or '__proto__' is just a name here.
  const stateDict: StateDict = Object.create(null)
  for (const entry of entries) stateDict[entry.name] = readTensor(view, bodyStart, entry)
  try {
    model.loadStateDict(stateDict)
  } catch (e) {
    throw new Error(`model file: the tensors do not fit the architecture: ${(e as Error).message}`, { cause: e })
  }
  checkAgreement(metadata.architecture, metadata, 'model file: __metadata__')
  // A loaded model is ready to predict (Dropout off); call train() to fine-tune it.
  model.eval()
  if (typeof metadata.temperature === 'number') model.calibratedTemperature = metadata.temperature
  return { model, metadata }
}

// ---------------------------------------------------------------------------------------------
// Reading the header

function fail(why: string): never {
  throw new Error(`model file: ${why}`)
}

/** The 8-byte length, then the JSON header, checked before anything of that length is read. */
function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; bodyStart: number } {
  if (bytes.length < 8) {
    fail(`the file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // Compared as a BigInt: a length of 2⁶⁰ must fail here, not become a huge allocation.
  const headerLength = view.getBigUint64(0, true)
  const rest = bytes.length - 8
  if (headerLength > BigInt(rest)) {
    fail(`the header length is ${headerLength} bytes but only ${rest} bytes follow: the file is truncated or not a safetensors file`)
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(`the header length is ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} safetensors allows: the file is corrupt`)
  }
  const n = Number(headerLength)

  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))
  } catch {
    fail('the header is not valid UTF-8 text: the file is corrupt or not a safetensors file')
  }
  let header: unknown
  try {
    header = JSON.parse(text)
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message}): the file is corrupt or not a safetensors file`)
  }
  if (!isPlainObject(header)) fail(`the header must be a JSON object, got ${describe(header)}`)
  return { header, bodyStart: 8 + n }
}

interface TensorEntry {
  name: string
  dtype: DType
  shape: number[]
  begin: number
  end: number
}

/** One `"name": { dtype, shape, data_offsets }` entry, checked against itself and the body's length. */
function readTensorEntry(name: string, raw: unknown, bodyLength: number): TensorEntry {
  const where = `tensor '${name}'`
  if (!isPlainObject(raw)) fail(`${where} must be { dtype, shape, data_offsets }, got ${describe(raw)}`)
  const { dtype, shape, data_offsets: offsets } = raw

  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
    fail(`${where} has dtype ${JSON.stringify(dtype)}; softgrad reads F64 and F32`)
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${where} has shape ${JSON.stringify(shape)}; expected an array of whole numbers ≥ 0`)
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`${where} has data_offsets ${JSON.stringify(offsets)}; expected two whole numbers [begin, end]`)
  }
  const [begin, end] = offsets as [number, number]
  if (begin > end) fail(`${where} has data_offsets [${begin}, ${end}]: begin is after end`)
  if (end > bodyLength) {
    fail(`${where} has data_offsets [${begin}, ${end}] but the body has only ${bodyLength} bytes: the file is truncated`)
  }
  const itemBytes = DTYPE_BYTES[dtype as DType]
  const expected = shapeSize(shape) * itemBytes
  if (end - begin !== expected) {
    fail(`${where} has shape ${formatShape(shape)} of ${dtype}, which is ${expected} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`)
  }
  return { name, dtype: dtype as DType, shape, begin, end }
}

/** The tensors must cover the body exactly, as safetensors requires: no overlap, no gap, nothing after. */
function checkTiling(entries: TensorEntry[], bodyLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)
  let covered = 0
  let previous = ''
  for (const e of sorted) {
    if (e.begin < covered) fail(`tensors ${previous} and '${e.name}' overlap (at bytes ${e.begin}..${covered} of the body)`)
    if (e.begin > covered) fail(`bytes ${covered}..${e.begin} of the body belong to no tensor (before '${e.name}')`)
    covered = e.end
    previous = `'${e.name}'`
  }
  if (covered !== bodyLength) {
    fail(`the body has ${bodyLength} bytes but the tensors account for ${covered}: the file is corrupt`)
  }
}

/** The numbers of one tensor, little-endian, widened to float64. */
function readTensor(view: DataView, bodyStart: number, e: TensorEntry): Tensor {
  const itemBytes = DTYPE_BYTES[e.dtype]
  const data = new Float64Array((e.end - e.begin) / itemBytes)
  const at = bodyStart + e.begin
  if (e.dtype === 'F64') {
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat64(at + 8 * i, true)
  } else {
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(at + 4 * i, true)
  }
  return new Tensor(data, e.shape)
}

// ---------------------------------------------------------------------------------------------
// Metadata: values in, strings out, and back

/** Every field as JSON text (format aside); `format` and `architecture` come from the model, not the caller. */
function encodeMetadata(metadata: ModelMetadata, architecture: LayerSpec): Record<string, string> {
  if (!isPlainObject(metadata)) throw new Error(`encodeModel: metadata must be a plain object, got ${describe(metadata)}`)
  checkKnownFields(metadata, 'encodeModel: metadata')
  const out: Record<string, string> = { format: MODEL_FORMAT, architecture: JSON.stringify(architecture) }
  for (const [key, value] of Object.entries(metadata)) {
    // NOTE: a loaded model's metadata can be saved again as it is: its format and architecture are replaced.
    if (key === 'format' || key === 'architecture' || value === undefined) continue
    out[key] = toJson(key, value)
  }
  return out
}

/** JSON text of a metadata value; NaN, Infinity and functions are errors, typed arrays become arrays. */
function toJson(key: string, value: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`it holds ${v}, which JSON cannot represent`)
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>)
      return v
    })
  } catch (e) {
    throw new Error(`encodeModel: metadata.${key} cannot be written as JSON: ${(e as Error).message}`, { cause: e })
  }
  if (text === undefined) throw new Error(`encodeModel: metadata.${key} cannot be written as JSON (it is a ${typeof value})`)
  return text
}

function decodeMetadata(raw: unknown): LoadedMetadata {
  const notOurs = (why: string): never =>
    fail(`${why}, so this is not a softgrad model file (softgrad writes format "${MODEL_FORMAT}" and the architecture there)`)
  if (raw === undefined) notOurs('the header has no __metadata__')
  if (!isPlainObject(raw)) notOurs(`__metadata__ is ${describe(raw)}, not an object`)
  const strings = raw as Record<string, unknown>
  for (const [key, value] of Object.entries(strings)) {
    if (typeof value !== 'string') fail(`__metadata__.${key} is ${describe(value)}; safetensors metadata holds only strings`)
  }
  const { format, architecture, ...fields } = strings as Record<string, string>
  if (format === undefined) notOurs('__metadata__ has no format')
  if (!format.startsWith('softgrad/')) notOurs(`__metadata__.format is ${JSON.stringify(format)}`)
  if (format !== MODEL_FORMAT) fail(`the format is ${JSON.stringify(format)}; this softgrad reads "${MODEL_FORMAT}" (a newer softgrad wrote it?)`)
  if (architecture === undefined) fail('__metadata__ has no architecture; a softgrad model file needs it to rebuild the model')

  const metadata: LoadedMetadata = Object.create(null)
  metadata.format = format
  metadata.architecture = parseJson('architecture', architecture) as LayerSpec
  for (const [key, text] of Object.entries(fields)) {
    // The fields softgrad knows are always JSON; another program's plain string stays a string.
    metadata[key] = KNOWN_FIELDS.has(key) ? parseJson(key, text) : parseJsonOr(text)
  }
  checkKnownFields(metadata, 'model file: __metadata__')
  // An ordinary object for the caller (the prototype-free one only guarded the parse).
  return { ...metadata }
}

const KNOWN_FIELDS = new Set(['classes', 'featureNames', 'scaler', 'seed', 'hyperparameters', 'temperature'])

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    return fail(`__metadata__.${key} is not valid JSON (${(e as Error).message})`)
  }
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The fields softgrad itself reads must have their documented types, on the way in and out. */
function checkKnownFields(m: Record<string, unknown>, where: string): void {
  const bad = (key: string, expected: string): never => {
    throw new Error(`${where}.${key} must be ${expected}, got ${describe(m[key])}`)
  }
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string')
  if (m.classes !== undefined && !isStrings(m.classes)) bad('classes', 'an array of strings')
  if (m.featureNames !== undefined && !isStrings(m.featureNames)) bad('featureNames', 'an array of strings')
  if (m.seed !== undefined && !Number.isFinite(m.seed)) bad('seed', 'a finite number')
  if (m.temperature !== undefined && !(Number.isFinite(m.temperature) && (m.temperature as number) > 0)) {
    bad('temperature', 'a finite number > 0')
  }
  if (m.hyperparameters !== undefined && !isPlainObject(m.hyperparameters)) bad('hyperparameters', 'a plain object')
}

/**
 * The metadata must describe this network: one class name per output, one feature name per
 * input, each name once, and a `{ mean, scale }` scaler with one entry per feature. A width the
 * architecture does not show (a layer softgrad does not know may change it) is not checked.
 */
function checkAgreement(architecture: LayerSpec, m: ModelMetadata, where: string): void {
  const fail = (why: string): never => {
    throw new Error(`${where}.${why}`)
  }
  const { inputs, outputs } = widths(architecture)
  for (const [key, width, what] of [['classes', outputs, 'outputs (one per class)'], ['featureNames', inputs, 'inputs (one per feature)']] as const) {
    const names = m[key]
    if (names === undefined) continue
    const twice = names.find((name, i) => names.indexOf(name) !== i)
    if (twice !== undefined) fail(`${key} names ${JSON.stringify(twice)} twice; each name must be given once`)
    if (width !== undefined && names.length !== width) fail(`${key} lists ${names.length} names but the network has ${width} ${what}`)
  }
  const scaler = m.scaler
  if (!isPlainObject(scaler) || !('mean' in scaler && 'scale' in scaler)) return // not a StandardScaler's state: not ours to check
  const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isFinite(x))
  if (!isNumbers(scaler.mean) || !isNumbers(scaler.scale) || !scaler.scale.every((s) => s > 0)) {
    fail('scaler must be { mean: number[], scale: number[] } of finite numbers with every scale > 0 (StandardScaler\'s toJSON())')
  }
  const features = m.featureNames?.length ?? inputs
  for (const part of ['mean', 'scale'] as const) {
    const n = (scaler[part] as number[]).length
    if (features !== undefined && n !== features) fail(`scaler.${part} has ${n} numbers but the network has ${features} inputs (one per feature)`)
  }
}

/**
 * The network's input and output widths as its architecture shows them: the first layer's
 * inFeatures and the last layer's outFeatures (or numClasses), looking through Sequential and
 * past activations and Dropout, which keep the width. Undefined when a layer in the way is one
 * whose width softgrad cannot tell.
 */
function widths(spec: LayerSpec): { inputs?: number; outputs?: number } {
  const layers: LayerSpec[] = []
  const flatten = (s: LayerSpec): void => {
    if (s.type === 'Sequential' && Array.isArray(s.layers)) (s.layers as LayerSpec[]).forEach(flatten)
    else layers.push(s)
  }
  flatten(spec)
  const KEEPS_WIDTH = new Set(['ReLU', 'LeakyReLU', 'Tanh', 'Sigmoid', 'Dropout'])
  const first = (order: LayerSpec[], read: (s: LayerSpec) => unknown): number | undefined => {
    for (const s of order) {
      const width = read(s)
      if (Number.isSafeInteger(width)) return width as number
      if (!KEEPS_WIDTH.has(s.type)) return undefined
    }
    return undefined
  }
  return {
    inputs: first(layers, (s) => s.inFeatures),
    outputs: first([...layers].reverse(), (s) => s.outFeatures ?? s.numClasses),
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A short description of a value for an error message. */
function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`
  if (typeof v === 'object') return 'an object'
  return `${typeof v} ${String(v)}`
}
