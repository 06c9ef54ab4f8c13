/** io: model files. model-bytes.ts is browser-safe; model-file.ts reads and writes them with node:fs. */
export { encodeModel, decodeModel, MODEL_FORMAT, type ModelMetadata, type LoadedMetadata, type DecodedModel } from './model-bytes.js'
export { saveModel, loadModel } from './model-file.js'
