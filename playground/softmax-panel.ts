/**
 * The softmax panel: for the selected point (the first test point until one is clicked), its
 * logits z, the probabilities p = softmax(z / T) at the slider's temperature as bars, and the
 * table of p − y, the gradient of the cross-entropy loss with respect to the logits (divided
 * by T when T ≠ 1): what backprop starts from for this one example. Training itself uses T = 1.
 */
import { softmax, softmaxBars, tensor } from '../src/browser.js'
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'
import { formatNumber } from './format.js'

export interface SoftmaxElements {
  point: HTMLElement
  temperatureLabel: HTMLElement
  bars: HTMLElement
  table: HTMLTableElement
}

function cell(tag: 'td' | 'th', content: string): HTMLTableCellElement {
  const element = document.createElement(tag)
  element.textContent = content
  return element
}

function row(cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = document.createElement('tr')
  tr.append(...cells)
  return tr
}

/** 'test point 3 (x1 = 0.12, x2 = −0.50), class class_1' */
function describePoint(experiment: Experiment, selection: Selection, features: number[], label: number): string {
  const { featureNames, classes } = experiment.data
  const shown = features.slice(0, 4).map((v, j) => `${featureNames[j]} = ${formatNumber(v, 2)}`)
  if (features.length > 4) shown.push('…')
  return `${selection.part} point ${selection.index} (${shown.join(', ')}), true class ${classes[label]}`
}

/** Redraw the panel for the selected point at temperature T. */
export function drawSoftmaxPanel(elements: SoftmaxElements, experiment: Experiment, selection: Selection, temperature: number): void {
  const { features, label } = experiment.point(selection)
  const classes = experiment.data.classes
  const z = experiment.logitsOf(features)
  const p = Array.from(softmax(tensor(z), { temperature }).data)

  elements.point.textContent = describePoint(experiment, selection, features, label)
  elements.temperatureLabel.textContent = `T = ${temperature.toFixed(2)}`
  if (z.every(Number.isFinite)) {
    // softmaxBars escapes every name it writes, so its SVG is safe to insert as markup.
    elements.bars.innerHTML = softmaxBars(z, [temperature], { classNames: classes, title: `softmax(z / ${temperature.toFixed(2)})` })
  } else {
    const note = document.createElement('p')
    note.className = 'error'
    note.textContent = 'No bars: the logits z of this point are no longer finite numbers, so the loss has diverged. ' +
      'Lower the learning rate and press Reset.'
    elements.bars.replaceChildren(note)
  }

  const header = row(['class', 'z', 'p', 'y', 'p − y'].map((name) => cell('th', name)))
  const body = classes.map((name, k) => {
    const y = k === label ? 1 : 0
    const tr = row([cell('td', name), cell('td', formatNumber(z[k], 3)), cell('td', formatNumber(p[k], 4)), cell('td', String(y)), cell('td', formatNumber(p[k] - y, 4))])
    if (k === label) tr.className = 'true-class'
    return tr
  })
  elements.table.replaceChildren(header, ...body)
}
