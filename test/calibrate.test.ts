import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  StandardScaler, fit, loadCsv, makeRng, nn, noGrad, optim, predict, randn, softmax, tensor, trainTestSplit,
  ece, fitTemperature, temperatureScaling, reliabilityDiagram, type ReliabilityBin, type Tensor,
} from '../src/index.js'

/** Made by scripts/pytorch/calibration.py (numpy and torch, float64). */
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/calibration.json', import.meta.url), 'utf8')) as {
  ece: { name: string; probs: number[][]; labels: number[]; binCount: number; ece: number; mce: number; bins: ReliabilityBin[] }[]
  temperature: { name: string; logits: number[][]; labels: number[]; temperature: number; nllAtOne: number; nllAtOptimum: number }[]
}

const nll = (logits: Tensor, y: readonly number[] | Int32Array, temperature: number): number =>
  new nn.SoftmaxCrossEntropy({ temperature }).forward(logits, y).item()

/** Labels drawn from softmax(truth) (so truth is calibrated at T = 1), and the logits of a model `sharpness` times too sure. */
function overconfidentModel(n: number, c: number, sharpness: number, seed: number): { logits: Tensor; y: Int32Array } {
  const rng = makeRng(seed)
  const truth = randn([n, c], { rng }).mul(2)
  const p = softmax(truth).data
  const y = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let u = rng()
    let k = 0
    while (k < c - 1 && (u -= p[i * c + k]) > 0) k++
    y[i] = k
  }
  return { logits: truth.mul(sharpness), y }
}

describe('ece matches the reference script', () => {
  for (const c of fixtures.ece) {
    it(`${c.name}: ECE and MCE to 1e-12, every bin's count exactly, confidence and accuracy to 1e-12`, () => {
      const result = ece(tensor(c.probs), c.labels, { bins: c.binCount })
      expect(Math.abs(result.ece - c.ece)).toBeLessThanOrEqual(1e-12)
      expect(Math.abs(result.mce - c.mce)).toBeLessThanOrEqual(1e-12)
      expect(result.bins.length).toBe(c.binCount)
      result.bins.forEach((bin, b) => {
        const want = c.bins[b]
        expect(bin.lo).toBe(want.lo)
        expect(bin.hi).toBe(want.hi)
        expect(bin.count, `bin ${b}`).toBe(want.count)
        expect(Math.abs(bin.confidence - want.confidence)).toBeLessThanOrEqual(1e-12)
        expect(Math.abs(bin.accuracy - want.accuracy)).toBeLessThanOrEqual(1e-12)
      })
    })
  }
})

