/**
 * The softmax family: DESIGN.md's worked numbers, the explicit Jacobian against autograd and
 * finite differences, extreme inputs, temperature errors, properties over random logits, and
 * hardmax, sparsemax and gumbelSoftmax.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  type Tensor, tensor, makeRng, randn, softmax, logSoftmax, mul, sum, gradcheck, jacobian, numericJacobian,
  softmaxJacobian, hardmax, sparsemax, gumbelSoftmax,
} from '../src/index.js'

const values = (t: Tensor): number[] => Array.from(t.data)
const rounded = (xs: readonly number[], digits: number): string[] => xs.map((x) => x.toFixed(digits))

/** The message of the error `fn` throws, or '' when it throws none. */
function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    return (e as Error).message
  }
  return ''
}

/** fast-check: logits as the brief of every property: 1 to 12 doubles in [−50, 50]. */
const logitsArb = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 12 })
const temperatureArb = fc.double({ min: 0.05, max: 20, noNaN: true })
const RUNS = { numRuns: 500 }

describe('softmax reproduces the worked numbers of DESIGN.md', () => {
  it('softmax([4, 2, −1]) is [0.876, 0.118, 0.006], to four decimals [0.8756, 0.1185, 0.0059]', () => {
    const p = values(softmax(tensor([4, 2, -1])))
    expect(rounded(p, 3)).toEqual(rounded([0.876, 0.118, 0.006], 3))
    expect(rounded(p, 4)).toEqual(rounded([0.8756, 0.1185, 0.0059], 4))
  })

  it.each([
    { T: 0.3, expected: [0.999, 0.001, 0.0] },
    { T: 1, expected: [0.876, 0.118, 0.006] },
    { T: 3, expected: [0.587, 0.302, 0.111] },
  ])('softmax([4, 2, −1]) at temperature $T is $expected', ({ T, expected }) => {
    expect(rounded(values(softmax(tensor([4, 2, -1]), { temperature: T })), 3)).toEqual(rounded(expected, 3))
  })

  it('softmax([3, 1, 0.2]) is [0.836, 0.113, 0.051]', () => {
    const p = values(softmax(tensor([3, 1, 0.2])))
    ;[0.836, 0.113, 0.051].forEach((v, i) => expect(Math.abs(p[i] - v)).toBeLessThan(5e-4))
  })

  it('logSoftmax([3, 1, 0.2]) is [−0.179, −2.179, −2.979]', () => {
    const lp = values(logSoftmax(tensor([3, 1, 0.2])))
    ;[-0.179, -2.179, -2.979].forEach((v, i) => expect(Math.abs(lp[i] - v)).toBeLessThan(5e-4))
  })
})

describe('softmaxJacobian', () => {
  for (let K = 2; K <= 10; K++) {
    it(`diag(s) − s sᵀ equals autograd's and the finite-difference Jacobian of softmax for K = ${K}`, () => {
      const z = randn([K], { rng: makeRng(`jacobian ${K}`) })
      const J = softmaxJacobian(softmax(z))
      expect(J.shape).toEqual([K, K])
      const auto = jacobian((x) => softmax(x), z)
      const numeric = numericJacobian((x) => softmax(x), z)
      for (let k = 0; k < K * K; k++) {
        expect(Math.abs(J.data[k] - auto.data[k])).toBeLessThan(1e-7)
        expect(Math.abs(J.data[k] - numeric.data[k])).toBeLessThan(1e-7)
      }
    })
  }

  it('has rows that sum to 0 (a shift of every logit changes nothing)', () => {
    for (let K = 2; K <= 10; K++) {
      const J = softmaxJacobian(softmax(randn([K], { rng: makeRng(`rows ${K}`) })))
      for (let i = 0; i < K; i++) {
        let rowSum = 0
        for (let j = 0; j < K; j++) rowSum += J.data[i * K + j]
        expect(Math.abs(rowSum)).toBeLessThan(1e-15 * K)
      }
    }
  })

  it('names the shape when s is not 1-D', () => {
    expect(errorOf(() => softmaxJacobian(tensor([[0.5, 0.5]])))).toMatch(/^softmaxJacobian: .*1-D.*\[1,2\]/)
  })
})

