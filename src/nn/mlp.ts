/**
 * mlp: the network `softgrad train` and the playground build from a list of sizes: a Linear
 * layer between each pair of sizes, with one activation after every layer but the last (which
 * gives the logits), initialised from a seed.
 *
 *   mlp([2, 16, 16, 3], { activation: 'relu', seed: 0 })
 *   // Sequential(Linear(2, 16), ReLU, Linear(16, 16), ReLU, Linear(16, 3))
 */
import type { Module } from './module.js'
import { Linear, ReLU, LeakyReLU, Tanh, Sigmoid } from './layers.js'
import { Sequential } from './sequential.js'
import { makeRng } from '../random.js'

export const ACTIVATIONS = ['relu', 'leakyrelu', 'tanh', 'sigmoid'] as const
export type ActivationName = (typeof ACTIVATIONS)[number]

const LAYER: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  leakyrelu: () => new LeakyReLU(0.01),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
}

export interface MlpOptions {
  /** the activation between layers (default 'relu') */
  activation?: ActivationName
  /** the seed of the initial weights (default 0) */
  seed?: number
}

/** Linear layers of `sizes` (inputs, hidden..., classes) with an activation between each pair. */
export function mlp(sizes: readonly number[], { activation = 'relu', seed = 0 }: MlpOptions = {}): Sequential {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`mlp: sizes must be at least two whole numbers ≥ 1 (inputs, hidden..., classes), got [${sizes.join(', ')}]`)
  }
  if (!(activation in LAYER)) throw new Error(`mlp: activation must be one of ${ACTIVATIONS.join(', ')}, got '${String(activation)}'`)
  const rng = makeRng(seed)
  const layers: Module[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { rng }))
    if (i + 2 < sizes.length) layers.push(LAYER[activation]())
  }
  return new Sequential(...layers)
}
