import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nn, makeRng, manualSeed, rand, randn, noGrad, tensor, StandardScaler, type Tensor } from '../src/index.js'
import { encodeModel, decodeModel, saveModel, loadModel, type ModelMetadata } from '../src/io/index.js'
import { writeFileAtomic, nodeFileOps } from '../src/io/model-file.js'

const makeModel = () =>
  new nn.Sequential(new nn.Linear(2, 8, { rng: makeRng(0) }), new nn.ReLU(), new nn.Linear(8, 3, { rng: makeRng(1) }))

const metadata: ModelMetadata = {
  classes: ['setosa', 'versicolor', 'virginica'],
  featureNames: ['petal length', 'petal width'],
  scaler: { mean: [3.76, 1.2], scale: [1.76, 0.76] },
  seed: 7,
  hyperparameters: { lr: 0.1, hidden: [8], optimizer: 'sgd', epochs: 200 },
  temperature: 1.25,
}

const X = randn([16, 2], { rng: makeRng(2) })
const predictions = (model: nn.Module) => noGrad(() => model.forward(X)).data
/** The bytes of a Float64Array, so equality means bit-identical (NaN, -0 and all). */
const bitsOf = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

// A tiny safetensors reader and writer of the test's own, independent of src/io.

interface Parsed {
  headerLength: number
  header: Record<string, any>
  body: Uint8Array
}

function parse(bytes: Uint8Array): Parsed {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = Number(view.getBigUint64(0, true))
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)))
  return { headerLength, header, body: bytes.subarray(8 + headerLength) }
}

/** header JSON, space-padded to 8-byte alignment, then the body. */
function assemble(header: unknown, body: Uint8Array, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText)
  const n = json.length + ((8 - (json.length % 8)) % 8)
  const bytes = new Uint8Array(8 + n + body.length).fill(0x20, 8, 8 + n)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(n), true)
  bytes.set(json, 8)
  bytes.set(body, 8 + n)
  return bytes
}

/** The same file with its header edited (the body untouched). */
function editHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const { header, body } = parse(bytes)
  edit(header)
  return assemble(header, body)
}

interface HandTensor {
  name: string
  dtype: 'F64' | 'F32'
  shape: number[]
  values: ArrayLike<number>
}

/** A safetensors file written by hand, little-endian, tensors back to back. */
function writeSafetensors(meta: Record<string, string> | undefined, tensors: HandTensor[]): Uint8Array {
  const header: Record<string, unknown> = meta === undefined ? {} : { __metadata__: meta }
  const size = { F64: 8, F32: 4 }
  let offset = 0
  for (const t of tensors) {
    const end = offset + t.values.length * size[t.dtype]
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, end] }
    offset = end
  }
  const body = new Uint8Array(offset)
  const view = new DataView(body.buffer)
  let at = 0
  for (const t of tensors) {
    for (let i = 0; i < t.values.length; i++, at += size[t.dtype]) {
      if (t.dtype === 'F64') view.setFloat64(at, t.values[i], true)
      else view.setFloat32(at, t.values[i], true)
    }
  }
  return assemble(header, body)
}

const goodBytes = () => encodeModel(makeModel(), metadata)
const softgradMetadata = () => parse(goodBytes()).header.__metadata__ as Record<string, string>
const tensorsOf = (model: nn.Module, dtype: 'F64' | 'F32' = 'F64'): HandTensor[] =>
  model.namedParameters().map(([name, p]) => ({ name, dtype, shape: [...p.shape], values: p.data }))

/** decodeModel fails with a message that starts with `model file:` and matches `pattern`. */
function expectModelFileError(bytes: Uint8Array, pattern: RegExp): string {
  let message = ''
  try {
    decodeModel(bytes)
  } catch (e) {
    message = (e as Error).message
  }
  expect(message, 'decodeModel should have thrown').not.toBe('')
  expect(message).toMatch(/^model file: /)
  expect(message).toMatch(pattern)
  return message
}

