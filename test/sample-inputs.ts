/**
 * Makers of gradient-check inputs, shared by the catalogue files. Each catalogue file makes its
 * own with its own seeded rng, so adding samples to one never changes another's numbers.
 */
import { type Tensor, type Rng, randn, rand, tensor } from '../src/index.js'

export interface Sample {
  /** what this sample covers */
  name: string
  /** inputs with requiresGrad are gradient-checked */
  inputs: Tensor[]
  fn: (...inputs: Tensor[]) => Tensor
}

export const sample = (name: string, inputs: Tensor[], fn: (...xs: Tensor[]) => Tensor): Sample => ({ name, inputs, fn })

export function sampleInputs(rng: Rng) {
  /** Standard normal values, scaled and shifted. */
  function normal(shape: number[], scale = 1, shift = 0): Tensor {
    const t = randn(shape, { rng })
    for (let i = 0; i < t.size; i++) t.data[i] = t.data[i] * scale + shift
    t.requiresGrad = true
    return t
  }

  /** Uniform values in [lo, hi). */
  function uniform(shape: number[], lo: number, hi: number): Tensor {
    const t = rand(shape, { rng })
    for (let i = 0; i < t.size; i++) t.data[i] = lo + t.data[i] * (hi - lo)
    t.requiresGrad = true
    return t
  }

  /** Values at least 0.2 away from 0, either sign: no sample sits on a kink at 0. */
  function awayFromZero(shape: number[]): Tensor {
    const t = uniform(shape, 0.2, 2)
    for (let i = 0; i < t.size; i++) if (rng() < 0.5) t.data[i] = -t.data[i]
    return t
  }

  /** Distinct values (a shuffled range, jittered, gaps ≥ 0.6) so max and argmax have no ties. */
  function distinct(shape: number[]): Tensor {
    const n = shape.reduce((p, d) => p * d, 1)
    const values = Array.from({ length: n }, (_, i) => i * 0.7 + rng() * 0.1)
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1))
      ;[values[i], values[j]] = [values[j], values[i]]
    }
    return tensor(Float64Array.from(values), { shape, requiresGrad: true })
  }

  return { normal, uniform, awayFromZero, distinct }
}