describe('ece bins', () => {
  it('a confidence equal to an upper edge k/B counts in the bin that ends there, for every k and B up to 40', () => {
    for (let B = 1; B <= 40; B++) {
      for (let k = 1; k <= B; k++) {
        const conf = k / B
        const result = ece(tensor([[conf, 0]]), [0], { bins: B }) // ece reads the top probability; rows need not sum to 1
        expect(result.bins.findIndex((bin) => bin.count === 1), `${k}/${B}`).toBe(k - 1)
      }
    }
  })

  it('1/15 computed as 1/15 lands in the first bin [0, 1/15], and the next float above it in the second', () => {
    const probs = (p: number) => tensor([[p, ...new Array(19).fill((1 - p) / 19)]])
    expect(ece(probs(1 / 15), [0]).bins[0].count).toBe(1)
    const above = 1 / 15 + 2 ** -56
    expect(above).toBeGreaterThan(1 / 15)
    expect(ece(probs(above), [0]).bins[1].count).toBe(1)
  })

  it('lists all B bins; an empty one has count 0 and confidence and accuracy 0', () => {
    const result = ece(tensor([[0.95, 0.05], [0.99, 0.01]]), [0, 1], { bins: 10 })
    expect(result.bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
    expect(result.bins[3]).toEqual({ lo: 0.3, hi: 0.4, count: 0, confidence: 0, accuracy: 0 })
    expect(result.bins[9].confidence).toBeCloseTo(0.97, 15)
    expect(result.bins[9].accuracy).toBe(0.5)
  })

  it('the top class is the first of tied probabilities', () => {
    expect(ece(tensor([[0.5, 0.5]]), [0], { bins: 2 }).bins[0].accuracy).toBe(1)
    expect(ece(tensor([[0.5, 0.5]]), [1], { bins: 2 }).bins[0].accuracy).toBe(0)
  })
})

describe('ece properties', () => {
  const cases = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.record({
      logits: fc.array(fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
      y: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
      bins: fc.integer({ min: 1, max: 25 }),
    }),
  )

  it('ECE lies in [0, 1], never exceeds MCE, and the counts add up to N', () => {
    fc.assert(fc.property(cases, ({ logits, y, bins }) => {
      const result = ece(softmax(tensor(logits)), y, { bins })
      expect(result.ece).toBeGreaterThanOrEqual(0)
      expect(result.ece).toBeLessThanOrEqual(1)
      expect(result.ece).toBeLessThanOrEqual(result.mce + 1e-15)
      expect(result.bins.reduce((s, b) => s + b.count, 0)).toBe(y.length)
    }))
  })

  it('with one bin ECE is |accuracy − mean confidence|', () => {
    fc.assert(fc.property(cases, ({ logits, y }) => {
      const probs = softmax(tensor(logits))
      const predicted = probs.argmax(-1)
      let confidence = 0
      let right = 0
      for (let i = 0; i < y.length; i++) {
        confidence += Math.max(...probs.data.subarray(i * 3, i * 3 + 3)) / y.length
        if (predicted[i] === y[i]) right += 1 / y.length
      }
      expect(ece(probs, y, { bins: 1 }).ece).toBeCloseTo(Math.abs(right - confidence), 12)
    }))
  })
})

describe('fitTemperature', () => {
  for (const c of fixtures.temperature) {
    it(`equals the reference NLL-optimal temperature to 1e-6 relative: ${c.name}`, () => {
      const logits = tensor(c.logits)
      const T = fitTemperature(logits, c.labels)
      expect(Math.abs(T - c.temperature) / c.temperature).toBeLessThanOrEqual(1e-6)
      expect(nll(logits, c.labels, T)).toBeCloseTo(c.nllAtOptimum, 10)
      expect(nll(logits, c.labels, 1)).toBeCloseTo(c.nllAtOne, 12)
    })
  }

  it('scales with the logits: fitTemperature(k · z) = k · fitTemperature(z)', () => {
    const { logits, y } = overconfidentModel(200, 5, 3, 1)
    const T = fitTemperature(logits, y)
    for (const k of [0.01, 0.5, 7, 1000]) expect(fitTemperature(logits.mul(k), y) / (k * T)).toBeCloseTo(1, 9)
  })

  it('three rows right and one wrong by the same logit gap g give T = g / ln 3 (then p = 3/4), even for g = 1e-10', () => {
    for (const g of [2, 1e-10]) {
      const T = fitTemperature(tensor([[g, 0], [g, 0], [g, 0], [0, g]]), [0, 0, 0, 0])
      expect(Math.abs(T - g / Math.log(3)) / T).toBeLessThanOrEqual(1e-12)
    }
  })

  it('finds T ≈ 3 for a model three times too sure of itself, and accepts number[] labels', () => {
    const { logits, y } = overconfidentModel(4000, 6, 3, 2)
    const T = fitTemperature(logits, Array.from(y))
    expect(T).toBeGreaterThan(2.7)
    expect(T).toBeLessThan(3.3)
  })

  it('the NLL at T is lower than at T · (1 ± 1e-3)', () => {
    const { logits, y } = overconfidentModel(300, 4, 0.5, 3)
    const T = fitTemperature(logits, y)
    expect(nll(logits, y, T)).toBeLessThan(nll(logits, y, T * 1.001))
    expect(nll(logits, y, T)).toBeLessThan(nll(logits, y, T / 1.001))
  })
})

describe('temperature scaling fixes overconfidence without changing accuracy', () => {
  it('a synthetic model four times too sure: test ECE falls by at least half, the predicted classes stay the same', () => {
    const validation = overconfidentModel(2000, 10, 4, 10)
    const test = overconfidentModel(2000, 10, 4, 11)
    const T = fitTemperature(validation.logits, validation.y)
    const before = ece(softmax(test.logits), test.y)
    const after = ece(softmax(test.logits, { temperature: T }), test.y)
    expect(after.ece).toBeLessThanOrEqual(before.ece / 2)
    expect(softmax(test.logits, { temperature: T }).argmax(-1)).toEqual(test.logits.argmax(-1))
  })

  it('digits, a 64-256-10 MLP overfitted on 162 images (seed 0, 30 epochs): test ECE at least halves, accuracy unchanged', () => {
    const { X, y } = loadCsv(fileURLToPath(new URL('../datasets/digits.csv', import.meta.url)), { label: 'digit' })
    const seed = 0
    const { XTrain: XRest, yTrain: yRest, XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.4, seed })
    const { XTrain, yTrain, XTest: XVal, yTest: yVal } = trainTestSplit(XRest, yRest, { testFraction: 0.85, seed })
    const scaler = new StandardScaler().fit(XTrain)
    const rng = makeRng(seed)
    const model = new nn.Sequential(new nn.Linear(64, 256, { rng }), new nn.ReLU(), new nn.Linear(256, 10, { rng }))
    const history = fit(model, { X: scaler.transform(XTrain), y: yTrain }, {
      optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), epochs: 30, batchSize: 32, seed,
    })
    expect(history[history.length - 1].accuracy).toBe(1)
    model.eval()
    const T = fitTemperature(noGrad(() => model.forward(scaler.transform(XVal))), yVal)
    const before = predict(model, scaler.transform(XTest))
    const after = predict(model, scaler.transform(XTest), { temperature: T })
    expect(T).toBeGreaterThan(1)
    expect(ece(after.probs, yTest).ece).toBeLessThanOrEqual(ece(before.probs, yTest).ece / 2)
    expect(after.classes).toEqual(before.classes)
  }, 30_000)
})