describe('model bytes (safetensors)', () => {
  it('encode then decode gives bit-identical predictions and the same metadata', () => {
    const model = makeModel()
    const { model: loaded, metadata: read } = decodeModel(encodeModel(model, metadata))
    expect(bitsOf(predictions(loaded))).toEqual(bitsOf(predictions(model)))
    for (const key of ['classes', 'featureNames', 'scaler', 'seed', 'hyperparameters', 'temperature'] as const) {
      expect(read[key], key).toEqual(metadata[key])
    }
    expect(read.format).toBe('softgrad/1')
    expect(read.architecture).toEqual(nn.describeModel(model))
  })

  it('the header names the tensors as PyTorch does, F64, with contiguous offsets after an 8-byte-aligned header', () => {
    const bytes = goodBytes()
    const { headerLength, header, body } = parse(bytes)
    expect((8 + headerLength) % 8).toBe(0)
    expect(Object.keys(header).filter((k) => k !== '__metadata__')).toEqual(['0.weight', '0.bias', '2.weight', '2.bias'])
    expect(header['0.weight']).toEqual({ dtype: 'F64', shape: [8, 2], data_offsets: [0, 128] })
    expect(header['0.bias']).toEqual({ dtype: 'F64', shape: [8], data_offsets: [128, 192] })
    expect(header['2.weight']).toEqual({ dtype: 'F64', shape: [3, 8], data_offsets: [192, 384] })
    expect(header['2.bias']).toEqual({ dtype: 'F64', shape: [3], data_offsets: [384, 408] })
    expect(body.length).toBe(408)
    expect(bytes.length).toBe(8 + headerLength + 408)
  })

  it('the body holds each tensor as little-endian float64 in state-dict order', () => {
    const model = makeModel()
    const { header, body } = parse(encodeModel(model))
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength)
    for (const [name, p] of model.namedParameters()) {
      const [begin] = header[name].data_offsets
      const read = Float64Array.from(p.data, (_, i) => view.getFloat64(begin + 8 * i, true))
      expect(bitsOf(read), name).toEqual(bitsOf(p.data))
    }
  })

  it('__metadata__ holds only strings: the format, the architecture and each field as JSON', () => {
    const meta = softgradMetadata()
    for (const value of Object.values(meta)) expect(typeof value).toBe('string')
    expect(meta.format).toBe('softgrad/1')
    expect(JSON.parse(meta.architecture)).toEqual(nn.describeModel(makeModel()))
    expect(JSON.parse(meta.classes)).toEqual(metadata.classes)
    expect(JSON.parse(meta.scaler)).toEqual(metadata.scaler)
    expect(meta.seed).toBe('7')
  })

  it('extra metadata fields and typed arrays come back as plain JSON values', () => {
    const { metadata: read } = decodeModel(encodeModel(makeModel(), {
      scaler: { mean: new Float64Array([1.5, -2]) },
      note: 'trained on Tuesday',
      epochsRun: 12,
    }))
    expect(read.scaler).toEqual({ mean: [1.5, -2] })
    expect(read.note).toBe('trained on Tuesday')
    expect(read.epochsRun).toBe(12)
  })

  it('a loaded model can be saved again with the metadata it came with', () => {
    const first = decodeModel(goodBytes())
    const second = decodeModel(encodeModel(first.model, first.metadata))
    expect(second.metadata).toEqual(first.metadata)
  })

  it('a model without parameters round-trips with an empty body', () => {
    const bytes = encodeModel(new nn.Sequential(new nn.ReLU(), new nn.Softmax({ dim: -1, temperature: 2 })))
    expect(parse(bytes).body.length).toBe(0)
    expect(decodeModel(bytes).metadata.architecture).toEqual({
      type: 'Sequential', layers: [{ type: 'ReLU' }, { type: 'Softmax', dim: -1, temperature: 2 }],
    })
  })

  it('a loaded model is in eval mode, ready to predict', () => {
    const model = new nn.Sequential(new nn.Linear(2, 4, { rng: makeRng(0) }), new nn.Dropout(0.5), new nn.Linear(4, 2, { rng: makeRng(1) }))
    const { model: loaded } = decodeModel(encodeModel(model))
    expect(loaded.training).toBe(false)
    expect(bitsOf(predictions(loaded))).toEqual(bitsOf(predictions(model.eval())))
  })

  it('a model with an unregistered module cannot be encoded, and the error says to register it', () => {
    class Double extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(2)
      }
    }
    expect(() => encodeModel(new nn.Sequential(new nn.Linear(2, 2), new Double()))).toThrow(
      'describeModel: Double is not registered, so a model file cannot name it; ' +
        'give Double a config() and a static fromConfig(config), then call nn.registerModule(Double)',
    )
  })

  it('metadata that JSON cannot hold is an encode error naming the field', () => {
    expect(() => encodeModel(makeModel(), { scaler: { mean: [NaN] } })).toThrow(/metadata\.scaler.*NaN/)
    expect(() => encodeModel(makeModel(), { classes: 'abc' as unknown as string[] })).toThrow(/metadata\.classes must be an array of strings/)
    expect(() => encodeModel(makeModel(), { temperature: 0 })).toThrow(/metadata\.temperature must be a finite number > 0/)
  })
})

