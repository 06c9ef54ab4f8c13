/** The softmax family as layers: nn.Softmax and nn.LogSoftmax, over `dim` at a `temperature`. */
import type { Tensor } from '../tensor.js'
import { softmax, logSoftmax, type SoftmaxOptions } from '../ops/index.js'
import { checkTemperature } from '../ops/checks.js'
import { Module } from './module.js'
import { registerModule } from './registry.js'

/** What both layers hold: the dim that sums to 1 and the temperature, checked once. */
abstract class SoftmaxLayer extends Module {
  readonly dim: number
  readonly temperature: number

  constructor({ dim = -1, temperature = 1 }: SoftmaxOptions, name: string) {
    super()
    checkTemperature(temperature, name)
    this.dim = dim
    this.temperature = temperature
  }

  config(): { dim: number; temperature: number } {
    return { dim: this.dim, temperature: this.temperature }
  }
}

/** new nn.Softmax({ dim: -1, temperature: 2 }).forward(logits) → probabilities */
export class Softmax extends SoftmaxLayer {
  constructor(options: SoftmaxOptions = {}) {
    super(options, 'nn.Softmax')
  }

  forward(x: Tensor): Tensor {
    return softmax(x, { dim: this.dim, temperature: this.temperature })
  }

  static fromConfig(config: SoftmaxOptions): Softmax {
    return new Softmax(config)
  }
}
registerModule(Softmax, 'Softmax')

/** new nn.LogSoftmax().forward(logits) → log-probabilities (for NLLLoss) */
export class LogSoftmax extends SoftmaxLayer {
  constructor(options: SoftmaxOptions = {}) {
    super(options, 'nn.LogSoftmax')
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(x, { dim: this.dim, temperature: this.temperature })
  }

  static fromConfig(config: SoftmaxOptions): LogSoftmax {
    return new LogSoftmax(config)
  }
}
registerModule(LogSoftmax, 'LogSoftmax')
