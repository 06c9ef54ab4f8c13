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
import { makeRng, checkSeed } from '../random.js'

/** One row of ACTIVATIONS: the layer a name makes, and its formula for help text. */
export interface Activation {
  layer: () => Module
  formula: string
}

/**
 * The activations mlp can put between layers, by name. The CLI's help and error messages and
 * the playground's URL are written from this table: adding a row adds an activation to all three.
 *
 *   ACTIVATIONS.tanh.layer()   // new Tanh()
 */
export const ACTIVATIONS = {
  relu: { layer: () => new ReLU(), formula: 'max(0, x)' },
  leakyrelu: { layer: () => new LeakyReLU(0.01), formula: 'x > 0 ? x : 0.01·x' },
  tanh: { layer: () => new Tanh(), formula: '(eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)' },
  sigmoid: { layer: () => new Sigmoid(), formula: '1 / (1 + e⁻ˣ)' },
} as const satisfies Record<string, Activation>
export type ActivationName = keyof typeof ACTIVATIONS

export interface MlpOptions {
  /** the activation between layers (default 'relu') */
  activation?: ActivationName
  /** the seed of the initial weights, a whole number from 0 to 4294967295 (default 0) */
  seed?: number
}

/** Linear layers of `sizes` (inputs, hidden..., classes) with an activation between each pair. */
export function mlp(sizes: readonly number[], { activation = 'relu', seed = 0 }: MlpOptions = {}): Sequential {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`mlp: sizes must be at least two whole numbers ≥ 1 (inputs, hidden..., classes), got [${sizes.join(', ')}]`)
  }
  // Object.hasOwn, not `in`: 'toString' is in every object but is no activation.
  if (!Object.hasOwn(ACTIVATIONS, activation)) {
    throw new Error(`mlp: activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got '${String(activation)}'`)
  }
  const rng = makeRng(checkSeed(seed, 'mlp'))
  const layers: Module[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { rng }))
    if (i + 2 < sizes.length) layers.push(ACTIVATIONS[activation].layer())
  }
  return new Sequential(...layers)
}
