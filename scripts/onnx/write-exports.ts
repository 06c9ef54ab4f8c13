/**
 * Writes the ONNX files the Python checks read: each model in test/fixtures/onnx-*.safetensors
 * exported in float32 and float64, as <name>-<dtype>.onnx, and beside them <name>-rows.csv (the
 * test rows `softgrad train` held out, under the feature names) and <name>-predict.csv (what
 * `softgrad predict` prints for those rows). scripts/onnx/check_exports.py gives the .onnx files
 * to onnx.checker; scripts/onnx/ort_python.py runs them in ONNX Runtime for Python.
 *
 *   npx tsx scripts/onnx/write-exports.ts [DIR]      # DIR defaults to out/onnx
 *
 * The bytes depend on nothing but the model files and the exporter (no timestamps), so the tests
 * can export the same models again and compare sha256s with the ones Python saw. Prints the path
 * of each .onnx file written, one a line.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportOnnx, ONNX_DTYPES } from '../../src/index.js'
import { numbersCsv, onnxCases, rowsCsv } from './cases.js'

/** predict's CSV: the class, then p_<class> for each class. */
function predictCsv(probs: Float64Array, classes: string[]): string {
  const k = classes.length
  const argmax = (r: number) => {
    let best = 0
    for (let c = 1; c < k; c++) if (probs[r * k + c] > probs[r * k + best]) best = c
    return classes[best]
  }
  return numbersCsv(['class', ...classes.map((c) => `p_${c}`)], probs, k, argmax)
}

const dir = process.argv[2] ?? 'out/onnx'
mkdirSync(dir, { recursive: true })

for (const onnxCase of onnxCases()) {
  const { name, model, metadata, want, classes } = onnxCase
  writeFileSync(join(dir, `${name}-rows.csv`), rowsCsv(onnxCase))
  writeFileSync(join(dir, `${name}-predict.csv`), predictCsv(want, classes))
  for (const dtype of ONNX_DTYPES) {
    const path = join(dir, `${name}-${dtype}.onnx`)
    writeFileSync(path, exportOnnx(model, metadata, { dtype }))
    console.log(path)
  }
}
