import { describe, expect, it } from 'vitest'
import { makeRng, manualSeed, randn, rand } from '../src/index.js'

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