describe('softmax and logSoftmax stay finite on extreme inputs', () => {
  const cases: Array<{ name: string; z: number[]; temperature?: number }> = [
    { name: '[1000, 0, −1000]', z: [1000, 0, -1000] },
    { name: '[1e300, −1e300]', z: [1e300, -1e300] },
    { name: '[1000, 0, −1000] at T = 0.01', z: [1000, 0, -1000], temperature: 0.01 },
    { name: '[1000, 0, −1000] at T = 100', z: [1000, 0, -1000], temperature: 100 },
    { name: '[1e300, −1e300] at T = 0.01', z: [1e300, -1e300], temperature: 0.01 },
    { name: '[1e300, −1e300] at T = 100', z: [1e300, -1e300], temperature: 100 },
  ]
  for (const { name, z, temperature = 1 } of cases) {
    it(`softmax and logSoftmax of ${name} are finite, and so are their gradients`, () => {
      for (const f of [softmax, logSoftmax]) {
        const x = tensor(z, { requiresGrad: true })
        const out = f(x, { temperature })
        expect(values(out).every(Number.isFinite), f.name).toBe(true)
        out.backward(z.map((_, i) => (i % 2 === 0 ? 0.7 : -1.3)))
        expect(values(x.grad!).every(Number.isFinite), f.name).toBe(true)
      }
      const p = values(softmax(tensor(z), { temperature }))
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
    })
  }

  it('a row of equal values gives the uniform distribution, even at ±1e300', () => {
    for (const v of [5, 1e300, -1e300]) {
      for (const temperature of [0.01, 1, 100]) {
        expect(values(softmax(tensor([v, v, v, v]), { temperature }))).toEqual([0.25, 0.25, 0.25, 0.25])
        for (const lp of values(logSoftmax(tensor([v, v, v, v]), { temperature }))) {
          expect(Math.abs(lp - Math.log(0.25))).toBeLessThan(1e-15)
        }
      }
    }
  })
})

describe('a temperature that is not a finite number > 0 is a clear error', () => {
  const ops: Array<[string, (z: Tensor, temperature: number) => Tensor]> = [
    ['softmax', (z, temperature) => softmax(z, { temperature })],
    ['logSoftmax', (z, temperature) => logSoftmax(z, { temperature })],
    ['gumbelSoftmax', (z, temperature) => gumbelSoftmax(z, { temperature, rng: makeRng(0) })],
  ]
  for (const [op, f] of ops) {
    for (const temperature of [0, -1, NaN, Infinity, -Infinity]) {
      it(`${op} with temperature ${temperature} names the op and the value`, () => {
        const message = errorOf(() => f(tensor([1, 2, 3]), temperature))
        expect(message.startsWith(`${op}: temperature`), message).toBe(true)
        expect(message.endsWith(`got ${String(temperature)}`), message).toBe(true)
      })
    }
  }
})

