/**
 * Backprop, step by step: the backward pass of the selected point's loss, one op at a time, in
 * the order `traceBackward(loss)` ran it (root first, as `softgrad explain` prints it). Each
 * step shows its op, its rule, the gradient that arrived from above (upstream, ∂L/∂output) and
 * the gradient it hands each input; the network drawn beside it highlights where the step is
 * (a linear step at its layer's lines, the loss at the logits, an activation at its column)
 * and colours every line backprop has reached by ∂L/∂w. Below, the parameters' .grad so far:
 * after the last step, every parameter's gradient for this one point.
 * main.ts imports this module when the panel is first opened.
 */
import { gradientsFromTrace, type Nested, type TraceStep } from '../src/browser.js'
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'
import { linearLayers, tracePoint, type PointTrace } from './point-trace.js'
import { NEGATIVE, POSITIVE, fade, networkPicture, renderNetwork } from './network-view.js'
import { formatNumber } from './format.js'
import { byTestId } from './controls.js'

export interface BackpropElements {
  prev: HTMLButtonElement
  next: HTMLButtonElement
  /** 'k / n' */
  position: HTMLElement
  op: HTMLElement
  /** the step as a line: its inputs → its output, with shapes */
  io: HTMLElement
  rule: HTMLElement
  /** upstream and each input's gradient, as cells with data-value */
  grads: HTMLElement
  /** where the network is drawn with the step highlighted */
  network: HTMLElement
  /** the parameters' .grad after the steps so far */
  leaves: HTMLElement
}

/** A tensor of up to this many numbers is written out; a larger one is a grid of coloured cells (hover for the number). */
const WRITTEN = 8
/** The most cells drawn for one tensor (a 256 × 256 weight has 65,536); the rest is said in a note. */
const MAX_CELLS = 256

/** Where a step happens in the network drawing, for each step of a trace. */
type Place = { layer: number } | { column: number }

/**
 * A linear step is at the lines of its layer (the one whose weight is among its inputs); the
 * loss is at the logits, the last column; an activation between two linear steps is at the
 * column of the layer that the linear step before it (in backward order) feeds from.
 */
function placesOf(steps: readonly TraceStep[], prefixes: string[]): Place[] {
  let column = prefixes.length
  return steps.map((step) => {
    const layer = prefixes.findIndex((prefix) => step.inputs.some((input) => input.name === `${prefix}.weight`))
    if (layer < 0) return { column }
    column = layer
    return { layer }
  })
}

/** The numbers of a nested array, row-major. */
const numbersOf = (v: Nested): number[] => (typeof v === 'number' ? [v] : v.flatMap(numbersOf))

const shapeText = (shape: readonly number[]): string => `[${shape.join(',')}]`

/**
 * A tensor's numbers as cells, each with the full-precision number in data-value: written out
 * when there are few, else one small square a number, coloured by sign and size, a row of the
 * grid a row of the tensor.
 */
function cells(values: number[], shape: readonly number[], testId: string, name: string): HTMLElement {
  const grid = document.createElement('div')
  const written = values.length <= WRITTEN
  grid.className = written ? 'cells written' : 'cells squares'
  const columns = shape.length === 0 ? 1 : shape[shape.length - 1]
  grid.style.setProperty('--columns', String(Math.min(columns, MAX_CELLS)))
  const scale = Math.max(...values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0))) || 1
  for (const [k, v] of values.slice(0, MAX_CELLS).entries()) {
    const cell = document.createElement('span')
    cell.className = 'cell'
    cell.dataset.testid = testId
    cell.dataset.name = name
    cell.dataset.index = String(k)
    cell.dataset.value = String(v)
    cell.title = `${name}[${k}] = ${v}`
    if (written) cell.textContent = formatNumber(v, 4)
    else cell.style.background = fade(v >= 0 ? POSITIVE : NEGATIVE, Number.isFinite(v) ? Math.abs(v) / scale : 0)
    grid.append(cell)
  }
  if (values.length > MAX_CELLS) {
    const note = document.createElement('p')
    note.className = 'note'
    note.textContent = `the first ${MAX_CELLS} of ${values.length} numbers drawn`
    grid.append(note)
  }
  return grid
}

