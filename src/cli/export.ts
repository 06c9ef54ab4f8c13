/** `softgrad export`: a saved model as a file another runtime runs (ONNX) or trains on (PyTorch). */
import { mkdirSync } from 'node:fs'
import { basename, dirname, relative, sep } from 'node:path'
import { loadModel, writeFileAtomic, nodeFileOps } from '../io/model-file.js'
import type { LoadedMetadata } from '../io/model-bytes.js'
import { exportOnnx, isOnnxModel, ONNX_DTYPES, ONNX_OPSET, type OnnxDtype } from '../export/onnx.js'
import { pytorchScript } from '../export/pytorch.js'
import { Sequential } from '../nn/sequential.js'
import { Linear } from '../nn/layers.js'
import { registeredName } from '../nn/registry.js'
import type { Module } from '../nn/module.js'
import { parseArgs, stringFlag, isOneOf, UsageError, type ParsedArgs, refusePositionals } from './args.js'
import { orList } from './format.js'
import { checkExportOut, type ExportKind } from './out-files.js'

/** One format `softgrad export` writes: the file it makes, and how it makes it from a loaded model. */
interface ExportFormat extends ExportKind {
  /** the --dtype values it takes, the first the default */
  dtypes: readonly string[]
  /** the file's bytes; `files` says where the model file and the export are */
  write(model: Module, metadata: LoadedMetadata, dtype: string, files: { model: string; out: string }): Uint8Array
  /** what the one line after 'wrote FILE:' ends with, e.g. 'float32, opset 17' */
  summary(dtype: string): string
}

/** The formats, by --format name: a new one is one entry here. */
export const EXPORT_FORMATS: Record<string, ExportFormat> = {
  onnx: {
    name: 'an ONNX file',
    extension: '.onnx',
    recognise: isOnnxModel,
    dtypes: ONNX_DTYPES,
    write: (model, metadata, dtype) => exportOnnx(model, metadata, { dtype: dtype as OnnxDtype }),
    summary: (dtype) => `${dtype}, opset ${ONNX_OPSET}`,
  },
  pytorch: {
    name: 'a PyTorch script softgrad export wrote',
    extension: '.py',
    recognise: (bytes) => new TextDecoder().decode(bytes.subarray(0, 200)).includes('(written by softgrad export --format pytorch)'),
    dtypes: ['float64'],
    // The script reads the weights from the model file itself, found from the script's own folder.
    write: (_model, metadata, _dtype, files) => new TextEncoder().encode(pytorchScript(metadata, {
      weightsFile: relative(dirname(files.out), files.model).split(sep).join('/'),
      scriptFile: basename(files.out),
    })),
    summary: () => 'float64, PyTorch (reads its weights from the model file)',
  },
}

export const EXPORT_HELP = `Usage: softgrad export --model MODEL.safetensors --format onnx|pytorch --out FILE [--dtype float32|float64]

Write a saved model as a file that another runtime runs: the whole of softgrad predict, from
the raw feature columns to the class probabilities.

  --model FILE      a model saved by softgrad train --out
  --format onnx     ONNX (opset ${ONNX_OPSET}): one graph from x [N, features] (the feature columns,
                    in the order the model file lists them) to probs [N, classes]: the scaler,
                    every layer and the softmax at the model's temperature. The class and
                    feature names are in the file's metadata_props. ONNX Runtime runs it on
                    servers, in browsers (onnxruntime-web) and on phones.
  --format pytorch  one Python file that needs only torch: the network as nn.Sequential of
                    PyTorch's own layers, its weights read from MODEL.safetensors (by its path
                    from the script's folder: move the two together), and, run as
                    python3 FILE.py --data x.csv, the CSV softgrad predict prints. Its
                    docstring shows how to go on training (torch.optim, torchrun + DDP).
  --out FILE        where to write; its directory is made, and an existing FILE must be an
                    earlier export of the same format, which is replaced
  --dtype NAME      ONNX: float32 (the default, what runtimes are fastest at) or float64 (the
                    same numbers as softgrad predict to 1e-12); PyTorch: float64 only

Example:
  softgrad train --data datasets/iris.csv --label species --out iris.safetensors
  softgrad export --model iris.safetensors --format onnx --out iris.onnx
  softgrad export --model iris.safetensors --format pytorch --out iris.py
`