describe('softmax properties over random logits (fast-check, 500 runs each)', () => {
  it('softmax sums to 1 and lies in [0, 1]', () => {
    fc.assert(
      fc.property(logitsArb, temperatureArb, (z, temperature) => {
        const p = values(softmax(tensor(z), { temperature }))
        expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
        expect(p.every((v) => v >= 0 && v <= 1)).toBe(true)
      }),
      RUNS,
    )
  })

  it('adding the same constant to every logit changes nothing', () => {
    fc.assert(
      fc.property(logitsArb, temperatureArb, fc.double({ min: -100, max: 100, noNaN: true }), (z, temperature, c) => {
        const p = values(softmax(tensor(z), { temperature }))
        const shifted = values(softmax(tensor(z.map((v) => v + c)), { temperature }))
        p.forEach((v, i) => expect(Math.abs(v - shifted[i])).toBeLessThan(1e-9))
      }),
      RUNS,
    )
  })

  it('keeps the argmax when the largest logit is unique by a margin', () => {
    fc.assert(
      fc.property(logitsArb, temperatureArb, (z, temperature) => {
        const top = Math.max(...z)
        const i = z.indexOf(top)
        fc.pre(z.every((v, j) => j === i || v < top - 1e-6))
        expect(softmax(tensor(z), { temperature }).argmax()[0]).toBe(i)
      }),
      RUNS,
    )
  })

  it('a smaller temperature moves toward hardmax: the top probability never falls as T decreases', () => {
    fc.assert(
      fc.property(logitsArb, temperatureArb, temperatureArb, (z, t1, t2) => {
        const [cold, hot] = t1 < t2 ? [t1, t2] : [t2, t1]
        const topCold = Math.max(...values(softmax(tensor(z), { temperature: cold })))
        const topHot = Math.max(...values(softmax(tensor(z), { temperature: hot })))
        expect(topCold).toBeGreaterThanOrEqual(topHot - 1e-12)
      }),
      RUNS,
    )
  })

  it('a larger temperature moves toward uniform: max |p − 1/K| never grows as T increases', () => {
    fc.assert(
      fc.property(logitsArb, temperatureArb, temperatureArb, (z, t1, t2) => {
        fc.pre(z.some((v) => v !== z[0]))
        const [cold, hot] = t1 < t2 ? [t1, t2] : [t2, t1]
        const distance = (temperature: number): number =>
          Math.max(...values(softmax(tensor(z), { temperature })).map((p) => Math.abs(p - 1 / z.length)))
        expect(distance(hot)).toBeLessThanOrEqual(distance(cold) + 1e-12)
      }),
      RUNS,
    )
  })

  it('logSoftmax equals log(softmax) wherever softmax is a normal (not underflowed) number', () => {
    fc.assert(
      fc.property(logitsArb, temperatureArb, (z, temperature) => {
        const p = values(softmax(tensor(z), { temperature }))
        const lp = values(logSoftmax(tensor(z), { temperature }))
        p.forEach((v, i) => {
          expect(Number.isFinite(lp[i])).toBe(true)
          if (v > 1e-300) expect(Math.abs(lp[i] - Math.log(v))).toBeLessThan(1e-9)
        })
      }),
      RUNS,
    )
  })

  it('sparsemax is a distribution with exact zeros for every logit more than 1 below the largest', () => {
    fc.assert(
      fc.property(logitsArb, (z) => {
        const p = values(sparsemax(tensor(z)))
        expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
        expect(p.every((v) => v >= 0 && v <= 1)).toBe(true)
        const top = Math.max(...z)
        z.forEach((v, i) => {
          if (v < top - 1 - 1e-9) expect(p[i]).toBe(0)
        })
      }),
      RUNS,
    )
  })
})

describe('hardmax', () => {
  it('is the one-hot of the argmax along any dim of a 3-D tensor', () => {
    const x = randn([2, 3, 4], { rng: makeRng('hardmax') })
    for (const dim of [0, 1, 2, -1, -2]) {
      const h = hardmax(x, dim)
      expect(h.shape).toEqual([2, 3, 4])
      const d = dim < 0 ? dim + 3 : dim
      const n = x.shape[d]
      const inner = x.shape.slice(d + 1).reduce((p, v) => p * v, 1)
      const outer = x.size / (n * inner)
      const argmax = x.argmax(dim)
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          for (let j = 0; j < n; j++) {
            const expected = j === argmax[o * inner + i] ? 1 : 0
            expect(h.data[(o * n + j) * inner + i], `dim ${dim}`).toBe(expected)
          }
        }
      }
    }
  })

  it('picks the first index at a tie', () => {
    expect(values(hardmax(tensor([1, 3, 3, 0])))).toEqual([0, 1, 0, 0])
  })

  it('passes a zero gradient', () => {
    const x = tensor([0.5, 2, -1], { requiresGrad: true })
    sum(mul(hardmax(x), tensor([1, 2, 3]))).backward()
    expect(values(x.grad!)).toEqual([0, 0, 0])
  })

  it('is what softmax tends to as the temperature goes to 0 (T = 1e-3, distinct logits)', () => {
    const x = tensor([[0.3, -1.2, 2.5, 1.9], [4, 3.1, -2, 0]])
    for (const dim of [0, 1]) {
      const p = values(softmax(x, { dim, temperature: 1e-3 }))
      const h = values(hardmax(x, dim))
      p.forEach((v, i) => expect(Math.abs(v - h[i])).toBeLessThan(1e-12))
    }
  })
})

