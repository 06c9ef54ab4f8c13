/**
 * optimizerByName: the optimiser a name stands for, with the defaults `softgrad train` and the
 * playground share: SGD with momentum 0.9, RMSprop without momentum, Adam and AdamW as PyTorch
 * makes them.
 *
 *   optimizerByName('adam', model.parameters(), { lr: 0.01 })
 */
import type { Tensor } from '../tensor.js'
import type { Optimizer } from './optimizer.js'
import { SGD } from './sgd.js'
import { Adam } from './adam.js'
import { AdamW } from './adamw.js'
import { RMSprop } from './rmsprop.js'

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop'] as const
export type OptimizerName = (typeof OPTIMIZERS)[number]

/** The momentum each optimiser gets when none is given (Adam and AdamW have betas instead: 0). */
export const DEFAULT_MOMENTUM: Readonly<Record<OptimizerName, number>> = { sgd: 0.9, adam: 0, adamw: 0, rmsprop: 0 }

export interface ByNameOptions {
  lr: number
  /** for sgd and rmsprop (default DEFAULT_MOMENTUM); adam and adamw have betas instead */
  momentum?: number
}

export function optimizerByName(name: OptimizerName, params: readonly Tensor[], { lr, momentum = DEFAULT_MOMENTUM[name] }: ByNameOptions): Optimizer {
  switch (name) {
    case 'sgd':
      return new SGD(params, { lr, momentum })
    case 'adam':
      return new Adam(params, { lr })
    case 'adamw':
      return new AdamW(params, { lr })
    case 'rmsprop':
      return new RMSprop(params, { lr, momentum })
    default:
      throw new Error(`optimizerByName: the optimiser must be one of ${OPTIMIZERS.join(', ')}, got '${String(name)}'`)
  }
}
