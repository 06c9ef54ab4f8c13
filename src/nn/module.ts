/**
 * Module: the base of every layer and model, as in PyTorch. A module's parameters are its
 * Tensor fields that require grad; its children are its Module fields. Names follow the
 * fields (`weight`, `fc1.bias`), and Sequential names its children 0, 1, 2 … so that a state
 * dict carries PyTorch's names ('0.weight', '2.bias').
 */
import { Tensor } from '../tensor.js'
import { formatShape, sameShape } from '../shape.js'
import { zeroGrads, type ZeroGradOptions } from '../optim/optimizer.js'

export type StateDict = Record<string, Tensor>

export abstract class Module {
  /** true after train(), false after eval(); layers such as Dropout read it */
  training = true
  /** the softmax temperature fitted by fitTemperature, if any: predict uses it, model files keep it */
  calibratedTemperature: number | undefined = undefined

  abstract forward(x: Tensor): Tensor

  /** The child modules with their names; Sequential overrides this to name them 0, 1, 2 … */
  namedChildren(): Array<[string, Module]> {
    return Object.entries(this).filter((entry): entry is [string, Module] => entry[1] instanceof Module)
  }

  /** This module's own parameters (not its children's). */
  ownParameters(): Array<[string, Tensor]> {
    return Object.entries(this).filter(
      (entry): entry is [string, Tensor] => entry[1] instanceof Tensor && entry[1].requiresGrad,
    )
  }

  /** Every parameter with its dotted name: [['0.weight', W], ['0.bias', b], ...]. */
  namedParameters(prefix = ''): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = this.ownParameters().map(([name, t]) => [prefix + name, t])
    for (const [name, child] of this.namedChildren()) out.push(...child.namedParameters(`${prefix}${name}.`))
    return out
  }

  /** Name each parameter after its state-dict name ('0.weight') unless it has a name already. */
  nameParameters(): this {
    for (const [name, p] of this.namedParameters()) p.name ??= name
    return this
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t)
  }

  /** Training mode (the default): layers like Dropout are active. */
  train(mode = true): this {
    this.training = mode
    for (const [, child] of this.namedChildren()) child.train(mode)
    return this
  }

  /** Evaluation mode: Dropout passes its input through. */
  eval(): this {
    return this.train(false)
  }

  /** Set every parameter's gradient to null (PyTorch's default, set_to_none=True), or to zeros with { setToNone: false }. */
  zeroGrad(options?: ZeroGradOptions): void {
    zeroGrads(this.parameters(), options)
  }

  /** The parameters by name, each a detached copy of the numbers. */
  stateDict(): StateDict {
    const sd: StateDict = {}
    for (const [name, p] of this.namedParameters()) sd[name] = new Tensor(Float64Array.from(p.data), p.shape.slice())
    return sd
  }

  /**
   * Copy numbers into the parameters, in place (an optimiser holding them keeps working).
   * Every name must match and every shape agree; any difference is an error naming it.
   */
  loadStateDict(sd: StateDict): void {
    const params = this.namedParameters()
    const expected = new Set(params.map(([name]) => name))
    const missing = params.map(([name]) => name).filter((name) => !(name in sd))
    const unexpected = Object.keys(sd).filter((name) => !expected.has(name))
    if (missing.length > 0 || unexpected.length > 0) {
      const parts = []
      if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`)
      if (unexpected.length > 0) parts.push(`unexpected ${unexpected.join(', ')}`)
      throw new Error(`loadStateDict: the names do not match the module: ${parts.join('; ')} (the module has ${[...expected].join(', ')})`)
    }
    for (const [name, p] of params) {
      const t = sd[name]
      if (!sameShape(t.shape, p.shape)) {
        throw new Error(`loadStateDict: ${name} has shape ${formatShape(t.shape)} in the state dict but ${formatShape(p.shape)} in the module`)
      }
    }
    for (const [name, p] of params) p.data.set(sd[name].data)
  }
}