describe('sparsemax', () => {
  it('sparsemax([1, 0.8, −1]) is [0.6, 0.4, 0]', () => {
    const p = values(sparsemax(tensor([1, 0.8, -1])))
    ;[0.6, 0.4, 0].forEach((v, i) => expect(Math.abs(p[i] - v)).toBeLessThan(1e-15))
    expect(p[2]).toBe(0)
  })

  it('stays finite and sums to 1 for logits of ±1e300', () => {
    expect(values(sparsemax(tensor([1e300, -1e300])))).toEqual([1, 0])
    expect(values(sparsemax(tensor([1e300, 1e300])))).toEqual([0.5, 0.5])
  })

  it('along dim 0 is sparsemax of the transpose along the last dim', () => {
    const x = randn([4, 3], { rng: makeRng('sparsemax dims') })
    const byColumn = sparsemax(x, 0)
    const byRow = sparsemax(x.T, -1).T
    expect(byColumn.shape).toEqual([4, 3])
    values(byColumn).forEach((v, i) => expect(v).toBe(byRow.data[i]))
  })

  it('has a gradient that matches finite differences', () => {
    const x = tensor([[1, 0.8, -1, 0.2], [0.1, -0.3, 0.9, 0.6]], { requiresGrad: true })
    const result = gradcheck((z) => sparsemax(z), [x])
    expect(result.ok, JSON.stringify(result.worst)).toBe(true)
  })

  it('passes no gradient to entries outside the support', () => {
    const x = tensor([1, 0.8, -1], { requiresGrad: true })
    sum(mul(sparsemax(x), tensor([3, -2, 5]))).backward()
    // S = {0, 1}: dZ = g − mean over S = [3 − 0.5, −2 − 0.5, 0]
    expect(values(x.grad!)).toEqual([2.5, -2.5, 0])
  })
})

describe('gumbelSoftmax', () => {
  const logits = tensor([[1.5, 0.2, -0.7, 0.9], [0, 2, 1, -1]])

  it('gives the same sample from the same seed', () => {
    const a = gumbelSoftmax(logits, { rng: makeRng(42) })
    const b = gumbelSoftmax(logits, { rng: makeRng(42) })
    const c = gumbelSoftmax(logits, { rng: makeRng(43) })
    expect(values(a)).toEqual(values(b))
    expect(values(a)).not.toEqual(values(c))
  })

  it('has rows that sum to 1, along any dim', () => {
    for (const [dim, temperature] of [[-1, 1], [0, 0.3], [1, 5]] as const) {
      const y = gumbelSoftmax(logits, { dim, temperature, rng: makeRng(`dim ${dim}`) })
      const sums = values(sum(y, dim))
      sums.forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-12))
    }
  })

  it('in hard mode is exactly one-hot at the soft sample’s argmax', () => {
    const soft = gumbelSoftmax(logits, { temperature: 0.7, rng: makeRng(5) })
    const hard = gumbelSoftmax(logits, { temperature: 0.7, hard: true, rng: makeRng(5) })
    expect(values(hard)).toEqual(values(hardmax(soft)))
    expect(values(hard).every((v) => v === 0 || v === 1)).toBe(true)
  })

  it('in hard mode has the gradient of the soft sample (straight-through)', () => {
    const upstream = tensor([[0.3, -1.1, 2, 0.5], [-0.4, 0.9, 1.3, -2]])
    const gradient = (hard: boolean): number[] => {
      const x = tensor(values(logits), { shape: logits.shape, requiresGrad: true })
      sum(mul(gumbelSoftmax(x, { temperature: 0.7, hard, rng: makeRng(5) }), upstream)).backward()
      return values(x.grad!)
    }
    const soft = gradient(false)
    expect(soft.some((v) => Math.abs(v) > 1e-3)).toBe(true)
    expect(gradient(true)).toEqual(soft)
  })

  it('picks each class as often as softmax(logits) says, over 4000 draws (the Gumbel-max trick)', () => {
    const row = [1.2, 0.4, -0.5, 0]
    const draws = 4000
    const many = tensor(Float64Array.from({ length: draws * row.length }, (_, k) => row[k % row.length]), {
      shape: [draws, row.length],
    })
    const picks = gumbelSoftmax(many, { temperature: 0.5, rng: makeRng('frequency') }).argmax(-1)
    const counts = new Array<number>(row.length).fill(0)
    for (const k of picks) counts[k]++
    const p = values(softmax(tensor(row)))
    counts.forEach((c, k) => expect(Math.abs(c / draws - p[k])).toBeLessThan(0.03))
  })

  it('has a gradient that matches finite differences in soft mode', () => {
    const x = tensor([[1.5, 0.2, -0.7], [0, 2, 1]], { requiresGrad: true })
    const result = gradcheck((z) => gumbelSoftmax(z, { temperature: 0.8, rng: makeRng(9) }), [x])
    expect(result.ok, JSON.stringify(result.worst)).toBe(true)
  })
})
