/**
 * ConvNetJS 0.3, the way its README trains: an input layer, fc layers with ReLU, a softmax
 * layer (which adds the last fc layer itself), and its Trainer with method 'sgd', fed one sample
 * at a time; the Trainer sums the gradients of batch_size samples and steps on their mean.
 * Float64 arrays throughout.
 *
 * SGD rule: ConvNetJS keeps gsum, starting at 0, and does gsum ← μ·gsum − lr·g; θ ← θ + gsum.
 * That is gsum = −lr·b for PyTorch's b (b ← g first, then b ← μ·b + g; θ ← θ − lr·b), so the
 * trajectory is PyTorch's (up to rounding: lr multiplies before the sum here).
 *
 * NOTE: the Trainer steps when its sample counter k reaches a multiple of batch_size, so a short
 * last batch (W1: 1797 = 56·32 + 5) would run on into the next epoch; each batch sets
 * batch_size to its own length and k to 0, which makes the steps the same as everyone else's.
 */
import convnetjs, { type FullyConnLayer } from 'convnetjs'
import { batchRanges, LR, MOMENTUM, type BenchTrainer, type WorkloadData } from '../workloads.js'

export function setup(data: WorkloadData): BenchTrainer {
  const hidden = data.params.slice(0, -1)
  const net = new convnetjs.Net()
  net.makeLayers([
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: data.features },
    ...hidden.map((p) => ({ type: 'fc', num_neurons: p.outFeatures, activation: 'relu' as const })),
    { type: 'softmax', num_classes: data.classes },
  ])
  // The fc layers in order; each has one filter Vol per output neuron with `in` weights: row o of [out, in].
  const fcs = net.layers.filter((layer): layer is FullyConnLayer => layer.layer_type === 'fc')
  fcs.forEach((fc, l) => {
    const p = data.params[l]
    if (fc.filters.length !== p.outFeatures || fc.filters[0].w.length !== p.inFeatures) throw new Error(`convnetjs: fc layer ${l} is not ${p.inFeatures}→${p.outFeatures}`)
    fc.filters.forEach((filter, o) => filter.w.set(p.weight.subarray(o * p.inFeatures, (o + 1) * p.inFeatures)))
    fc.biases.w.set(p.bias)
  })
  const trainer = new convnetjs.Trainer(net, { method: 'sgd', learning_rate: LR, momentum: MOMENTUM, batch_size: data.spec.batchSize, l2_decay: 0 })

  // The samples as Vols, made before the clock starts (as every system does).
  const f = data.features
  const samples = Array.from({ length: data.n }, (_, i) => {
    const v = new convnetjs.Vol(1, 1, f, 0)
    v.w.set(data.X.subarray(i * f, (i + 1) * f))
    return v
  })
  const batches = batchRanges(data.n, data.spec.batchSize)

  return {
    epoch() {
      for (const [start, end] of batches) {
        trainer.batch_size = end - start
        trainer.k = 0
        for (let i = start; i < end; i++) trainer.train(samples[i], data.y[i])
      }
    },
    evaluate() {
      let loss = 0
      let correct = 0
      for (let i = 0; i < data.n; i++) {
        const p = net.forward(samples[i], false).w
        loss -= Math.log(p[data.y[i]])
        let best = 0
        for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k
        if (best === data.y[i]) correct++
      }
      return { loss: loss / data.n, accuracy: correct / data.n }
    },
  }
}
