/**
 * The network as TensorFlow Playground draws it: a column of circles a layer (the inputs, each
 * hidden layer, the classes), one circle a neuron, and one line a weight from each neuron to
 * each neuron of the next column: blue for a positive number, orange for a negative one, wider
 * and darker the larger it is. A circle's fill is the bias of its neuron. The switch
 * `network-mode` shows the weights, or the gradients of the selected point's loss with respect
 * to them (∂loss/∂w), in the same lines: the step each weight would take is against its colour.
 * main.ts imports this module when the panel is first opened.
 */
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'
import { linearLayers, tracePoint } from './point-trace.js'
import { formatNumber } from './format.js'
import { byTestId } from './controls.js'

/** TensorFlow Playground's colours: blue for positive, orange for negative. */
export const POSITIVE = '#0877bd'
export const NEGATIVE = '#f59322'
/** A line or circle whose number is not known yet (backprop has not reached it). */
export const UNREACHED = '#c8c8c8'
/** The most circles drawn in one column: 256 × 256 lines would be a grey wall; the rest is said in the caption. */
export const MAX_SHOWN = 24

export type NetworkMode = 'weights' | 'gradients'

/** What one drawing of the network shows. */
export interface NetworkPicture {
  /** how many neurons each column has: the inputs, each hidden layer, the classes */
  sizes: number[]
  /** the text under each column */
  captions: string[]
  /** the names beside the input circles and beside the output circles */
  inputNames: string[]
  outputNames: string[]
  /** for each Linear layer, its numbers [out, in] row-major (weights or gradients); null: not reached yet, drawn grey */
  lines: Array<ArrayLike<number> | null>
  /** for each column, the numbers its circles are filled by (a hidden or output column: its layer's bias); null: white for the inputs, else grey */
  neurons: Array<ArrayLike<number> | null>
  /** the Linear layer whose lines, or the column whose circles, a backprop step is at */
  highlight?: { layer: number } | { column: number }
}

const SVG = 'http://www.w3.org/2000/svg'
const WIDTH = 560
const HEIGHT = 300
const MARGIN = { left: 44, right: 74, top: 14, bottom: 34 }

function svgElement(tag: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  return element
}

/** `hex` faded toward white: t = 1 is the colour itself, t = 0 white. */
export function fade(hex: string, t: number): string {
  const channel = (k: number) => {
    const c = parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16)
    return Math.round(255 + (c - 255) * t).toString(16).padStart(2, '0')
  }
  return `#${channel(0)}${channel(1)}${channel(2)}`
}

/** The largest |value| among some arrays (1 when all are empty or zero, so nothing divides by 0). */
function largest(arrays: Array<ArrayLike<number> | null>): number {
  let m = 0
  for (const a of arrays) if (a !== null) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]))
  return m === 0 ? 1 : m
}

/** The colour of a number: its sign's colour, or grey for a number that is not finite. */
function signColour(v: number): string {
  return !Number.isFinite(v) ? UNREACHED : v >= 0 ? POSITIVE : NEGATIVE
}

/**
 * Draw a picture as an <svg> inside `holder`, replacing the last one. Every line carries its
 * layer, its two neurons and its number (`data-value`, full precision); every circle its
 * column and index.
 */
export function renderNetwork(holder: HTMLElement, picture: NetworkPicture): void {
  const { sizes, lines, neurons, highlight } = picture
  const svg = svgElement('svg', { class: 'network', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'the network: circles are neurons, lines are weights' })
  const shown = sizes.map((n) => Math.min(n, MAX_SHOWN))
  const x = (column: number) => MARGIN.left + (column * (WIDTH - MARGIN.left - MARGIN.right)) / Math.max(1, sizes.length - 1)
  const inner = HEIGHT - MARGIN.top - MARGIN.bottom
  const gap = (column: number) => Math.min(34, inner / shown[column])
  const y = (column: number, k: number) => MARGIN.top + inner / 2 + (k - (shown[column] - 1) / 2) * gap(column)
  const radius = (column: number) => Math.max(2, Math.min(9, gap(column) * 0.36))

  const parts: SVGElement[] = []
  // A pale band behind what the backprop step is at, so the eye finds it first.
  if (highlight !== undefined) {
    const [from, to] = 'layer' in highlight ? [x(highlight.layer), x(highlight.layer + 1)] : [x(highlight.column), x(highlight.column)]
    parts.push(svgElement('rect', { class: 'step-band', x: from - 16, y: 2, width: to - from + 32, height: HEIGHT - 20, rx: 8 }))
  }

  const lineScale = largest(lines)
  lines.forEach((values, j) => {
    const group = svgElement('g', { class: 'layer', 'data-layer': j })
    if (highlight !== undefined && !('layer' in highlight && highlight.layer === j)) group.classList.add('faded')
    // Many lines: thinner, so a 24 × 24 layer still shows its pattern.
    const widest = Math.max(1.2, Math.min(5, 40 / Math.max(shown[j], shown[j + 1])))
    for (let to = 0; to < shown[j + 1]; to++) {
      for (let from = 0; from < shown[j]; from++) {
        const v = values === null ? NaN : values[to * sizes[j] + from]
        const size = Number.isFinite(v) ? Math.abs(v) / lineScale : 0
        group.append(svgElement('line', {
          class: 'weight', 'data-layer': j, 'data-from': from, 'data-to': to, 'data-value': values === null ? '' : String(v),
          x1: x(j), y1: y(j, from), x2: x(j + 1), y2: y(j + 1, to),
          stroke: values === null ? UNREACHED : signColour(v),
          'stroke-width': (0.25 + (widest - 0.25) * size).toFixed(3),
          'stroke-opacity': (values === null ? 0.5 : 0.2 + 0.8 * size).toFixed(3),
        }))
      }
    }
    parts.push(group)
  })

  const neuronScale = largest(neurons)
  sizes.forEach((_, c) => {
    const group = svgElement('g', { class: 'column', 'data-column': c })
    const lit = highlight === undefined || ('column' in highlight ? highlight.column === c : c === highlight.layer || c === highlight.layer + 1)
    if (!lit) group.classList.add('faded')
    const values = neurons[c]
    for (let k = 0; k < shown[c]; k++) {
      const v = values === null ? NaN : values[k]
      const fill = values !== null ? fade(signColour(v), Number.isFinite(v) ? Math.abs(v) / neuronScale : 0) : c === 0 ? 'white' : UNREACHED
      const circle = svgElement('circle', { class: 'neuron', 'data-column': c, 'data-index': k, cx: x(c), cy: y(c, k), r: radius(c), fill })
      if (values !== null) circle.setAttribute('data-value', String(v))
      group.append(circle)
      const name = c === 0 ? picture.inputNames[k] : c === sizes.length - 1 ? picture.outputNames[k] : undefined
      if (name !== undefined && shown[c] <= 12) {
        const label = svgElement('text', { class: 'neuron-name', x: x(c) + (c === 0 ? -12 : 12), y: y(c, k) + 4, 'text-anchor': c === 0 ? 'end' : 'start' })
        label.textContent = name
        group.append(label)
      }
    }
    const caption = svgElement('text', { class: 'caption', x: x(c), y: HEIGHT - 8, 'text-anchor': 'middle' })
    caption.textContent = picture.captions[c]
    group.append(caption)
    parts.push(group)
  })
  svg.append(...parts)
  holder.replaceChildren(svg)
}