describe('calibration errors teach', () => {
  const probs = tensor([[0.7, 0.3], [0.4, 0.6]])
  it('ece: labels and rows of different lengths', () => {
    expect(() => ece(probs, [0])).toThrow('ece: probs has 2 rows (shape [2,2]) but y has 1 labels; give one label per row')
  })
  it('ece: a label out of range or not whole', () => {
    expect(() => ece(probs, [0, 2])).toThrow('ece: y[1] is 2, but labels must be class indices 0 … 1 for 2 classes')
    expect(() => ece(probs, [0.5, 1])).toThrow('ece: y[0] is 0.5')
    expect(() => ece(probs, [-1, 1])).toThrow('ece: y[0] is -1')
  })
  it('ece: probs that are not [N, C], or not probabilities', () => {
    expect(() => ece(tensor([0.7, 0.3]), [0])).toThrow('ece: probs must have shape [N, C] (one row per example, one column per class), got [2]')
    expect(() => ece(tensor([[2, -1]]), [0])).toThrow('ece: probs[0][0] is 2; probabilities must lie in [0, 1] (pass softmax(logits), not the logits)')
    expect(() => ece(tensor([[Number.NaN, 1]]), [0])).toThrow('ece: probs[0][0] is NaN')
  })
  it('ece: bins must be a whole number ≥ 1', () => {
    for (const bins of [0, -3, 2.5, Number.NaN, Infinity]) expect(() => ece(probs, [0, 1], { bins })).toThrow(`ece: bins must be a whole number ≥ 1, got ${bins}`)
  })
  it('fitTemperature: logits and labels of different lengths', () => {
    expect(() => fitTemperature(tensor([[1, 0], [0, 1], [1, 1]]), [0, 1])).toThrow(
      'fitTemperature: logits has 3 rows (shape [3,2]) but y has 2 labels; give one label per row',
    )
  })
  it('fitTemperature: labels out of range', () => {
    expect(() => fitTemperature(tensor([[1, 0], [0, 1]]), new Int32Array([0, 5]))).toThrow(
      'fitTemperature: y[1] is 5, but labels must be class indices 0 … 1 for 2 classes',
    )
  })
  it('fitTemperature: logits not [N, C], non-finite, or one class', () => {
    expect(() => fitTemperature(tensor([[[1, 2]]]), [0])).toThrow('fitTemperature: logits must have shape [N, C]')
    expect(() => fitTemperature(tensor([[1, Infinity], [0, 1]]), [0, 1])).toThrow('fitTemperature: logits[0][1] is Infinity; every logit must be a finite number')
    expect(() => fitTemperature(tensor([[1], [2]]), [0, 0])).toThrow('fitTemperature: logits has 1 class')
  })
  it('fitTemperature: perfectly separated logits have no finite optimum (the NLL falls as T → 0)', () => {
    expect(() => fitTemperature(tensor([[3, 1], [0, 2]]), [0, 1])).toThrow(/perfectly separated.*T → 0/)
  })
  it('fitTemperature: logits no better than uniform have no finite optimum (the NLL falls as T → ∞)', () => {
    expect(() => fitTemperature(tensor([[3, 1], [0, 2]]), [1, 0])).toThrow(/no finite temperature.*T → ∞|T → ∞.*no finite temperature/)
  })
  it('fitTemperature: an optimal 1/T too large to multiply the largest logit by is an error, not NaN', () => {
    // the rows with gap 1e-10 want 1/T ≈ 1e10, but 1e10 · 1e300 overflows
    const logits = tensor([[1e300, 1e300], [1e-10, 0], [1e-10, 0], [1e-10, 0], [0, 1e-10]])
    expect(() => fitTemperature(logits, [0, 0, 0, 0, 0])).toThrow('fitTemperature: the optimal 1/T overflows; the logits are separated by gaps too small to scale')
  })
})

