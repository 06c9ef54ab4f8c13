/**
 * Model download: the trained network as a .safetensors file with the metadata `softgrad train
 * --out` writes (classes, feature names, label, the scaler, the seed, the hyperparameters, and
 * with calibrate on the fitted temperature), so `softgrad predict --model it.safetensors --data
 * points.csv` reads it like one of its own, and predicts at that temperature.
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

/** 'spirals-epoch-120.safetensors' */
export function modelFileName(experiment: Experiment): string {
  const base = experiment.data.source.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '-')
  return `${base}-epoch-${experiment.epoch}.safetensors`
}

/** Save the model through the browser's download: a Blob behind a temporary link. */
export function downloadModel(experiment: Experiment): void {
  const bytes = encodeModel(experiment.model, modelMetadata(experiment))
  // NOTE: copied into a Uint8Array of a plain ArrayBuffer, the only kind a Blob's type allows.
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }))
  const link = document.createElement('a')
  link.href = url
  link.download = modelFileName(experiment)
  document.body.append(link)
  link.click()
  link.remove()
  // NOTE: revoked on a later turn, once the browser has started reading the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
