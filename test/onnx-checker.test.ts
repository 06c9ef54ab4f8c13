/**
 * onnx.checker (Debian's python3-onnx, full_check) accepted the exports recorded in
 * test/fixtures/onnx-checker.json; scripts/onnx/check_exports.py wrote that record. Here the same
 * models are exported again today: each file must have the sha256 the checker saw, so the record
 * speaks for the exporter as it is, not as it was.
 */
import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { exportOnnx, loadModel, ONNX_DTYPES, ONNX_IR_VERSION, ONNX_OPSET } from '../src/index.js'

interface CheckedFile {
  name: string
  model: string
  dtype: 'float32' | 'float64'
  sha256: string
  ir_version: number
  opset: Array<{ domain: string; version: number }>
  ops: string[]
  passed: boolean
  error?: string
}

const record = JSON.parse(readFileSync(new URL('fixtures/onnx-checker.json', import.meta.url), 'utf8')) as { onnx: string; checker: string; files: CheckedFile[] }
const models = readdirSync(new URL('fixtures/', import.meta.url)).filter((f) => /^onnx-.*\.safetensors$/.test(f)).sort()
const RERUN = 're-run /usr/bin/python3 scripts/onnx/check_exports.py (it exports the models again and asks onnx.checker) and commit test/fixtures/onnx-checker.json'

describe('onnx.checker accepted the exports', () => {
  it('with full_check, in ONNX 1.12 (IR version 8, opset 17)', () => {
    expect(record.onnx).toMatch(/^1\.12\./)
    expect(record.checker).toBe('onnx.checker.check_model(model, full_check=True)')
    for (const file of record.files) {
      expect(file.passed, `${file.name}: ${file.error}`).toBe(true)
      expect(file.ir_version).toBe(ONNX_IR_VERSION)
      expect(file.opset).toEqual([{ domain: '', version: ONNX_OPSET }])
    }
  })

  it('every model fixture in both dtypes, and every op the exporter writes', () => {
    const want = models.flatMap((f) => ONNX_DTYPES.map((dtype) => `${f.replace(/^onnx-|\.safetensors$/g, '')}-${dtype}.onnx`))
    expect(record.files.map((f) => f.name).sort(), `a model fixture was added or removed: ${RERUN}`).toEqual(want.sort())
    const ops = new Set(record.files.flatMap((f) => f.ops))
    for (const op of ['Sub', 'Div', 'Gemm', 'Relu', 'LeakyRelu', 'Greater', 'Mul', 'Where', 'Tanh', 'Sigmoid', 'Softmax', 'LogSoftmax']) expect(ops).toContain(op)
  })
})

describe('today\'s export of each model has the sha256 the checker saw', () => {
  for (const file of record.files) {
    it(file.name, () => {
      const { model, metadata } = loadModel(fileURLToPath(new URL(`../${file.model}`, import.meta.url)))
      const sha256 = createHash('sha256').update(exportOnnx(model, metadata, { dtype: file.dtype })).digest('hex')
      expect(sha256, `the export of ${file.model} in ${file.dtype} changed since onnx.checker saw it: ${RERUN}`).toBe(file.sha256)
    })
  }
})
