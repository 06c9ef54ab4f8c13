import { describe, expect, it } from 'vitest'
import { makeRng, manualSeed, randn, rand, checkSeed, SEED_MIN, SEED_MAX, toy, trainTestSplit, batches, nn, fit, tensor } from '../src/index.js'

describe('seeded randomness', () => {
  it('makeRng(0) and makeRng("0") give the same stream', () => {
    const a = makeRng(0)
    const b = makeRng('0')
    for (let i = 0; i < 5; i++) expect(a()).toBe(b())
  })

  it('the same seed gives the same tensor and another seed a different one', () => {
    const a = randn([10], { rng: makeRng(7) })
    const b = randn([10], { rng: makeRng(7) })
    const c = randn([10], { rng: makeRng(8) })
    expect(Array.from(a.data)).toEqual(Array.from(b.data))
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data))
  })

  it('manualSeed resets the default generator used when no rng is given', () => {
    manualSeed(3)
    const first = rand([4]).toArray()
    manualSeed(3)
    expect(rand([4]).toArray()).toEqual(first)
  })

  it('randn has mean ≈ 0 and variance ≈ 1; rand lies in [0, 1)', () => {
    const x = randn([20000], { rng: makeRng(1) }).data
    const m = x.reduce((s, v) => s + v, 0) / x.length
    const v = x.reduce((s, t) => s + (t - m) ** 2, 0) / x.length
    expect(Math.abs(m)).toBeLessThan(0.03)
    expect(Math.abs(v - 1)).toBeLessThan(0.05)
    const u = rand([1000], { rng: makeRng(2) }).data
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...u)).toBeLessThan(1)
  })
})

describe('one seed range everywhere: whole numbers from SEED_MIN to SEED_MAX', () => {
  const bad = [-1, 1.5, SEED_MAX + 1, Number.NaN, Infinity]

  it('checkSeed passes 0, 7 and 4294967295 through and refuses the rest, naming the caller and the range', () => {
    expect([SEED_MIN, SEED_MAX]).toEqual([0, 4294967295])
    for (const seed of [0, 7, SEED_MAX]) expect(checkSeed(seed, 'here')).toBe(seed)
    for (const seed of [...bad, '7', null]) {
      expect(() => checkSeed(seed, 'here')).toThrow(/^here: seed must be a whole number from 0 to 4294967295, got /)
    }
    expect(() => checkSeed('7', 'here')).toThrow(/got '7'/)
  })

  it('makeRng and manualSeed check a number (a string is a name and stays free), and SEED_MAX itself works', () => {
    for (const seed of bad) {
      expect(() => makeRng(seed)).toThrow(/^makeRng: seed must be a whole number from 0 to 4294967295/)
      expect(() => manualSeed(seed)).toThrow(/^manualSeed: seed must be/)
    }
    expect(makeRng(SEED_MAX)()).toBe(makeRng(String(SEED_MAX))())
    expect(makeRng('any name')()).toBeGreaterThanOrEqual(0)
  })

  it('every API seed option is checked by checkSeed, and the error names the function', () => {
    const X = tensor([[0], [1], [2], [3], [4]])
    const y = [0, 1, 0, 1, 0]
    const callers: [string, (seed: number) => unknown][] = [
      ...(['spirals', 'moons', 'circles', 'blobs', 'xor', 'manyBlobs'] as const).map(
        (name) => [`toy.${name}`, (seed: number) => toy[name]({ n: 20, seed })] as [string, (seed: number) => unknown],
      ),
      ['trainTestSplit', (seed) => trainTestSplit(X, y, { seed })],
      ['batches', (seed) => batches(X, y, { seed }).next()],
      ['mlp', (seed) => nn.mlp([1, 2], { seed })],
      ['fit', (seed) => fit(nn.mlp([1, 2]), { X, y }, { epochs: 1, seed })],
    ]
    for (const [name, call] of callers) {
      expect(() => call(SEED_MAX), name).not.toThrow()
      for (const seed of bad) expect(() => call(seed), `${name} seed ${seed}`).toThrow(new RegExp(`^${name}: seed must be a whole number from 0 to 4294967295`))
    }
  })
})
