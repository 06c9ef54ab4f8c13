/**
 * softgrad: a small, fast, readable neural-network framework that proves its own gradients.
 * Everything public is re-exported here; nothing else is public.
 */
export { Tensor, noGrad, isGradEnabled, type Nested, type TensorOptions } from './tensor.js'
export { tensor, zeros, ones, full, eye, arange, rand, randn, type CreateOptions, type RandomOptions } from './creation.js'
export { makeRng, manualSeed, type Rng } from './random.js'
export {
  OPS,
  type OpName,
  add, sub, mul, div, neg, exp, log, pow, sqrt, abs,
  relu, leakyRelu, tanh, sigmoid,
  matmul, transpose, reshape,
  sum, mean, max, logsumexp, softmax, logSoftmax, gather,
  hardmax, sparsemax, gumbelSoftmax, softmaxJacobian, softmaxCrossEntropy, bceWithLogits,
  defineOp, defineComposite, apply, broadcastShape, sumToShape,
  type SoftmaxOptions, type GumbelSoftmaxOptions, type CrossEntropyOptions, type CrossEntropyTarget, type Reduction, type OpDef, type CompositeDef, type OpEntry,
} from './ops/index.js'
export * as nn from './nn/index.js'
export { gradcheck, jacobian, numericJacobian, type GradcheckOptions, type GradcheckResult, type GradcheckWorst } from './check/index.js'
