/**
 * nn: layers and losses, each a class used with `new`.
 *
 * @module
 */
export { Module, type StateDict } from './module.js'
export { registerModule, registeredModule, type ModuleClass, type ModuleConfig } from './registry.js'
export { Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout } from './layers.js'
export { Sequential } from './sequential.js'
export { Softmax, LogSoftmax } from './softmax.js'
export { HierarchicalSoftmax, defaultClusters, type HierarchicalSoftmaxOptions } from './hierarchical-softmax.js'
export { describeModel, buildModel, type LayerSpec } from './architecture.js'
export { mlp, ACTIVATIONS, type ActivationName, type MlpOptions } from './mlp.js'
export {
  SoftmaxCrossEntropy, CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, MSELoss,
  type Loss, type CrossEntropyOptions, type CrossEntropyTarget, type Reduction, type NLLOptions, type BCEOptions,
} from './losses.js'
