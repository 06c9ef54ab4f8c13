/**
 * The computation graph of the selected point's loss, drawn by Graphviz (compiled to
 * WebAssembly): every tensor with its shape, small ones with their values and gradients, and
 * every op between them. main.ts imports this module only when the button is pressed, and
 * drawGraph loads the 1 MB renderer only then, so the page opens without either.
 *
 * Graphviz lays the graph out left to right, so a deep network draws far wider than the panel:
 * shown, it shrinks to the panel's width only as far as its labels stay readable, and scrolls
 * sideways beyond that; "whole graph" shrinks it all the way, to see its shape.
 */
import { drawGraph, nn, tensor } from '../src/browser.js'
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'

/** Graphviz writes its labels at 11 pt, 14.7 px at full size; shrunk, they stay at least 10 px. */
const LABEL_PX = 11 * (4 / 3)
const READABLE_LABEL_PX = 10

/** The SVG of the graph that computes one point's cross-entropy loss, after its backward pass. */
export async function drawLossGraph(experiment: Experiment, selection: Selection): Promise<string> {
  const { features, label } = experiment.point(selection)
  const x = experiment.split.scaler.transform(tensor([features])).named('x')
  const model = experiment.model.nameParameters()
  const loss = new nn.SoftmaxCrossEntropy().forward(model.forward(x), [label]).named('loss')
  loss.backward()
  try {
    return await drawGraph(loss, { format: 'svg', model })
  } finally {
    // The gradients were for the drawing; the next training step must start from zero anyway.
    experiment.trainer.optimizer.zeroGrad()
  }
}

/** Show a drawing from drawLossGraph in `container`: a "whole graph" switch and the drawing in a scroll box. */
export function showGraph(container: HTMLElement, svg: string): void {
  const scroll = document.createElement('div')
  scroll.className = 'graph-scroll'
  scroll.dataset.testid = 'graph-scroll'
  scroll.innerHTML = svg // Graphviz escapes every label it writes
  const drawing = scroll.querySelector('svg')!
  // Graphviz gives the size in pt; baseVal.value is the same length in CSS px.
  const fullWidth = drawing.width.baseVal.value
  drawing.style.setProperty('--full-width', `${fullWidth}px`)
  drawing.style.setProperty('--readable-width', `${Math.ceil((fullWidth * READABLE_LABEL_PX) / LABEL_PX)}px`)

  const whole = document.createElement('input')
  whole.type = 'checkbox'
  whole.dataset.testid = 'graph-whole'
  whole.addEventListener('change', () => scroll.classList.toggle('whole', whole.checked))
  const label = document.createElement('label')
  label.append(whole, ' Whole graph (labels may get too small to read)')
  const note = document.createElement('p')
  note.className = 'note'
  note.textContent = 'From the input x on the left to the loss on the right; a drawing wider than the panel scrolls sideways.'
  container.replaceChildren(label, note, scroll)
}
