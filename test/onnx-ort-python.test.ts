/**
 * ONNX Runtime for Python (onnxruntime 1.30.0, CPUExecutionProvider) ran softgrad's exports and
 * gave softgrad predict's probabilities: scripts/onnx/ort_python.py ran them and recorded what
 * came back in test/fixtures/onnx-ort-python.json. Here the same models are exported again today
 * (each file must hash to what Python ran, and the rows to what it read) and the recorded
 * probabilities are compared with predict's: within 1e-5 in float32 and 1e-12 in float64.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { exportOnnx, ONNX_DTYPES, type OnnxDtype } from '../src/index.js'
import { onnxCases, rowsCsv, TOLERANCE, worstDifference } from '../scripts/onnx/cases.js'

interface RanFile {
  name: string
  model: string
  dtype: OnnxDtype
  sha256: string
  rows_sha256: string
  worst: number
  probs: number[][]
}

const record = JSON.parse(readFileSync(new URL('fixtures/onnx-ort-python.json', import.meta.url), 'utf8')) as
  { onnxruntime: string; provider: string; files: RanFile[] }
const cases = new Map(onnxCases().map((c) => [c.name, c]))
const RERUN = 'the export changed since ONNX Runtime ran it: run python3 -m pip install onnxruntime==1.30.0, then python3 scripts/onnx/ort_python.py, and commit test/fixtures/onnx-ort-python.json'
const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe(`ONNX Runtime ${record.onnxruntime} in Python (${record.provider})`, () => {
  it('ran every model fixture in both dtypes', () => {
    const want = [...cases.keys()].flatMap((name) => ONNX_DTYPES.map((dtype) => `${name}-${dtype}.onnx`))
    expect(record.files.map((f) => f.name).sort(), `a model fixture was added or removed: ${RERUN}`).toEqual(want.sort())
    expect(record.onnxruntime).toBe('1.30.0')
  })

  describe.each(record.files)('$name', (file) => {
    const name = file.name.replace(/-float(32|64)\.onnx$/, '')
    const today = cases.get(name)!

    it('is today\'s export, run on the test rows of today', () => {
      expect(sha256(exportOnnx(today.model, today.metadata, { dtype: file.dtype })), RERUN).toBe(file.sha256)
      expect(sha256(rowsCsv(today)), RERUN).toBe(file.rows_sha256)
    })

    it(`gave predict's probabilities, to ${TOLERANCE[file.dtype]}`, () => {
      const classes = today.classes.length
      expect(file.probs.length).toBe(today.X.shape[0])
      for (const row of file.probs) expect(row.length).toBe(classes)
      const worst = worstDifference(file.probs.flat(), today.want)
      expect(worst).toBeLessThanOrEqual(TOLERANCE[file.dtype])
      expect(worst).toBeCloseTo(file.worst, 20)
      // float32 is really float32: not predict's float64 numbers copied in
      if (file.dtype === 'float32') expect(file.probs.flat().every((p) => Math.fround(p) === p)).toBe(true)
    })
  })
})
