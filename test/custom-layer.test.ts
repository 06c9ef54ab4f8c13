/**
 * A layer of the user's own, saved and loaded like a built-in one: LayerNorm, written here from
 * public ops only, registered with nn.registerModule, trained, saved to a file and loaded back.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  nn, optim, toy, add, div, mean, mul, sqrt, sub, ones, zeros, makeRng, noGrad, predict,
  encodeModel, decodeModel, saveModel, loadModel, type Tensor,
} from '../src/index.js'

/** y = (x − mean(x)) / √(var(x) + eps) · weight + bias over the last dim (Ba et al., 2016). */
class LayerNorm extends nn.Module {
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
    const centred = sub(x, mean(x, -1, true))
    const variance = mean(mul(centred, centred), -1, true)
    return add(mul(div(centred, sqrt(add(variance, this.eps))), this.weight), this.bias)
  }

  config(): { normalizedShape: number; eps: number } {
    return { normalizedShape: this.normalizedShape, eps: this.eps }
  }

  static fromConfig({ normalizedShape, eps }: { normalizedShape: number; eps: number }): LayerNorm {
    return new LayerNorm(normalizedShape, { eps })
  }
}
nn.registerModule(LayerNorm)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'softgrad-custom-layer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const data = toy.spirals({ n: 90, classes: 3, seed: 0 })

/** Sequential(Linear(2, 16), LayerNorm(16), ReLU, Linear(16, 3)), after a few SGD steps on spirals. */
function trainedModel(): nn.Sequential {
  const rng = makeRng(0)
  const model = new nn.Sequential(new nn.Linear(2, 16, { rng }), new LayerNorm(16), new nn.ReLU(), new nn.Linear(16, 3, { rng }))
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
  const loss = new nn.SoftmaxCrossEntropy()
  for (let step = 0; step < 20; step++) {
    optimizer.zeroGrad()
    loss.forward(model.forward(data.X), data.y).backward()
    optimizer.step()
  }
  return model
}

/** Every number the same to the bit (Object.is: NaN and −0 included), not merely close. */
function expectIdentical(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((v, i) => expect(v, `element ${i}`).toBe(expected[i]))
}

const forward = (model: nn.Module, X: Tensor) => noGrad(() => model.eval().forward(X)).data

describe('a layer of your own (LayerNorm, built from public ops)', () => {
  const model = trainedModel()
  const path = join(dir, 'layernorm.safetensors')
  saveModel(path, model, { classes: ['a', 'b', 'c'] })

  it('trains: its weight and bias move away from ones and zeros', () => {
    const norm = model.layers[1] as LayerNorm
    expect(norm.weight.data.some((v) => v !== 1)).toBe(true)
    expect(norm.bias.data.some((v) => v !== 0)).toBe(true)
  })

  it('is described by its registered name and its config', () => {
    expect(nn.describeModel(model).layers).toEqual([
      { type: 'Linear', inFeatures: 2, outFeatures: 16, bias: true },
      { type: 'LayerNorm', normalizedShape: 16, eps: 1e-5 },
      { type: 'ReLU' },
      { type: 'Linear', inFeatures: 16, outFeatures: 3, bias: true },
    ])
  })

  it('saveModel then loadModel gives the same forward outputs and predictions, bit for bit', () => {
    const { model: loaded, metadata } = loadModel(path)
    expect((loaded as nn.Sequential).layers[1]).toBeInstanceOf(LayerNorm)
    expect(metadata.classes).toEqual(['a', 'b', 'c'])
    expectIdentical(forward(loaded, data.X), forward(model, data.X))
    const [mine, theirs] = [predict(model, data.X), predict(loaded, data.X)]
    expectIdentical(theirs.probs.data, mine.probs.data)
    expect(Array.from(theirs.classes)).toEqual(Array.from(mine.classes))
  })

  it('a program that has not registered LayerNorm cannot load the file, and is told what to do', () => {
    // A separate program: it imports softgrad but not this file, so LayerNorm was never registered.
    const program = `
      import { loadModel } from ${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)}
      try { loadModel(${JSON.stringify(path)}) } catch (e) { console.error(e.message); process.exit(3) }`
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', program], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    expect(run.status, run.stderr).toBe(3)
    expect(run.stderr.trim()).toBe(
      `${path}: model file: the architecture uses layer 'LayerNorm', which this program has not registered; ` +
        'import the file that defines it and call nn.registerModule(LayerNorm) before loading',
    )
  })

  it('a nested Sequential holding the layer round-trips too', () => {
    const rng = makeRng(1)
    const nested = new nn.Sequential(
      new nn.Linear(2, 8, { rng }),
      new nn.Sequential(new LayerNorm(8, { eps: 1e-3 }), new nn.Tanh()),
      new nn.Linear(8, 3, { rng }),
    )
    const { model: loaded } = decodeModel(encodeModel(nested))
    expect(nn.describeModel(loaded)).toEqual(nn.describeModel(nested))
    expect(nn.describeModel(nested).layers).toContainEqual({
      type: 'Sequential', layers: [{ type: 'LayerNorm', normalizedShape: 8, eps: 1e-3 }, { type: 'Tanh' }],
    })
    expect(loaded.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias', '1.0.weight', '1.0.bias', '2.weight', '2.bias'])
    expectIdentical(forward(loaded, data.X), forward(nested, data.X))
  })

  it('a module that was never registered cannot be described or saved, and the error says how to fix it', () => {
    class RMSNorm extends nn.Module {
      forward(x: Tensor): Tensor {
        return div(x, sqrt(mean(mul(x, x), -1, true)))
      }
    }
    const message = 'describeModel: RMSNorm is not registered, so a model file cannot name it; ' +
      'give RMSNorm a config() and a static fromConfig(config), then call nn.registerModule(RMSNorm)'
    expect(() => nn.describeModel(new RMSNorm())).toThrow(message)
    expect(() => saveModel(join(dir, 'rms.safetensors'), new nn.Sequential(new nn.Linear(2, 2), new RMSNorm()))).toThrow(message)
  })
})
