/**
 * The backward pass of one point's loss, recorded: what the network view colours its lines by
 * in gradient mode and what the backprop panel steps through. It is `traceBackward` on the
 * live model, the very call `softgrad explain` makes, so the page and Node give the same numbers.
 *
 *   const { steps, gradients } = tracePoint(experiment, { part: 'test', index: 0 })
 *   gradients.get('0.weight')   // ∂loss/∂0.weight for this one point, row-major
 */
import { gradientsFromTrace, nn, tensor, traceBackward, type TraceStep } from '../src/browser.js'
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'

export interface PointTrace {
  /** the steps of backward from the loss, root first */
  steps: TraceStep[]
  /** every tensor's gradient summed over the steps: for the parameters, their .grad after loss.backward() */
  gradients: Map<string, number[]>
}

/** Trace the backward pass of the cross-entropy loss of one point (standardised as training sees it). */
export function tracePoint(experiment: Experiment, selection: Selection): PointTrace {
  const { features, label } = experiment.point(selection)
  const x = experiment.split.scaler.transform(tensor([features])).named('x')
  const model = experiment.model.nameParameters() // '0.weight', '0.bias', '2.weight', …
  const loss = new nn.SoftmaxCrossEntropy().forward(model.forward(x), [label]).named('loss')
  try {
    const steps = traceBackward(loss)
    return { steps, gradients: gradientsFromTrace(steps) }
  } finally {
    // NOTE: backward also added into the parameters' .grad; the trainer zeroes them before each
    // step anyway, and clearing them here keeps the model as training left it.
    experiment.trainer.optimizer.zeroGrad()
  }
}

/** The Linear layers of a playground network (mlp: Linear, activation, Linear, …) with their state-dict prefix. */
export function linearLayers(model: nn.Sequential): Array<{ prefix: string; layer: nn.Linear }> {
  return model.namedChildren()
    .filter((entry): entry is [string, nn.Linear] => entry[1] instanceof nn.Linear)
    .map(([name, layer]) => ({ prefix: name, layer }))
}
