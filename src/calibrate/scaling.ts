/**
 * temperatureScaling: the whole recipe of `softgrad train --calibrate` on logits. Fit T on
 * held-out rows (never the test rows), then measure the test rows' ECE and NLL at T = 1 and at
 * the fitted T, so the report shows what the one number did.
 *
 *   const report = temperatureScaling(model.forward(XVal), yVal, model.forward(XTest), yTest)
 *   report.temperature                            // e.g. 1.97: the model was overconfident
 *   report.before.ece.ece, report.after.ece.ece   // 0.050 → 0.021
 */
import type { Tensor } from '../tensor.js'
import { noGrad } from '../tensor.js'
import { softmax, softmaxCrossEntropy } from '../ops/index.js'
import { ece, type EceResult } from './ece.js'
import { fitTemperature } from './temperature.js'

/** The test rows' calibration error and mean negative log-likelihood at one temperature. */
export interface CalibrationMeasure {
  ece: EceResult
  nll: number
}

export interface CalibrationReport {
  temperature: number
  /** at T = 1 */
  before: CalibrationMeasure
  /** at the fitted T */
  after: CalibrationMeasure
}

export function temperatureScaling(heldOutLogits: Tensor, heldOutLabels: Int32Array, testLogits: Tensor, testLabels: Int32Array): CalibrationReport {
  return noGrad(() => {
    const temperature = fitTemperature(heldOutLogits, heldOutLabels)
    const measure = (T: number): CalibrationMeasure => ({
      ece: ece(softmax(testLogits, { temperature: T }), testLabels),
      nll: softmaxCrossEntropy(testLogits, testLabels, { temperature: T }).item(),
    })
    return { temperature, before: measure(1), after: measure(temperature) }
  })
}