/**
 * The picture of an experiment's network: its shape and names, with each layer's lines and
 * biases given by `numbersOf` (a parameter's state-dict name → its numbers, or null).
 */
export function networkPicture(experiment: Experiment, numbersOf: (name: string) => ArrayLike<number> | null): NetworkPicture {
  const { sizes, state, data } = experiment
  const layers = linearLayers(experiment.model)
  const captions = sizes.map((n, c) => {
    const what = c === 0 ? `${n} input${n === 1 ? '' : 's'}` : c === sizes.length - 1 ? `${n} logits` : `${n} ${state.activation}`
    return n > MAX_SHOWN ? `${what}, ${MAX_SHOWN} drawn` : what
  })
  return {
    sizes,
    captions,
    inputNames: data.featureNames,
    outputNames: data.classes,
    lines: layers.map(({ prefix }) => numbersOf(`${prefix}.weight`)),
    neurons: [null, ...layers.map(({ prefix }) => numbersOf(`${prefix}.bias`))],
  }
}

/** The parameters' own numbers by state-dict name. */
export function weightsOf(experiment: Experiment): (name: string) => ArrayLike<number> | null {
  const byName = new Map(experiment.model.namedParameters())
  return (name) => byName.get(name)?.data ?? null
}

export interface NetworkElements {
  /** where the drawing goes: data-testid="network" */
  holder: HTMLElement
  /** the <select data-testid="network-mode">: weights or gradients */
  mode: HTMLSelectElement
  /** a sentence under the drawing: what the colours and widths mean just now */
  key: HTMLElement
}

/** The network panel: redrawn with every frame of training while it is open. */
export class NetworkView {
  private readonly elements: NetworkElements

  /** `redraw` is called when the switch changes, so the page draws again at once. */
  constructor(elements: NetworkElements, redraw: () => void) {
    this.elements = elements
    elements.mode.addEventListener('change', redraw)
  }

  get mode(): NetworkMode {
    return this.elements.mode.value === 'gradients' ? 'gradients' : 'weights'
  }

  draw(experiment: Experiment, selection: Selection): void {
    let numbersOf = weightsOf(experiment)
    if (this.mode === 'gradients') {
      const { gradients } = tracePoint(experiment, selection)
      numbersOf = (name) => gradients.get(name) ?? null
    }
    const picture = networkPicture(experiment, numbersOf)
    renderNetwork(this.elements.holder, picture)
    const largestLine = formatNumber(largest(picture.lines), 4)
    this.elements.key.textContent = this.mode === 'weights'
      ? `Each line is one weight w: blue when w > 0, orange when w < 0, wider and darker the larger |w| (the widest is ${largestLine}). ` +
        'A circle is a neuron, filled by its bias the same way.'
      : `Each line is ∂loss/∂w for the ${selection.part} point ${selection.index} alone (the largest |∂loss/∂w| is ${largestLine}): ` +
        'gradient descent moves a blue weight down and an orange one up, the wide ones most. A circle is filled by ∂loss/∂bias.'
  }
}

/** The network view on the page's elements; `redraw` draws the page again (the switch calls it). */
export function mountNetworkView(redraw: () => void): NetworkView {
  return new NetworkView({ holder: byTestId('network'), mode: byTestId('network-mode'), key: byTestId('network-key') }, redraw)
}
