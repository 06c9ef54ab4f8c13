/**
 * The computation graph of the selected point's loss, drawn by Graphviz (compiled to
 * WebAssembly): every tensor with its shape, small ones with their values and gradients, and
 * every op between them. main.ts imports this module only when the button is pressed, and
 * drawGraph loads the 1 MB renderer only then, so the page opens without either.
 */
import { drawGraph, nn, tensor } from '../src/browser.js'
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'

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
