/** Sequential: modules applied in order. Children are named 0, 1, 2 …, as in PyTorch. */
import type { Tensor } from '../tensor.js'
import { Module } from './module.js'
import { registerModule } from './registry.js'
import { describeModel, buildModel, type LayerSpec } from './architecture.js'

/** new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3)) */
export class Sequential extends Module {
  readonly layers: Module[]

  constructor(...layers: Module[]) {
    super()
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) throw new Error(`nn.Sequential: argument ${i} is not a Module`)
    })
    this.layers = layers
  }

  override namedChildren(): Array<[string, Module]> {
    return this.layers.map((layer, i) => [String(i), layer])
  }

  /** set once the parameters carry their state-dict names (drawings and traces show them) */
  private named = false

  forward(x: Tensor): Tensor {
    if (!this.named) this.named = !!this.nameParameters()
    let out = x
    for (const layer of this.layers) out = layer.forward(out)
    return out
  }

  /** The children's specs, so a model file rebuilds the whole tree (nested Sequentials too). */
  config(): { layers: LayerSpec[] } {
    return { layers: this.layers.map((layer) => describeModel(layer)) }
  }

  static fromConfig({ layers }: { layers: LayerSpec[] }): Sequential {
    if (!Array.isArray(layers)) throw new Error(`nn.Sequential.fromConfig: expected { layers: [layer specs] }, got layers = ${JSON.stringify(layers)}`)
    return new Sequential(...layers.map((spec) => buildModel(spec)))
  }
}
registerModule(Sequential, 'Sequential')
