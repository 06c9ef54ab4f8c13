/**
 * Writes the ONNX files scripts/onnx/check_exports.py gives to onnx.checker: each model in
 * test/fixtures/onnx-*.safetensors exported in float32 and float64, as <name>-<dtype>.onnx.
 *
 *   npx tsx scripts/onnx/write-exports.ts [DIR]      # DIR defaults to out/onnx
 *
 * The bytes depend on nothing but the model files and the exporter (no timestamps), so
 * test/onnx-checker.test.ts can export the same models again and compare sha256s with the ones
 * the checker saw. Prints one line per file written.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportOnnx, loadModel, ONNX_DTYPES } from '../../src/index.js'

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url))
const dir = process.argv[2] ?? 'out/onnx'
mkdirSync(dir, { recursive: true })

for (const file of readdirSync(fixtures).filter((f) => /^onnx-.*\.safetensors$/.test(f)).sort()) {
  const { model, metadata } = loadModel(join(fixtures, file))
  const name = file.replace(/^onnx-|\.safetensors$/g, '')
  for (const dtype of ONNX_DTYPES) {
    const path = join(dir, `${name}-${dtype}.onnx`)
    writeFileSync(path, exportOnnx(model, metadata, { dtype }))
    console.log(path)
  }
}
