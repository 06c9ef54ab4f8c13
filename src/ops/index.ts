/**
 * OPS: the registry of every differentiable op. test/catalogue.ts is typed against it, so an
 * op added here without gradient-check samples does not compile. docs/adding-an-op.md has
 * the steps.
 */
import type { OpEntry } from './op.js'
import { addOp, negOp, subOp } from './add.js'
import { mulOp, divOp } from './mul.js'
import { expOp, logOp } from './exp.js'
import { powOp, sqrtOp } from './pow.js'
import { absOp } from './abs.js'
import { reluOp, leakyReluOp, tanhOp, sigmoidOp } from './activations.js'
import { matmulOp } from './matmul.js'
import { transposeOp, reshapeOp } from './shape.js'
import { sumOp, meanOp, maxOp } from './reduce.js'
import { logsumexpOp } from './logsumexp.js'
import { softmaxOp, logSoftmaxOp } from './softmax.js'
import { gatherOp } from './gather.js'
import { hardmaxOp } from './hardmax.js'
import { sparsemaxOp } from './sparsemax.js'
import { gumbelSoftmaxOp } from './gumbel-softmax.js'
import { softmaxCrossEntropyOp } from './softmax-cross-entropy.js'
import { bceWithLogitsOp } from './bce-with-logits.js'
import { linearOp } from './linear.js'
import { takeRowsOp } from './take-rows.js'
import { linearRowsOp } from './linear-rows.js'

export const OPS = {
  add: addOp,
  sub: subOp,
  mul: mulOp,
  div: divOp,
  neg: negOp,
  exp: expOp,
  log: logOp,
  pow: powOp,
  sqrt: sqrtOp,
  abs: absOp,
  relu: reluOp,
  leakyRelu: leakyReluOp,
  tanh: tanhOp,
  sigmoid: sigmoidOp,
  matmul: matmulOp,
  transpose: transposeOp,
  reshape: reshapeOp,
  sum: sumOp,
  mean: meanOp,
  max: maxOp,
  logsumexp: logsumexpOp,
  softmax: softmaxOp,
  logSoftmax: logSoftmaxOp,
  gather: gatherOp,
  hardmax: hardmaxOp,
  sparsemax: sparsemaxOp,
  gumbelSoftmax: gumbelSoftmaxOp,
  softmaxCrossEntropy: softmaxCrossEntropyOp,
  bceWithLogits: bceWithLogitsOp,
  linear: linearOp,
  takeRows: takeRowsOp,
  linearRows: linearRowsOp,
} satisfies Record<string, OpEntry>

export type OpName = keyof typeof OPS

export { add, sub, neg } from './add.js'
export { mul, div } from './mul.js'
export { exp, log } from './exp.js'
export { pow, sqrt } from './pow.js'
export { abs } from './abs.js'
export { relu, leakyRelu, tanh, sigmoid } from './activations.js'
export { matmul } from './matmul.js'
export { transpose, reshape } from './shape.js'
export { sum, mean, max } from './reduce.js'
export { logsumexp } from './logsumexp.js'
export { softmax, logSoftmax, type SoftmaxOptions } from './softmax.js'
export { gather } from './gather.js'
export { hardmax } from './hardmax.js'
export { sparsemax } from './sparsemax.js'
export { gumbelSoftmax, type GumbelSoftmaxOptions } from './gumbel-softmax.js'
export { softmaxJacobian } from './softmax-jacobian.js'
export { softmaxCrossEntropy, type CrossEntropyOptions, type CrossEntropyTarget, type Reduction } from './softmax-cross-entropy.js'
export { bceWithLogits } from './bce-with-logits.js'
export { linear } from './linear.js'
export { takeRows } from './take-rows.js'
export { linearRows } from './linear-rows.js'
export { defineOp, defineComposite, apply, broadcastShape, sumToShape, type OpDef, type CompositeDef, type OpEntry } from './op.js'