describe('reading files written by others', () => {
  it('an F32 file written by hand loads, widened to float64', () => {
    const model = makeModel()
    const tensors = tensorsOf(model, 'F32')
    const { model: loaded } = decodeModel(writeSafetensors(softgradMetadata(), tensors))
    for (const [name, p] of loaded.namedParameters()) {
      const original = model.namedParameters().find(([n]) => n === name)![1]
      expect(Array.from(p.data), name).toEqual(Array.from(original.data, Math.fround))
    }
  })

  it('a file written before layers were registered (every built-in layer, nested) loads with the same outputs', () => {
    // The architecture exactly as softgrad/1 wrote it from the start: type, then the settings.
    const written = '{"type":"Sequential","layers":[{"type":"Linear","inFeatures":2,"outFeatures":8,"bias":true},{"type":"Tanh"},' +
      '{"type":"Linear","inFeatures":8,"outFeatures":8,"bias":false},{"type":"Sigmoid"},{"type":"Dropout","p":0.2},' +
      '{"type":"LeakyReLU","negativeSlope":0.1},{"type":"Sequential","layers":[{"type":"Linear","inFeatures":8,"outFeatures":3,"bias":true},' +
      '{"type":"ReLU"}]},{"type":"LogSoftmax","dim":-1,"temperature":1.5},{"type":"Softmax","dim":1,"temperature":2}]}'
    const model = new nn.Sequential(
      new nn.Linear(2, 8, { rng: makeRng(0) }), new nn.Tanh(), new nn.Linear(8, 8, { bias: false, rng: makeRng(1) }), new nn.Sigmoid(),
      new nn.Dropout(0.2), new nn.LeakyReLU(0.1), new nn.Sequential(new nn.Linear(8, 3, { rng: makeRng(2) }), new nn.ReLU()),
      new nn.LogSoftmax({ dim: -1, temperature: 1.5 }), new nn.Softmax({ dim: 1, temperature: 2 }),
    ).eval()
    const bytes = writeSafetensors({ format: 'softgrad/1', architecture: written, classes: '["a","b","c"]' }, tensorsOf(model))
    const { model: loaded, metadata: read } = decodeModel(bytes)
    expect(bitsOf(predictions(loaded))).toEqual(bitsOf(predictions(model)))
    expect(read.classes).toEqual(['a', 'b', 'c'])
    // and a file written today is still such a file, to the byte
    expect(parse(encodeModel(model)).header.__metadata__.architecture).toBe(written)
  })

  it('loading a model draws nothing from the default generator', () => {
    const bytes = goodBytes()
    manualSeed(11)
    const expected = rand([5]).data
    manualSeed(11)
    decodeModel(bytes)
    expect(bitsOf(rand([5]).data)).toEqual(bitsOf(expected))
  })

  it('a hand-written F64 file with the tensors in another order loads the same model', () => {
    const model = makeModel()
    const bytes = writeSafetensors(softgradMetadata(), tensorsOf(model).reverse())
    expect(bitsOf(predictions(decodeModel(bytes).model))).toEqual(bitsOf(predictions(model)))
  })
})

