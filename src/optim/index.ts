/**
 * optim: optimisers and learning-rate schedules, each a class used with `new`.
 *
 * @module
 */
export { SGD, type SGDOptions } from './sgd.js'
export type { Optimizer } from './optimizer.js'
export type { SGDState } from './sgd.js'
export type { OptimizerState, ZeroGradOptions } from './optimizer.js'
export { Adam, type AdamOptions, type AdamState } from './adam.js'
export { AdamW } from './adamw.js'
export { RMSprop, type RMSpropOptions, type RMSpropState } from './rmsprop.js'
export {
  StepLR, ExponentialLR, CosineAnnealingLR, OneCycleLR, ReduceLROnPlateau,
  type LRScheduler, type SchedulerState, type EpochSchedulerState, type ReduceLROnPlateauState,
  type StepLROptions, type ExponentialLROptions, type CosineAnnealingLROptions, type OneCycleLROptions, type ReduceLROnPlateauOptions,
} from './schedule.js'
export { clipGradNorm } from './clip.js'
export { optimizerByName, OPTIMIZERS, DEFAULT_MOMENTUM, type OptimizerName, type ByNameOptions } from './by-name.js'
