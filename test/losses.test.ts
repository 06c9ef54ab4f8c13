import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import {
  nn, tensor, randn, makeRng, gradcheck, softmax, logSoftmax, gather, mean, sigmoid, type Tensor,
} from '../src/index.js'

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/cross-entropy.json', import.meta.url), 'utf8'))

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label = '') => {
  expect(a.length, label).toBe(b.length)
  for (let i = 0; i < a.length; i++) {
    expect(Math.abs(a[i] - b[i]), `${label} at ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])))
  }
}

const logitsFixture = () => tensor(fixtures.logits, { requiresGrad: true })
const flat = (rows: number[][]) => rows.flat()

interface CeCase {
  reduction: 'none' | 'mean' | 'sum'
  labelSmoothing: number
  weighted: boolean
  target: 'index' | 'ignored' | 'soft'
  temperature: number
  loss: number[]
  grad: number[][]
}

function targetOf(kind: CeCase['target']): Int32Array | Tensor {
  if (kind === 'soft') return tensor(fixtures.soft)
  return Int32Array.from(kind === 'index' ? fixtures.labels : fixtures.labelsIgnored)
}

interface ComboOptions {
  reduction: 'none' | 'mean' | 'sum'
  labelSmoothing: number
  temperature: number
  weight?: number[]
}

/**
 * torch's cross-entropy built from differentiable ops, the slow way the fused op avoids: class
 * indices give (1−ε)·(−w_y log p_y) + (ε/C)·(−Σ_c w_c log p_c) per row, and the mean divides by
 * Σ w_y over the rows kept; probabilities qₙ give −Σ_c w_c((1−ε)q_c + ε/C) log p_c, and the mean divides by N.
 */
function composedCrossEntropy(
  z: Tensor,
  target: readonly number[] | Tensor,
  options: ComboOptions & { ignoreIndex: number },
): Tensor {
  const [n, c] = z.shape
  const { reduction, labelSmoothing: eps, temperature, ignoreIndex } = options
  const w = options.weight ?? new Array<number>(c).fill(1)
  const logP = logSoftmax(z, { temperature })
  let rows: Tensor
  let divisor: number
  if (Array.isArray(target)) {
    const kept = target.map((y) => y !== ignoreIndex)
    const labelWeight = tensor(target.map((y, i) => (kept[i] ? w[y] : 0)))
    const nll = gather(logP, 1, target.map((y, i) => (kept[i] ? y : 0))).reshape([n]).mul(labelWeight).neg()
    const smoothing = logP.mul(tensor(w)).sum(1).mul(tensor(kept.map(Number))).neg()
    rows = nll.mul(1 - eps).add(smoothing.mul(eps / c))
    divisor = target.reduce((total, y, i) => total + (kept[i] ? w[y] : 0), 0)
  } else {
    const q = (target as Tensor).data
    const a = tensor(Array.from(q, (qk, k) => w[k % c] * ((1 - eps) * qk + eps / c)), { shape: [n, c] })
    rows = logP.mul(a).sum(1).neg()
    divisor = n
  }
  return reduction === 'none' ? rows : reduction === 'sum' ? rows.sum() : rows.sum().div(divisor)
}

describe('SoftmaxCrossEntropy matches torch.nn.CrossEntropyLoss', () => {
  for (const c of fixtures.crossEntropy as CeCase[]) {
    const name = `reduction ${c.reduction}, smoothing ${c.labelSmoothing}, ${c.weighted ? 'weighted' : 'unweighted'}, ${c.target} targets, T ${c.temperature}`
    it(`in value and gradient: ${name}`, () => {
      const z = logitsFixture()
      const loss = new nn.SoftmaxCrossEntropy({
        reduction: c.reduction,
        labelSmoothing: c.labelSmoothing,
        weight: c.weighted ? fixtures.weight : undefined,
        temperature: c.temperature,
      }).forward(z, targetOf(c.target))
      close(loss.data, c.loss, 1e-12)
      loss.backward(c.reduction === 'none' ? fixtures.upstream : undefined)
      close(z.grad!.data, flat(c.grad), 1e-12)
    })
  }

  it('CrossEntropyLoss is the same loss under PyTorch’s name', () => {
    const z = logitsFixture()
    const a = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(z, fixtures.labels).item()
    const b = new nn.SoftmaxCrossEntropy({ labelSmoothing: 0.1 }).forward(z, fixtures.labels).item()
    expect(a).toBe(b)
  })
})

describe('the fused backward is p − y', () => {
  it('the plain backward is exactly p − onehot(y) scaled by 1/N: bit for bit with p = exp(logSoftmax(z)), to 1e-15 with p = softmax(z)', () => {
    const rng = makeRng(4)
    const [n, c] = [6, 5]
    const z = randn([n, c], { rng, requiresGrad: true })
    const y = Int32Array.from({ length: n }, () => Math.floor(rng() * c))
    new nn.SoftmaxCrossEntropy().forward(z, y).backward()
    const pMinusY = (p: ArrayLike<number>) => Array.from(p, (pk, k) => (1 / n) * (pk - (k % c === y[Math.floor(k / c)] ? 1 : 0)))
    expect(Array.from(z.grad!.data)).toEqual(pMinusY(Array.from(logSoftmax(z.detach()).data, Math.exp)))
    close(z.grad!.data, pMinusY(softmax(z.detach()).data), 1e-15)
  })

  it('rows left out by ignoreIndex get a zero gradient, also when every row is left out (the mean is then 0/0 = NaN)', () => {
    const z = tensor([[1, 2, 3], [0, 0, 1]], { requiresGrad: true })
    new nn.SoftmaxCrossEntropy({ labelSmoothing: 0.1, weight: [1, 2, 3] }).forward(z, [2, -100]).backward()
    expect(Array.from(z.grad!.data.subarray(3))).toEqual([0, 0, 0])
    expect(z.grad!.data.subarray(0, 3).some((g) => g !== 0)).toBe(true)
    const none = tensor([[1, 2, 3], [0, 0, 1]], { requiresGrad: true })
    const loss = new nn.SoftmaxCrossEntropy({ labelSmoothing: 0.1 }).forward(none, [-100, -100])
    expect(loss.item()).toBeNaN()
    loss.backward()
    expect(Array.from(none.grad!.data)).toEqual([0, 0, 0, 0, 0, 0])
  })

  const combos: Array<[string, ComboOptions, 'index' | 'ignored' | 'soft']> = []
  for (const reduction of ['none', 'mean', 'sum'] as const)
    for (const labelSmoothing of [0, 0.2])
      for (const weighted of [false, true])
        for (const target of ['index', 'ignored', 'soft'] as const)
          for (const temperature of [1, 0.5, 3]) {
            const options = { reduction, labelSmoothing, temperature, weight: weighted ? [0.5, 2, 1, 1.5] : undefined }
            combos.push([`${reduction}, ε ${labelSmoothing}, ${weighted ? 'weighted' : 'unweighted'}, ${target}, T ${temperature}`, options, target])
          }

  it(`passes gradcheck for all ${combos.length} combinations of reduction × smoothing × weights × targets × ignoreIndex × temperature`, () => {
    const rng = makeRng(5)
    const labels = [3, 0, 2, 1, 1]
    const ignored = [3, 7, 2, 7, 1] // 7 is ignoreIndex here: rows 1 and 3 are left out
    const soft = softmax(randn([5, 4], { rng }))
    for (const [name, options, target] of combos) {
      const z = randn([5, 4], { rng, requiresGrad: true })
      const loss = new nn.SoftmaxCrossEntropy({ ...options, ignoreIndex: 7 })
      const t = target === 'soft' ? soft : target === 'index' ? labels : ignored
      const result = gradcheck((x) => loss.forward(x, t), [z])
      expect(result.ok, `${name}: ${JSON.stringify(result.worst)}`).toBe(true)
    }
  })

  it(`equals the composed path (1−ε)·NLL_w + (ε/C)·smoothing through logSoftmax → gather → mul → sum, to 1e-12, in all ${combos.length} combinations`, () => {
    const rng = makeRng(11)
    const labels = [3, 0, 2, 1, 1]
    const ignored = [3, 7, 2, 7, 1]
    const soft = softmax(randn([5, 4], { rng }))
    for (const [name, options, target] of combos) {
      const z1 = randn([5, 4], { rng, requiresGrad: true })
      const z2 = tensor(Float64Array.from(z1.data), { shape: [5, 4], requiresGrad: true })
      const t = target === 'soft' ? soft : target === 'index' ? labels : ignored
      const fused = new nn.SoftmaxCrossEntropy({ ...options, ignoreIndex: 7 }).forward(z1, t)
      const composed = composedCrossEntropy(z2, t, { ...options, ignoreIndex: 7 })
      close(fused.data, composed.data, 1e-12, `${name}, loss`)
      const upstream = fused.shape.length === 0 ? undefined : Array.from({ length: 5 }, () => rng() - 0.5)
      fused.backward(upstream)
      composed.backward(upstream)
      close(z1.grad!.data, z2.grad!.data, 1e-12, `${name}, gradient`)
    }
  })

  it('equals the composed path logSoftmax → gather → mean in value and gradient', () => {
    const rng = makeRng(6)
    const z1 = randn([6, 3], { rng, requiresGrad: true })
    const z2 = tensor(Float64Array.from(z1.data), { shape: [6, 3], requiresGrad: true })
    const y = [0, 2, 1, 1, 0, 2]
    const fused = new nn.SoftmaxCrossEntropy().forward(z1, y)
    const composed = mean(gather(logSoftmax(z2), 1, y)).neg()
    expect(Math.abs(fused.item() - composed.item())).toBeLessThan(1e-14)
    fused.backward()
    composed.backward()
    close(z1.grad!.data, z2.grad!.data, 1e-14)
  })

  it('each row of the loss gradient sums to 0 (fast-check, 500 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (n, c, seed, labelSmoothing, weighted) => {
          const rng = makeRng(seed)
          const z = randn([n, c], { rng, requiresGrad: true })
          const y = Array.from({ length: n }, () => Math.floor(rng() * c))
          const weight = weighted ? Array.from({ length: c }, () => 0.1 + rng()) : undefined
          new nn.SoftmaxCrossEntropy({ labelSmoothing, weight, reduction: 'sum' }).forward(z, y).backward()
          for (let i = 0; i < n; i++) {
            let s = 0
            for (let k = 0; k < c; k++) s += z.grad!.data[i * c + k]
            if (Math.abs(s) > 1e-12) return false
          }
          return true
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('NLLLoss matches torch.nn.NLLLoss', () => {
  for (const c of fixtures.nll as Array<{ reduction: 'none' | 'mean' | 'sum'; weighted: boolean; target: 'index' | 'ignored'; loss: number[]; grad: number[][] }>) {
    it(`reduction ${c.reduction}, ${c.weighted ? 'weighted' : 'unweighted'}, ${c.target} targets`, () => {
      const z = logitsFixture()
      const loss = new nn.NLLLoss({ reduction: c.reduction, weight: c.weighted ? fixtures.weight : undefined }).forward(
        logSoftmax(z),
        c.target === 'index' ? fixtures.labels : fixtures.labelsIgnored,
      )
      close(loss.data, c.loss, 1e-12)
      loss.backward(c.reduction === 'none' ? fixtures.upstream : undefined)
      close(z.grad!.data, flat(c.grad), 1e-12)
    })
  }
})

describe('extreme inputs stay finite', () => {
  const ce = new nn.SoftmaxCrossEntropy()

  it('a confident right answer has loss ≈ 0 and a confident wrong one ≈ the logit gap', () => {
    const z = tensor([[1000, 0, -1000]], { requiresGrad: true })
    expect(ce.forward(z, [0]).item()).toBeLessThan(1e-300)
    expect(ce.forward(z, [1]).item()).toBeCloseTo(1000, 9)
    expect(ce.forward(z, [2]).item()).toBeCloseTo(2000, 9)
    ce.forward(z, [2]).backward()
    expect(Array.from(z.grad!.data).every(Number.isFinite)).toBe(true)
  })

  it('logits of ±1e300, equal logits, and temperatures 0.01 and 100 give no NaN or Inf', () => {
    const cases: Array<[number[][], number[], number]> = [
      [[[1e300, -1e300]], [0], 1],
      [[[1e300, -1e300]], [1], 1],
      [[[5, 5, 5, 5]], [2], 1],
      [[[1000, 0, -1000]], [1], 0.01],
      [[[1000, 0, -1000]], [2], 100],
    ]
    for (const [values, y, temperature] of cases) {
      const z = tensor(values, { requiresGrad: true })
      const loss = new nn.SoftmaxCrossEntropy({ temperature }).forward(z, y)
      expect(Number.isFinite(loss.item()), `${values} T=${temperature}`).toBe(true)
      loss.backward()
      expect(Array.from(z.grad!.data).every(Number.isFinite)).toBe(true)
    }
    expect(ce.forward(tensor([[5, 5, 5, 5]]), [2]).item()).toBeCloseTo(Math.log(4), 14)
    expect(ce.forward(tensor([[1e300, -1e300]]), [1]).item()).toBe(2e300)
  })

  it('BCEWithLogits is stable at ±1000 and its gradient is σ(x) − y', () => {
    const x = tensor([-1000, -3, 0, 2, 1000], { requiresGrad: true })
    const y = tensor([1, 0, 1, 1, 0])
    const loss = new nn.BCEWithLogitsLoss({ reduction: 'sum' }).forward(x, y)
    expect(loss.item()).toBeCloseTo(2000 + Math.log1p(Math.exp(-3)) + Math.log(2) + Math.log1p(Math.exp(-2)), 9)
    loss.backward()
    const s = sigmoid(x.detach()).data
    close(x.grad!.data, Array.from(s, (v, i) => v - y.data[i]), 1e-15)
  })
})

describe('BCEWithLogitsLoss and MSELoss', () => {
  it('BCEWithLogits equals −[y log σ(x) + (1−y) log(1−σ(x))] for moderate logits, with weights and reductions', () => {
    const rng = makeRng(7)
    const x = randn([3, 4], { rng })
    const y = tensor(Float64Array.from({ length: 12 }, () => rng()), { shape: [3, 4] })
    const s = sigmoid(x).data
    const naive = Array.from(s, (p, i) => -(y.data[i] * Math.log(p) + (1 - y.data[i]) * Math.log(1 - p)))
    close(new nn.BCEWithLogitsLoss({ reduction: 'none' }).forward(x, y).data, naive, 1e-12)
    const w = [1, 2, 0.5, 3]
    const weighted = naive.reduce((t, v, i) => t + v * w[i % 4], 0) / 12
    expect(new nn.BCEWithLogitsLoss({ weight: w }).forward(x, y).item()).toBeCloseTo(weighted, 12)
  })

  it('BCEWithLogits and MSE pass gradcheck', () => {
    const rng = makeRng(8)
    const x = randn([3, 4], { rng, requiresGrad: true })
    const y = tensor(Float64Array.from({ length: 12 }, () => rng()), { shape: [3, 4] })
    expect(gradcheck((t) => new nn.BCEWithLogitsLoss().forward(t, y), [x]).ok).toBe(true)
    expect(gradcheck((t) => new nn.MSELoss({ reduction: 'none' }).forward(t, y), [x]).ok).toBe(true)
  })

  it('MSELoss is the mean of squared differences', () => {
    expect(new nn.MSELoss().forward(tensor([1, 2, 3]), tensor([1, 0, 0])).item()).toBeCloseTo(13 / 3, 14)
    expect(new nn.MSELoss({ reduction: 'sum' }).forward(tensor([1, 2, 3]), tensor([1, 0, 0])).item()).toBe(13)
  })
})

describe('bad input is a clear error', () => {
  const z = tensor([[1, 2, 3], [4, 5, 6]])

  it('a label outside [0, C) that is not ignoreIndex', () => {
    expect(() => new nn.SoftmaxCrossEntropy().forward(z, [0, 3])).toThrow('SoftmaxCrossEntropy: label 3 at row 1 is outside [0, 3) for 3 classes (ignoreIndex is -100)')
    expect(() => new nn.SoftmaxCrossEntropy().forward(z, [-1, 0])).toThrow(/label -1 at row 0/)
    expect(() => new nn.NLLLoss().forward(z, [0, 5])).toThrow(/NLLLoss: label 5 at row 1/)
    expect(new nn.SoftmaxCrossEntropy({ ignoreIndex: 9 }).forward(z, [9, 0]).item()).toBeGreaterThan(0)
  })

  it('soft targets whose rows do not sum to 1', () => {
    expect(() => new nn.SoftmaxCrossEntropy().forward(z, tensor([[0.5, 0.5, 0], [0.5, 0.25, 0]]))).toThrow(
      /soft target row 1 sums to 0.75, not 1/,
    )
  })

  it('mismatched shapes and counts', () => {
    expect(() => new nn.SoftmaxCrossEntropy().forward(z, [0])).toThrow(/1 labels for 2 rows of logits \[2,3\]/)
    expect(() => new nn.SoftmaxCrossEntropy().forward(z, tensor([[1, 0, 0]]))).toThrow(/probability targets must have the logits' shape \[2,3\], got \[1,3\]/)
    expect(() => new nn.SoftmaxCrossEntropy().forward(tensor([1, 2, 3]), [0])).toThrow(/logits must be \[N, C\].*got \[3\]/)
    expect(() => new nn.SoftmaxCrossEntropy({ weight: [1, 2] }).forward(z, [0, 1])).toThrow(/weight has 2 entries for 3 classes/)
    expect(() => new nn.BCEWithLogitsLoss().forward(z, tensor([1, 0, 1]))).toThrow(/BCEWithLogitsLoss: target \[3\] must have the logits' shape \[2,3\]/)
    expect(() => new nn.MSELoss().forward(z, tensor([1]))).toThrow(/MSELoss: input \[2,3\] and target \[1\]/)
  })

  it('a temperature ≤ 0 or NaN', () => {
    for (const temperature of [0, -1, Number.NaN]) {
      expect(() => new nn.SoftmaxCrossEntropy({ temperature }).forward(z, [0, 1])).toThrow(
        `SoftmaxCrossEntropy: temperature must be a finite number > 0, got ${temperature}`,
      )
      expect(() => new nn.Softmax({ temperature })).toThrow(/nn.Softmax: temperature must be a finite number > 0/)
    }
  })
})

describe('nn.Softmax and nn.LogSoftmax layers', () => {
  it('apply softmax and logSoftmax over their dim at their temperature', () => {
    const x = tensor([[4, 2, -1], [3, 1, 0.2]])
    close(new nn.Softmax({ temperature: 3 }).forward(x).data, softmax(x, { temperature: 3 }).data, 0)
    close(new nn.LogSoftmax({ dim: 0 }).forward(x).data, logSoftmax(x, { dim: 0 }).data, 0)
    expect(new nn.Softmax().parameters()).toEqual([])
  })
})
