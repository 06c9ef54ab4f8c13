/**
 * The calibration panel: with calibrate on, the temperature T fitted on the held-out training
 * rows after the latest epoch, the test rows' ECE and NLL at T = 1 (before) and at T (after),
 * and their reliability diagrams, the bars the command line's `--calibrate --plot` draws. A
 * calibrated model's bars reach the diagonal. Dividing the logits by T changes no prediction,
 * only how sure each one is. With calibrate off, the panel says how to turn it on.
 */
import { reliabilityDiagram } from '../src/browser.js'
import type { Experiment } from './experiment.js'
import { showNumber } from './charts.js'
import { formatNumber } from './format.js'

export interface CalibrationElements {
  note: HTMLElement
  results: HTMLElement
  temperature: HTMLElement
  eceBefore: HTMLElement
  eceAfter: HTMLElement
  nllBefore: HTMLElement
  nllAfter: HTMLElement
  diagrams: HTMLElement
}

const HOW_TO = 'Tick "Hold out a fifth of the training rows to calibrate" to fit a temperature T on those rows ' +
  'and see whether the test probabilities are honest.'

/** Redraw the panel from the experiment's calibration at its latest epoch. */
export function drawCalibrationPanel(elements: CalibrationElements, experiment: Experiment): void {
  const calibration = experiment.calibration()
  elements.results.hidden = calibration === null || calibration instanceof Error
  if (calibration === null || calibration instanceof Error) {
    elements.note.textContent = calibration === null ? HOW_TO : `No temperature after epoch ${experiment.epoch}: ${calibration.message}`
    return
  }
  const { temperature, before, after } = calibration
  const held = experiment.heldOut!.yCalibrate.length
  elements.note.textContent = `Fitted after epoch ${experiment.epoch} on ${held} held-out training rows; measured on the ${experiment.split.yTest.length} test rows.`
  showNumber(elements.temperature, temperature, 4)
  showNumber(elements.eceBefore, before.ece.ece, 4)
  showNumber(elements.eceAfter, after.ece.ece, 4)
  showNumber(elements.nllBefore, before.nll, 4)
  showNumber(elements.nllAfter, after.nll, 4)
  // reliabilityDiagram writes only numbers and its own escaped titles: safe to insert as markup.
  elements.diagrams.innerHTML =
    reliabilityDiagram(before.ece, { title: 'before (T = 1)' }) +
    reliabilityDiagram(after.ece, { title: `after (T = ${formatNumber(temperature, 3)})` })
}
