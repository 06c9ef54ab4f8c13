/**
 * A model's architecture as plain JSON, so a model file can rebuild the model before loading
 * its numbers: `describeModel(model)` → LayerSpec, `buildModel(spec)` → Module.
 * Sequential models of the built-in layers are supported; anything else is an error naming it.
 */
import { Module } from './module.js'
import { Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout } from './layers.js'
import { Softmax, LogSoftmax } from './softmax.js'
import { Sequential } from './sequential.js'
import type { Rng } from '../random.js'

export type LayerSpec =
  | { type: 'Linear'; inFeatures: number; outFeatures: number; bias: boolean }
  | { type: 'ReLU' }
  | { type: 'LeakyReLU'; negativeSlope: number }
  | { type: 'Tanh' }
  | { type: 'Sigmoid' }
  | { type: 'Dropout'; p: number }
  | { type: 'Softmax'; dim: number; temperature: number }
  | { type: 'LogSoftmax'; dim: number; temperature: number }
  | { type: 'Sequential'; layers: LayerSpec[] }

export function describeModel(m: Module): LayerSpec {
  if (m instanceof Linear) return { type: 'Linear', inFeatures: m.inFeatures, outFeatures: m.outFeatures, bias: m.bias !== null }
  if (m instanceof ReLU) return { type: 'ReLU' }
  if (m instanceof LeakyReLU) return { type: 'LeakyReLU', negativeSlope: m.negativeSlope }
  if (m instanceof Tanh) return { type: 'Tanh' }
  if (m instanceof Sigmoid) return { type: 'Sigmoid' }
  if (m instanceof Dropout) return { type: 'Dropout', p: m.p }
  if (m instanceof Softmax) return { type: 'Softmax', dim: m.dim, temperature: m.temperature }
  if (m instanceof LogSoftmax) return { type: 'LogSoftmax', dim: m.dim, temperature: m.temperature }
  if (m instanceof Sequential) return { type: 'Sequential', layers: m.layers.map(describeModel) }
  throw new Error(
    `describeModel: ${m.constructor.name} is not a built-in layer; model files hold Sequential models of ` +
      `Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout, Softmax and LogSoftmax (save a custom module's stateDict() instead)`,
  )
}

/** Rebuild a model from its spec (fresh weights: load a state dict into it). */
export function buildModel(spec: LayerSpec, rng?: Rng): Module {
  const bad = (why: string): never => {
    throw new Error(`buildModel: ${why} in ${JSON.stringify(spec).slice(0, 200)}`)
  }
  if (typeof spec !== 'object' || spec === null) bad('a layer spec must be an object')
  switch (spec.type) {
    case 'Linear':
      if (!Number.isInteger(spec.inFeatures) || !Number.isInteger(spec.outFeatures)) bad('Linear needs whole inFeatures and outFeatures')
      return new Linear(spec.inFeatures, spec.outFeatures, { bias: spec.bias !== false, rng })
    case 'ReLU':
      return new ReLU()
    case 'LeakyReLU':
      return new LeakyReLU(spec.negativeSlope)
    case 'Tanh':
      return new Tanh()
    case 'Sigmoid':
      return new Sigmoid()
    case 'Dropout':
      return new Dropout(spec.p)
    case 'Softmax':
      return new Softmax({ dim: spec.dim, temperature: spec.temperature })
    case 'LogSoftmax':
      return new LogSoftmax({ dim: spec.dim, temperature: spec.temperature })
    case 'Sequential':
      if (!Array.isArray(spec.layers)) bad('Sequential needs an array of layers')
      return new Sequential(...spec.layers.map((s) => buildModel(s, rng)))
    default:
      return bad(`unknown layer type ${JSON.stringify((spec as { type?: unknown }).type)}`)
  }
}