describe('a corrupt model file is a clear error, fast, with no huge allocation', () => {
  it('fewer than 8 bytes', () => {
    expectModelFileError(goodBytes().subarray(0, 5), /5 bytes.*8-byte header length/)
  })

  it('a file cut inside the header', () => {
    expectModelFileError(goodBytes().subarray(0, 40), /header length is \d+ bytes but only 32 bytes follow: the file is truncated/)
  })

  it('a file cut inside the body', () => {
    const bytes = goodBytes()
    expectModelFileError(bytes.subarray(0, bytes.length - 10), /'2\.bias' has data_offsets \[384, 408\] but the body has only 398 bytes: the file is truncated/)
  })

  it('a header length larger than the file', () => {
    const bytes = goodBytes()
    new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true)
    expectModelFileError(bytes, new RegExp(`header length is ${bytes.length} bytes but only ${bytes.length - 8} bytes follow`))
  })

  it('a header length of 2^60', () => {
    const bytes = goodBytes()
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 60n, true)
    const start = performance.now()
    expectModelFileError(bytes, /header length is 1152921504606846976 bytes but only \d+ bytes follow/)
    expect(performance.now() - start).toBeLessThan(1000)
  })

  it('a header longer than safetensors allows (100 MB)', () => {
    const bytes = new Uint8Array(8 + 100_000_008) // zero-filled, so the claimed header fits in the file
    new DataView(bytes.buffer).setBigUint64(0, 100_000_008n, true)
    expectModelFileError(bytes, /header length is 100000008 bytes, more than the 100000000 safetensors allows/)
  })

  it('malformed JSON in the header', () => {
    const { body } = parse(goodBytes())
    expectModelFileError(assemble(null, body, '{"__metadata__": {"format": '), /header is not valid JSON/)
  })

  it('a header that is JSON but not an object', () => {
    expectModelFileError(assemble([1, 2], new Uint8Array(0)), /header must be a JSON object, got an array/)
  })

  it('an unknown dtype is named', () => {
    for (const dtype of ['I8', 'BF16']) {
      const bytes = editHeader(goodBytes(), (h) => { h['0.weight'].dtype = dtype })
      expectModelFileError(bytes, new RegExp(`'0\\.weight' has dtype "${dtype}"; softgrad reads F64 and F32`))
    }
  })

  it('data_offsets outside the body', () => {
    const bytes = editHeader(goodBytes(), (h) => { h['2.bias'].data_offsets = [384, 4000] })
    expectModelFileError(bytes, /'2\.bias' has data_offsets \[384, 4000\] but the body has only 408 bytes/)
  })

  it('data_offsets that are not two whole numbers', () => {
    for (const offsets of [[0], [0, 1.5], [-8, 0], '0,128', [0, 128, 256]]) {
      const bytes = editHeader(goodBytes(), (h) => { h['0.weight'].data_offsets = offsets })
      expectModelFileError(bytes, /'0\.weight' has data_offsets .*expected two whole numbers \[begin, end\]/)
    }
  })

  it('data_offsets that do not match shape × dtype size', () => {
    const bytes = editHeader(goodBytes(), (h) => { h['0.bias'].shape = [9] })
    expectModelFileError(bytes, /'0\.bias' has shape \[9\] of F64, which is 72 bytes, but data_offsets \[128, 192\] hold 64/)
  })

  it('overlapping tensors', () => {
    const bytes = editHeader(goodBytes(), (h) => {
      h['0.bias'].data_offsets = [120, 184]
    })
    expectModelFileError(bytes, /'0\.weight' and '0\.bias' overlap/)
  })

  it('a body longer than the tensors claim', () => {
    const { header, body } = parse(goodBytes())
    const longer = new Uint8Array(body.length + 8)
    longer.set(body)
    expectModelFileError(assemble(header, longer), /the body has 416 bytes but the tensors account for 408/)
  })

  it('a shape that does not match the module built from the architecture', () => {
    const tensors = tensorsOf(makeModel())
    tensors[2] = { name: '2.weight', dtype: 'F64', shape: [4, 8], values: new Float64Array(32) }
    expectModelFileError(
      writeSafetensors(softgradMetadata(), tensors),
      /tensors do not fit the architecture: loadStateDict: 2\.weight has shape \[4,8\] in the state dict but \[3,8\] in the module/,
    )
  })

  it('a missing tensor is named', () => {
    const tensors = tensorsOf(makeModel()).filter((t) => t.name !== '2.bias')
    expectModelFileError(writeSafetensors(softgradMetadata(), tensors), /missing 2\.bias/)
  })

  it('a safetensors file that is not a softgrad model file says so', () => {
    const tensors = tensorsOf(makeModel())
    expectModelFileError(writeSafetensors(undefined, tensors), /no __metadata__, so this is not a softgrad model file/)
    expectModelFileError(writeSafetensors({ note: 'hi' }, tensors), /no format, so this is not a softgrad model file/)
    expectModelFileError(writeSafetensors({ format: 'pt' }, tensors), /format is "pt", so this is not a softgrad model file/)
  })

  it('a format from a newer softgrad is refused by name', () => {
    const bytes = writeSafetensors({ ...softgradMetadata(), format: 'softgrad/2' }, tensorsOf(makeModel()))
    expectModelFileError(bytes, /format is "softgrad\/2"; this softgrad reads "softgrad\/1"/)
  })

  it('an architecture that names a layer this program has not registered says to register it', () => {
    const meta = { ...softgradMetadata(), architecture: JSON.stringify({ type: 'Conv2d' }) }
    const message = expectModelFileError(writeSafetensors(meta, tensorsOf(makeModel())), /Conv2d/)
    expect(message).toBe("model file: the architecture uses layer 'Conv2d', which this program has not registered; " +
      'import the file that defines it and call nn.registerModule(Conv2d) before loading')
  })

  it('an architecture that cannot be built', () => {
    const spec = (layers: unknown) => JSON.stringify({ type: 'Sequential', layers })
    const file = (architecture: string) => writeSafetensors({ ...softgradMetadata(), architecture }, tensorsOf(makeModel()))
    expectModelFileError(file(spec({ type: 'Linear' })), /architecture cannot be built: nn\.Sequential\.fromConfig: expected \{ layers: \[layer specs\] \}/)
    expectModelFileError(file(spec([{ inFeatures: 2 }])), /architecture cannot be built: buildModel: a layer spec is \{ type: 'Linear', \.\.\.its config \}, got \{"inFeatures":2\}/)
    expectModelFileError(file(spec([{ type: 'Linear', inFeatures: 0, outFeatures: 8, bias: true }])), /architecture cannot be built: nn\.Linear: inFeatures must be a whole number ≥ 1, got 0/)
  })

  it('a known metadata field of the wrong type', () => {
    const meta = { ...softgradMetadata(), classes: '{"a": 1}' }
    expectModelFileError(writeSafetensors(meta, tensorsOf(makeModel())), /__metadata__\.classes must be an array of strings/)
  })

  // makeModel is 2 → 8 → 3: two features in, three classes out.
  const disagreeing: Array<[string, Record<string, string>, RegExp]> = [
    ['two class names for three outputs', { classes: '["a","b"]' }, /__metadata__\.classes lists 2 names but the network has 3 outputs \(one per class\)$/],
    ['four class names for three outputs', { classes: '["a","b","c","d"]' }, /classes lists 4 names but the network has 3 outputs/],
    ['a class name given twice', { classes: '["a","b","a"]' }, /__metadata__\.classes names "a" twice; each name must be given once$/],
    ['three feature names for two inputs', { featureNames: '["x","y","z"]' }, /__metadata__\.featureNames lists 3 names but the network has 2 inputs \(one per feature\)$/],
    ['a feature name given twice', { featureNames: '["x","x"]' }, /featureNames names "x" twice/],
    ['a scaler for three features', { scaler: '{"mean":[0,0,0],"scale":[1,1,1]}' }, /__metadata__\.scaler\.mean has 3 numbers but the network has 2 inputs/],
    ['a scaler with a zero scale', { scaler: '{"mean":[0,0],"scale":[1,0]}' }, /__metadata__\.scaler must be \{ mean: number\[\], scale: number\[\] \} of finite numbers with every scale > 0/],
  ]
  for (const [what, fields, pattern] of disagreeing) {
    it(`metadata that disagrees with the network: ${what}`, () => {
      expectModelFileError(writeSafetensors({ ...softgradMetadata(), ...fields }, tensorsOf(makeModel())), pattern)
    })
  }

  it('the width checks look through Sequential, activations and Dropout, and stop at a layer they cannot see through', () => {
    const nested = new nn.Sequential(new nn.Sequential(new nn.Dropout(0.1), new nn.Linear(2, 4)), new nn.Tanh(), new nn.Linear(4, 3), new nn.Dropout(0.1))
    expect(() => encodeModel(nested, { classes: ['a', 'b', 'c'], featureNames: ['x', 'y'] })).not.toThrow()
    expect(() => encodeModel(nested, { classes: ['a', 'b'] })).toThrow(/^encodeModel: metadata\.classes lists 2 names but the network has 3 outputs/)
    expect(() => encodeModel(nested, { featureNames: ['x'] })).toThrow(/^encodeModel: metadata\.featureNames lists 1 names but the network has 2 inputs/)
    const hs = new nn.Sequential(new nn.Linear(2, 4), new nn.HierarchicalSoftmax(4, 5))
    expect(() => encodeModel(hs, { classes: ['a', 'b', 'c'] })).toThrow(/classes lists 3 names but the network has 5 outputs/)
  })
})

