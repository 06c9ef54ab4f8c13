// 15 · a layer and a loss of your own: LayerNorm built from ops and registered, a focal loss, and a training loop written out.
// Then the model saved, loaded back through the registry and checked bit for bit; an unregistered layer is refused by name.
import { mkdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Tensor, accuracy, gather, loadModel, logSoftmax, makeRng, nn, noGrad, ones, optim, recycleBuffers, saveModel, toy, zeros } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const outDir = process.env.SOFTGRAD_OUT ?? fileURLToPath(new URL('../out/', import.meta.url))
mkdirSync(outDir, { recursive: true })

// ── 1. A layer: LayerNorm (Ba et al. 2016) from ops, so autograd gives its backward ─────────────
/** y = (x − mean(x)) / √(var(x) + ε) · weight + bias, over each row's last dim. */
export class LayerNorm extends nn.Module {
  readonly normalizedShape: number
  readonly eps: number
  weight: Tensor
  bias: Tensor

  constructor(normalizedShape: number, { eps = 1e-5 }: { eps?: number } = {}) {
    super()
    this.normalizedShape = normalizedShape
    this.eps = eps
    this.weight = ones([normalizedShape], { requiresGrad: true })
    this.bias = zeros([normalizedShape], { requiresGrad: true })
  }

  forward(x: Tensor): Tensor {
    const centred = x.sub(x.mean(-1, true))
    const variance = centred.mul(centred).mean(-1, true) // the biased variance, as PyTorch's LayerNorm
    return centred.div(variance.add(this.eps).sqrt()).mul(this.weight).add(this.bias)
  }

  /** The constructor's arguments as JSON: what a model file keeps to rebuild the layer. */
  config() {
    return { normalizedShape: this.normalizedShape, eps: this.eps }
  }

  static fromConfig({ normalizedShape, eps }: { normalizedShape: number; eps: number }): LayerNorm {
    return new LayerNorm(normalizedShape, { eps })
  }
}
nn.registerModule(LayerNorm) // now saveModel can write it and loadModel can rebuild it

// ── 2. A loss: focal loss (Lin et al. 2017), −(1 − p_y)^γ · log p_y, averaged over the rows ──────
/** Down-weights the rows the model already gets right; γ = 0 is plain cross-entropy. */
export class FocalLoss implements nn.Loss {
  constructor(readonly gamma = 2) {}

  forward(logits: Tensor, target: Int32Array | readonly number[]): Tensor {
    const logPy = gather(logSoftmax(logits, { dim: -1 }), 1, target) // [N, 1]: log p of each row's label
    const focus = logPy.exp().neg().add(1).pow(this.gamma) //            (1 − p_y)^γ
    return focus.mul(logPy).neg().mean()
  }
}

// ── 3. A training loop written out, each step recycled ──────────────────────────────────────────
const data = toy.spirals({ n: 300, classes: 3, seed: 0 })
const rng = makeRng(0)
const model = new nn.Sequential(new nn.Linear(2, 32, { rng }), new LayerNorm(32), new nn.ReLU(), new nn.Linear(32, 3, { rng }))
const lossFn = new FocalLoss(2)
const optimizer = new optim.Adam(model.parameters(), { lr: 0.02 })
const epochs = quick ? 60 : 400
for (let epoch = 1; epoch <= epochs; epoch++) {
  optimizer.zeroGrad({ setToNone: false })
  const loss = recycleBuffers(() => {
    const l = lossFn.forward(model.forward(data.X), data.y)
    l.backward()
    return l.item() // a number leaves the step; the step's tensors are recycled
  })
  optimizer.step()
  if (epoch === 1 || epoch % (epochs / 4) === 0) console.log(`epoch ${String(epoch).padStart(3)}  focal loss ${loss.toFixed(4)}`)
}
const trained = noGrad(() => model.forward(data.X))
console.log(`training accuracy ${(100 * accuracy(data.y, trained.argmax(-1))).toFixed(1)}%`)

// ── 4. Save, load, compare: the registry rebuilds LayerNorm from its config ─────────────────────
const path = join(outDir, 'layer-norm-spirals.safetensors')
saveModel(path, model, { classes: ['0', '1', '2'] })
console.log(`wrote ${relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path)}`)
const { model: loaded, metadata } = loadModel(path)
const again = noGrad(() => loaded.forward(data.X))
const same = trained.data.every((v, i) => Object.is(v, again.data[i]))
const layers = (metadata.architecture.layers as nn.LayerSpec[]).map((l) => l.type)
console.log(`loaded Sequential(${layers.join(', ')}): outputs identical bit for bit: ${same}`)
if (!same) throw new Error('the loaded model gives different outputs')

// ── 5. A layer nobody registered cannot be saved: the error says what to do ─────────────────────
class Unregistered extends nn.Module {
  forward(x: Tensor): Tensor {
    return x
  }
}
try {
  saveModel(join(outDir, 'never-written.safetensors'), new nn.Sequential(new Unregistered()))
} catch (e) {
  console.log(`saving a model with an unregistered layer: ${(e as Error).message}`)
}
