/**
 * softgrad, the way its README trains: nn.Sequential of nn.Linear and nn.ReLU,
 * nn.SoftmaxCrossEntropy (batch mean) and optim.SGD, which is torch.optim.SGD's rule exactly:
 * b ← g on the first step, then b ← μ·b + g; θ ← θ − lr·b. Float64 throughout.
 *
 * Two loops, the same numbers: 'fit' is the loop fit runs (gradients zeroed in place, each step
 * inside recycleBuffers); 'plain' is the README's first loop (zeroGrad() and nothing else).
 */
import { nn, noGrad, optim, recycleBuffers, Tensor } from '../../src/index.js'
import { batchRanges, LR, MOMENTUM, type BenchTrainer, type WorkloadData } from '../workloads.js'

export function setup(data: WorkloadData, loop: 'fit' | 'plain'): BenchTrainer {
  const layers: nn.Module[] = []
  data.params.forEach((p, l) => {
    if (l > 0) layers.push(new nn.ReLU())
    const linear = new nn.Linear(p.inFeatures, p.outFeatures)
    linear.weight.data.set(p.weight) // both [out, in]
    linear.bias!.data.set(p.bias)
    layers.push(linear)
  })
  const model = new nn.Sequential(...layers)
  const loss = new nn.SoftmaxCrossEntropy()
  const optimizer = new optim.SGD(model.parameters(), { lr: LR, momentum: MOMENTUM })

  // The batches, made before the clock starts (as every system does).
  const f = data.features
  const batches = batchRanges(data.n, data.spec.batchSize).map(([start, end]) => ({
    X: new Tensor(data.X.slice(start * f, end * f), [end - start, f]),
    y: data.y.slice(start, end),
  }))
  const all = new Tensor(data.X, [data.n, f])

  return {
    epoch() {
      if (loop === 'plain') {
        for (const { X, y } of batches) {
          optimizer.zeroGrad()
          loss.forward(model.forward(X), y).backward()
          optimizer.step()
        }
        return
      }
      for (const { X, y } of batches) {
        // fit's loop: gradients zeroed in place, and each step's arrays recycled by the next,
        // so after the first step the loop allocates nothing.
        optimizer.zeroGrad({ setToNone: false })
        recycleBuffers(() => loss.forward(model.forward(X), y).backward())
        optimizer.step()
      }
    },
    evaluate() {
      return noGrad(() => {
        const logits = model.forward(all)
        const predicted = logits.argmax(1)
        let correct = 0
        for (let i = 0; i < data.n; i++) if (predicted[i] === data.y[i]) correct++
        return { loss: loss.forward(logits, data.y).item(), accuracy: correct / data.n }
      })
    },
  }
}
