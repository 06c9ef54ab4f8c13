/**
 * Model download: the trained network as a .safetensors file with the metadata `softgrad train
 * --out` writes (classes, feature names, label, the scaler, the seed, the hyperparameters, and
 * with calibrate on the fitted temperature), so `softgrad predict --model it.safetensors --data
 * points.csv` reads it like one of its own, and predicts at that temperature. The same model
 * also downloads as a float32 .onnx graph, made by exportOnnx from those same bytes.
 */
import { encodeModel, optim, type ModelMetadata } from '../src/browser.js'
import type { Experiment } from './experiment.js'

/** The metadata of the experiment's model, field for field as the command line writes it. */
export function modelMetadata(experiment: Experiment): ModelMetadata {
  const { state, data, split, temperature } = experiment
  return {
    classes: data.classes,
    featureNames: data.featureNames,
    scaler: split.scaler.toJSON(),
    seed: state.seed,
    label: data.label,
    // NOTE: like the command line, calibration shows in the file only as this temperature.
    ...(temperature !== undefined && { temperature }),
    hyperparameters: {
      hidden: state.hidden,
      activation: state.activation,
      epochs: experiment.epoch,
      epochsRun: experiment.epoch,
      optimizer: state.optimizer,
      lr: state.lr,
      momentum: optim.DEFAULT_MOMENTUM[state.optimizer],
      schedule: 'none',
      clip: null,
      patience: null,
      batchSize: state.batchSize,
      testFraction: split.testFraction,
      standardize: true,
      source: data.source,
      trainedIn: 'playground',
    },
  }
}

/** 'spirals-epoch-120': the name of both downloads, before '.safetensors' or '.onnx'. */
export function modelBaseName(experiment: Experiment): string {
  const base = experiment.data.source.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '-')
  return `${base}-epoch-${experiment.epoch}`
}

/** 'spirals-epoch-120.safetensors' */
export function modelFileName(experiment: Experiment): string {
  return `${modelBaseName(experiment)}.safetensors`
}

/** Save the model through the browser's download. */
export function downloadModel(experiment: Experiment): void {
  saveFile(modelBytes(experiment), modelFileName(experiment))
}

/**
 * Save the model as 'spirals-epoch-120.onnx', made from the bytes the .safetensors download
 * would save at this moment. The exporter loads on the first press; training goes on meanwhile,
 * so the model is taken first, as a file, and the graph made from that.
 */
export async function downloadOnnx(experiment: Experiment): Promise<void> {
  const modelFile = modelBytes(experiment)
  const fileName = `${modelBaseName(experiment)}.onnx`
  const { onnxOfModelFile } = await import('./download-onnx.js')
  saveFile(onnxOfModelFile(modelFile), fileName)
}

/**
 * The .safetensors bytes. A diverged model is refused rather than saved to predict NaN: its
 * weights may all still be finite while its logits on the training points are not.
 */
function modelBytes(experiment: Experiment): Uint8Array {
  const bad = experiment.logits(experiment.split.XTrain).data.find((z) => !Number.isFinite(z))
  if (bad !== undefined) {
    throw new Error(`The model was not downloaded: its logits on the training points include ${bad}, so the loss has diverged. ` +
      'Lower the learning rate and press Reset.')
  }
  return encodeModel(experiment.model, modelMetadata(experiment))
}

/** Save bytes through the browser's download: a Blob behind a temporary link. */
function saveFile(bytes: Uint8Array, fileName: string): void {
  // NOTE: copied into a Uint8Array of a plain ArrayBuffer, the only kind a Blob's type allows.
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // NOTE: revoked on a later turn, once the browser has started reading the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
