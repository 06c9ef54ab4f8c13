/**
 * softgrad for the browser: everything in index.ts but the parts that need Node (reading CSV
 * files, saving and loading model files, the terminal progress bar). Nothing this module
 * reaches imports a `node:` module or uses Buffer; test/browser-safe.test.ts checks it.
 *
 * @module
 */
export { Tensor, noGrad, isGradEnabled, type Nested, type TensorOptions } from './tensor.js'
export { recycleBuffers, allocate } from './buffers.js'
export { setKernels, kernelsInfo, type KernelsName, type KernelsInfo } from './kernels/wasm.js'
export { tensor, zeros, ones, full, eye, arange, rand, randn, type CreateOptions, type RandomOptions } from './creation.js'
export { makeRng, manualSeed, checkSeed, SEED_MIN, SEED_MAX, type Rng } from './random.js'
// Every op (its function, its definition `xOp`, its options type), OPS, and defineOp / apply / sumToShape /
// broadcastShape for ops of your own: src/ops/index.ts decides what is public.
export * from './ops/index.js'
export * as nn from './nn/index.js'
export * as optim from './optim/index.js'
export { clipGradNorm } from './optim/clip.js'
export {
  traceBackward, formatTrace, gradientsFromTrace, drawGraph, buildDrawGraph,
  type TraceStep, type TraceTensor, type TraceInput, type FormatTraceOptions, type DrawOptions, type DrawFormat, type DrawnGraph, type DrawNode,
} from './teach/index.js'
export {
  ece, fitTemperature, temperatureScaling,
  type EceOptions, type EceResult, type ReliabilityBin, type CalibrationReport, type CalibrationMeasure,
} from './calibrate/index.js'
export { lossCurves, decisionBoundary, softmaxBars, reliabilityDiagram, type ReliabilityDiagramOptions, type CurveRow, type DecisionBoundaryOptions, type SoftmaxBarsOptions } from './plot/index.js'
export { encodeModel, decodeModel, MODEL_FORMAT, type ModelMetadata, type LoadedMetadata, type DecodedModel } from './io/model-bytes.js'
export { exportOnnx, ONNX_OPSET, ONNX_IR_VERSION, ONNX_DTYPES, type OnnxOptions, type OnnxDtype } from './export/onnx.js'
export { pytorchScript, type PytorchScriptOptions } from './export/pytorch.js'
export {
  toy, batches, trainTestSplit, StandardScaler, oneHot, parseCsv, parseFeatures,
  type CsvOptions, type CsvData, type CsvDelimiter, type FeatureOptions,
  type Batch, type BatchOptions, type ToyData, type ToyOptions, type Split, type SplitOptions, type ScalerState,
} from './data/index.js'
export {
  Trainer, fit, fitAsync, evaluate, predict, accuracy, confusionMatrix, precisionRecall, setDefaultProgress,
  type Dataset, type HistoryRow, type FitOptions, type EarlyStoppingOptions, type Monitor, type Evaluation, type Prediction, type Labels,
  type ClassScores, type ProgressReporter, type ProgressInfo,
} from './train/index.js'
export { gradcheck, jacobian, numericJacobian, type GradcheckOptions, type GradcheckResult, type GradcheckWorst } from './check/index.js'
