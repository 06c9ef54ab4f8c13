/** The part of ConvNetJS 0.3 (which ships no types) that the benchmark uses. */
declare module 'convnetjs' {
  /** A volume of numbers sx × sy × depth; `w` the values, `dw` their gradient (Float64Arrays). */
  class Vol {
    constructor(sx: number, sy: number, depth: number, c?: number)
    sx: number
    sy: number
    depth: number
    w: Float64Array
    dw: Float64Array
  }

  interface LayerDef {
    type: 'input' | 'fc' | 'relu' | 'softmax' | 'svm' | 'regression' | string
    out_sx?: number
    out_sy?: number
    out_depth?: number
    num_neurons?: number
    num_classes?: number
    activation?: 'relu' | 'sigmoid' | 'tanh' | 'maxout'
    bias_pref?: number
  }

  interface Layer {
    layer_type: string
    out_depth: number
  }

  /** A fully connected layer: one filter Vol per output neuron, its `w` the neuron's input weights. */
  interface FullyConnLayer extends Layer {
    layer_type: 'fc'
    num_inputs: number
    filters: Vol[]
    biases: Vol
  }

  class Net {
    layers: Layer[]
    makeLayers(defs: LayerDef[]): void
    forward(V: Vol, isTraining?: boolean): Vol
    backward(y: number): number
  }

  interface TrainerOptions {
    method?: 'sgd' | 'adagrad' | 'adadelta' | 'windowgrad'
    learning_rate?: number
    momentum?: number
    batch_size?: number
    l1_decay?: number
    l2_decay?: number
  }

  class Trainer {
    constructor(net: Net, options?: TrainerOptions)
    batch_size: number
    /** samples seen; a step happens when k reaches a multiple of batch_size */
    k: number
    train(x: Vol, y: number): { cost_loss: number; loss: number }
  }

  const convnetjs: { Vol: typeof Vol; Net: typeof Net; Trainer: typeof Trainer }
  export default convnetjs
  export type { Vol, Net, Trainer, FullyConnLayer, Layer, LayerDef, TrainerOptions }
}
