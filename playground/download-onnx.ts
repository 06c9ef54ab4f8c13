/**
 * The ONNX download, loaded only when its button is pressed: it brings protobufjs and the ONNX
 * schema, which the page does not need to open.
 */
import { decodeModel } from '../src/io/model-bytes.js'
import { exportOnnx } from '../src/export/onnx.js'

/**
 * The .onnx bytes of a model saved as `safetensors` (encodeModel's bytes): the same weights and
 * the same metadata, so the scaler and the fitted temperature are inside the graph.
 */
export function onnxOfModelFile(safetensors: Uint8Array): Uint8Array {
  const { model, metadata } = decodeModel(safetensors)
  return exportOnnx(model, metadata, { dtype: 'float32' })
}