describe('reliabilityDiagram', () => {
  it('draws one accuracy bar and one gap per non-empty bin, the diagonal, the counts, and ECE under the title', () => {
    const result = ece(tensor([[0.95, 0.05], [0.99, 0.01], [0.6, 0.4]]), [0, 1, 0], { bins: 10 })
    const svg = reliabilityDiagram(result, { title: 'a <test>' })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg).toContain('<title>a &lt;test&gt;</title>')
    expect(svg).toContain(`ECE ${Number(result.ece.toFixed(4))} · MCE ${Number(result.mce.toFixed(4))} · 10 bins · 3 rows`)
    const group = (name: string) => svg.split(`<g class="${name}">`)[1].split('</g>')[0]
    expect(group('bars').match(/<rect/g)).toHaveLength(2)
    expect(group('gaps').match(/<rect/g)).toHaveLength(2)
    expect(group('counts')).toContain('>2</text>')
    expect(svg).not.toMatch(/NaN|undefined/)
  })
  it('refuses something that is not an ece result', () => {
    expect(() => reliabilityDiagram({ ece: 0, mce: 0, bins: [] })).toThrow('reliabilityDiagram: pass the result of ece(probs, y)')
  })
})

describe('a model carries its fitted temperature', () => {
  it('predict uses calibratedTemperature, an explicit temperature wins, and model files keep it', async () => {
    const { encodeModel, decodeModel } = await import('../src/index.js')
    const model = new nn.Sequential(new nn.Linear(2, 3, { rng: makeRng(1) }))
    const X = tensor([[1, -2], [0.5, 3]])
    const atT = (T: number) => Array.from(predict(model, X, { temperature: T }).probs.data)
    model.calibratedTemperature = 2.5
    expect(Array.from(predict(model, X).probs.data)).toEqual(atT(2.5))
    expect(Array.from(predict(model, X, { temperature: 1 }).probs.data)).toEqual(atT(1))
    const { model: loaded, metadata } = decodeModel(encodeModel(model))
    expect(metadata.temperature).toBe(2.5)
    expect(loaded.calibratedTemperature).toBe(2.5)
    expect(Array.from(predict(loaded, X).probs.data)).toEqual(atT(2.5))
  })
})

describe('temperatureScaling', () => {
  it('fits T on the held-out logits and measures the test logits at T = 1 and at T', () => {
    const rng = makeRng(11)
    const overconfident = (n: number) => {
      const logits = randn([n, 4], { rng }).mul(6)
      const labels = Int32Array.from({ length: n }, (_, i) => (rng() < 0.7 ? (logits.argmax(1)[i] as number) : Math.floor(rng() * 4)))
      return { logits, labels }
    }
    const held = overconfident(200)
    const test = overconfident(150)
    const report = temperatureScaling(held.logits, held.labels, test.logits, test.labels)
    expect(report.temperature).toBe(fitTemperature(held.logits, held.labels))
    expect(report.temperature).toBeGreaterThan(1) // logits ×6 with 30% of labels random: overconfident
    for (const [T, measured] of [[1, report.before], [report.temperature, report.after]] as const) {
      expect(measured.ece).toEqual(ece(softmax(test.logits, { temperature: T }), test.labels))
      expect(measured.nll).toBe(new nn.SoftmaxCrossEntropy({ temperature: T }).forward(test.logits, test.labels).item())
    }
    expect(report.after.nll).toBeLessThan(report.before.nll)
  })
})