describe('model files on disk', () => {
  let dir: string
  let path: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'softgrad-io-'))
    path = join(dir, 'model.safetensors')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('a model file written before these checks (format softgrad/1, iris) still loads and predicts', () => {
    const { model, metadata: read } = loadModel(fileURLToPath(new URL('fixtures/iris-softgrad-1.safetensors', import.meta.url)))
    expect(read.format).toBe('softgrad/1')
    expect(read.classes).toEqual(['setosa', 'versicolor', 'virginica'])
    const scaler = StandardScaler.fromJSON(read.scaler as { mean: number[]; scale: number[] })
    const probs = noGrad(() => model.forward(scaler.transform(tensor([[5.1, 3.5, 1.4, 0.2]])))).softmax(-1).data
    expect(probs[0]).toBeGreaterThan(0.9) // a setosa
  })

  it('saveModel refuses metadata that disagrees with the network, names the path and writes nothing', () => {
    expect(() => saveModel(path, makeModel(), { classes: ['a', 'b'] })).toThrow(
      `saveModel: cannot write ${path}: encodeModel: metadata.classes lists 2 names but the network has 3 outputs (one per class)`,
    )
    expect(readdirSync(dir)).toEqual([])
  })

  it('save then load gives bit-identical predictions and the same metadata', () => {
    const model = makeModel()
    saveModel(path, model, metadata)
    const { model: loaded, metadata: read } = loadModel(path)
    expect(bitsOf(predictions(loaded))).toEqual(bitsOf(predictions(model)))
    const { format, architecture, ...saved } = read
    expect(saved).toEqual(metadata)
    expect(format).toBe('softgrad/1')
    expect(architecture).toEqual(nn.describeModel(model))
    expect(readdirSync(dir)).toEqual(['model.safetensors'])
  })

  it('the file on disk is exactly encodeModel\'s bytes', () => {
    saveModel(path, makeModel(), metadata)
    expect(new Uint8Array(readFileSync(path))).toEqual(goodBytes())
  })

  it('saving over an existing file replaces it', () => {
    saveModel(path, new nn.Sequential(new nn.Linear(2, 2)))
    saveModel(path, makeModel(), metadata)
    expect(loadModel(path).metadata.classes).toEqual(metadata.classes)
    expect(readdirSync(dir)).toEqual(['model.safetensors'])
  })

  it('loading a missing file is an error naming the path', () => {
    expect(() => loadModel(join(dir, 'nope.safetensors'))).toThrow(`loadModel: there is no file ${join(dir, 'nope.safetensors')}`)
  })

  it('a corrupt file\'s error starts with its path', () => {
    writeFileSync(path, goodBytes().subarray(0, 100))
    expect(() => loadModel(path)).toThrow(new RegExp(`^${escape(path)}: model file: .*truncated`))
  })

  it('saving into a directory that does not exist is an error naming it, and creates nothing', () => {
    const missing = join(dir, 'no-such-dir')
    expect(() => saveModel(join(missing, 'm.safetensors'), makeModel())).toThrow(`the directory ${missing} does not exist`)
    expect(existsSync(missing)).toBe(false)
  })

  for (const failing of ['writeSync', 'fsyncSync', 'renameSync'] as const) {
    it(`a save that fails half-way (${failing}) leaves the previous file intact and no temp file behind`, () => {
      saveModel(path, makeModel(), metadata)
      const before = readFileSync(path)
      const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      const fs = {
        ...nodeFileOps,
        // Like a full disk: half of the bytes land in the temp file, then the write fails.
        writeSync: (fd: number, bytes: Uint8Array, offset: number, length: number) => {
          if (failing !== 'writeSync') return nodeFileOps.writeSync(fd, bytes, offset, length)
          nodeFileOps.writeSync(fd, bytes, offset, Math.floor(length / 2))
          throw enospc()
        },
        fsyncSync: (fd: number) => {
          if (failing === 'fsyncSync') throw enospc()
          nodeFileOps.fsyncSync(fd)
        },
        renameSync: (from: string, to: string) => {
          if (failing === 'renameSync') throw enospc()
          nodeFileOps.renameSync(from, to)
        },
      }
      const other = encodeModel(new nn.Sequential(new nn.Linear(2, 1)), { classes: ['x'] })
      expect(() => writeFileAtomic(path, other, fs)).toThrow(/^saveModel: cannot write .*model\.safetensors: ENOSPC.*previous file, if any, is unchanged/)
      expect(readFileSync(path)).toEqual(before)
      expect(readdirSync(dir)).toEqual(['model.safetensors'])
    })
  }

  it('a writeSync that writes a few bytes at a time still writes the whole file', () => {
    const fs = { ...nodeFileOps, writeSync: (fd: number, b: Uint8Array, offset: number, length: number) => nodeFileOps.writeSync(fd, b, offset, Math.min(length, 7)) }
    const bytes = goodBytes()
    writeFileAtomic(path, bytes, fs)
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes)
  })

  it('an encode error leaves the previous file intact and writes nothing', () => {
    saveModel(path, makeModel(), metadata)
    const before = readFileSync(path)
    class Custom extends nn.Module {
      forward(x: Tensor): Tensor {
        return x
      }
    }
    expect(() => saveModel(path, new nn.Sequential(new nn.Linear(2, 2), new Custom()))).toThrow(/describeModel: Custom is not registered/)
    expect(readFileSync(path)).toEqual(before)
    expect(readdirSync(dir)).toEqual(['model.safetensors'])
  })
})

describe('the browser-safe half', () => {
  const srcFile = (rel: string) => resolve(dirname(fileURLToPath(import.meta.url)), '../src', rel)

  it('src/io/model-bytes.ts, and every module it reaches, imports nothing from Node', () => {
    const nodeBuiltins = new Set(builtinModules)
    const seen = new Set<string>()
    const offenders: string[] = []
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] ?? m[2]
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
        else if (spec.startsWith('node:') || nodeBuiltins.has(spec)) offenders.push(`${file} imports ${spec}`)
      }
    }
    visit(srcFile('io/model-bytes.ts'))
    expect(seen.size).toBeGreaterThan(3)
    expect(offenders).toEqual([])
  })

  it('src/io/model-bytes.ts uses no Buffer', () => {
    expect(readFileSync(srcFile('io/model-bytes.ts'), 'utf8')).not.toMatch(/(?<![\w$])Buffer\b/)
  })
})

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