const FLAGS = { values: ['model', 'format', 'out', 'dtype'], booleans: ['help'] }

export function exportCommand(argv: string[]): number {
  const args = parseArgs('export', argv, FLAGS)
  if (args.flags.has('help')) {
    process.stdout.write(EXPORT_HELP)
    return 0
  }
  refusePositionals('export', args)
  const modelPath = stringFlag(args, 'model')
  const out = stringFlag(args, 'out')
  const formatName = stringFlag(args, 'format')
  if (modelPath === undefined || out === undefined || formatName === undefined) {
    throw new UsageError(`export: needs --model FILE, --format ${Object.keys(EXPORT_FORMATS).join('|')} and --out FILE (see softgrad export --help)`)
  }
  const format = formatFlag(formatName)
  const dtype = dtypeFlag(args, format)
  // Everything about --out is checked before the model is read: nothing is written after an error.
  const target = checkExportOut('export', out, modelPath, format)

  const { model, metadata } = loadModel(modelPath) // its errors name the file
  const bytes = writeWith(format, modelPath, model, metadata, dtype, target)
  mkdirSync(dirname(target), { recursive: true })
  writeFileAtomic(target, bytes, nodeFileOps, 'export')
  process.stdout.write(`wrote ${out}: ${describeNetwork(model, metadata)}, ${format.summary(dtype)}, ${formatBytes(bytes.length)}\n`)
  return 0
}

function formatFlag(name: string): ExportFormat {
  const names = Object.keys(EXPORT_FORMATS)
  const key = name.toLowerCase()
  if (!Object.hasOwn(EXPORT_FORMATS, key)) throw new UsageError(`export: --format must be ${orList(names)}, got '${name}'`)
  return EXPORT_FORMATS[key]
}

function dtypeFlag(args: ParsedArgs, format: ExportFormat): string {
  const value = (stringFlag(args, 'dtype') ?? format.dtypes[0]).toLowerCase()
  if (!isOneOf(value, format.dtypes)) throw new UsageError(`export: --dtype must be ${orList(format.dtypes)}, got '${value}'`)
  return value
}

/** The format's bytes; a layer it cannot express is an error naming the model file and the layer. */
function writeWith(format: ExportFormat, modelPath: string, model: Module, metadata: LoadedMetadata, dtype: string, out: string): Uint8Array {
  try {
    return format.write(model, metadata, dtype, { model: modelPath, out })
  } catch (e) {
    const why = (e as Error).message.replace(/^\w+: /, '') // 'exportOnnx: layer 2 is …' → 'layer 2 is …'
    throw new Error(`${modelPath}: ${why}`, { cause: e })
  }
}

/** '4 → 16 → 3 (relu), scaled, T 1.21': the layer widths, the activations, the scaler and the temperature. */
function describeNetwork(model: Module, metadata: LoadedMetadata): string {
  const widths: number[] = []
  const activations = new Set<string>()
  const walk = (m: Module): void => {
    if (m instanceof Sequential) return m.layers.forEach(walk)
    if (m instanceof Linear) {
      if (widths.length === 0) widths.push(m.inFeatures)
      widths.push(m.outFeatures)
      return
    }
    const name = registeredName(m)
    if (name !== undefined && name !== 'Dropout') activations.add(name.toLowerCase())
  }
  walk(model)
  const layers = widths.length > 0 ? widths.join(' → ') : 'no Linear layer'
  const parts = [`${layers}${activations.size > 0 ? ` (${[...activations].join(', ')})` : ''}`]
  if (metadata.scaler !== undefined) parts.push('scaled')
  if (typeof metadata.temperature === 'number' && metadata.temperature !== 1) parts.push(`T ${Number(metadata.temperature.toPrecision(4))}`)
  return parts.join(', ')
}

/** 1234 → '1.2 KB' */
function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