/** A titled block: '∂L/∂logits [1,3]   upstream: what arrived from above', then its cells. */
function block(title: string, note: string, body: HTMLElement): HTMLElement {
  const section = document.createElement('div')
  section.className = 'grad-block'
  const heading = document.createElement('p')
  const b = document.createElement('b')
  b.textContent = title
  const small = document.createElement('span')
  small.className = 'note'
  small.textContent = note === '' ? '' : `  ${note}`
  heading.append(b, small)
  section.append(heading, body)
  return section
}

export class BackpropPanel {
  private readonly elements: BackpropElements
  /** the step shown, from 0 */
  private index = 0
  private shown: { experiment: Experiment; trace: PointTrace; places: Place[] } | null = null

  constructor(elements: BackpropElements) {
    this.elements = elements
    elements.prev.addEventListener('click', () => this.move(-1))
    elements.next.addEventListener('click', () => this.move(+1))
  }

  /** Trace the selected point's loss on the network as it is now, and show the current step of it. */
  draw(experiment: Experiment, selection: Selection): void {
    const trace = tracePoint(experiment, selection)
    const prefixes = linearLayers(experiment.model).map(({ prefix }) => prefix)
    this.shown = { experiment, trace, places: placesOf(trace.steps, prefixes) }
    this.show()
  }

  private move(by: number): void {
    this.index += by
    this.show()
  }

  private show(): void {
    if (this.shown === null) return
    const { experiment, trace, places } = this.shown
    const { steps } = trace
    const e = this.elements
    this.index = Math.max(0, Math.min(this.index, steps.length - 1))
    const step = steps[this.index]
    e.position.textContent = `${this.index + 1} / ${steps.length}`
    e.prev.disabled = this.index === 0
    e.next.disabled = this.index === steps.length - 1
    e.op.textContent = step.op
    e.io.textContent = `${step.inputs.map((x) => `${x.name} ${shapeText(x.shape)}`).join(', ')} → ${step.output.name} ${shapeText(step.output.shape)}`
    e.rule.textContent = step.rule

    const out = step.output
    const blocks = [block(`∂L/∂${out.name} ${shapeText(out.shape)}`, 'upstream: what arrived from above', cells(numbersOf(step.upstream), out.shape, 'backprop-grad', out.name))]
    for (const input of step.inputs) {
      const title = `∂L/∂${input.name} ${shapeText(input.shape)}`
      if (input.grad === null) {
        const none = document.createElement('p')
        none.className = 'note'
        none.textContent = 'no gradient: data, not a parameter (it does not require grad)'
        blocks.push(block(title, '', none))
      } else {
        blocks.push(block(title, 'handed to this input by the rule', cells(numbersOf(input.grad), input.shape, 'backprop-grad', input.name)))
      }
    }
    e.grads.replaceChildren(...blocks)

    // The parameters' .grad after steps 1 … k: what backprop has filled in so far (+= where a tensor is used twice).
    const sofar = gradientsFromTrace(steps.slice(0, this.index + 1))
    const picture = networkPicture(experiment, (name) => sofar.get(name) ?? null)
    const place = places[this.index]
    if ('column' in place) {
      // The loss and the activations: the column's circles show the gradient this step hands back, one number a neuron.
      const handed = step.inputs.find((input) => input.grad !== null && input.shape[input.shape.length - 1] === picture.sizes[place.column])
      if (handed !== undefined) picture.neurons[place.column] = numbersOf(handed.grad!)
    }
    renderNetwork(e.network, { ...picture, highlight: place })
    e.leaves.replaceChildren(...experiment.model.namedParameters().map(([name, p]) => {
      const g = sofar.get(name)
      const reachedAt = steps.findIndex((s) => s.inputs.some((x) => x.name === name && x.grad !== null)) + 1
      if (g !== undefined) return block(`${name}.grad ${shapeText(p.shape)}`, `filled at step ${reachedAt}`, cells(g, p.shape, 'backprop-leaf', name))
      const waiting = document.createElement('p')
      waiting.className = 'note'
      waiting.textContent = `null until step ${reachedAt} reaches it`
      return block(`${name}.grad ${shapeText(p.shape)}`, '', waiting)
    }))
  }
}

/** The panel on the page's elements (data-testid backprop-prev, backprop-next, …). */
export function mountBackpropPanel(): BackpropPanel {
  const part = <T extends HTMLElement>(name: string) => byTestId<T>(`backprop-${name}`)
  return new BackpropPanel({
    prev: part('prev'), next: part('next'), position: part('position'), op: part('op'), io: part('io'),
    rule: part('rule'), grads: part('grads'), network: part('network'), leaves: part('leaves'),
  })
}
