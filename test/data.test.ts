import { describe, expect, it } from 'vitest'
import { toy, trainTestSplit, StandardScaler, oneHot, batches, tensor, type Tensor } from '../src/index.js'

const generators = { spirals: toy.spirals, moons: toy.moons, circles: toy.circles, blobs: toy.blobs, xor: toy.xor }
const count = (y: Int32Array, c: number) => y.filter((v) => v === c).length

describe('toy data generators', () => {
  for (const [name, make] of Object.entries(generators)) {
    it(`${name}: the same seed gives identical data and another seed different data`, () => {
      const a = make({ n: 120, seed: 3, noise: 0.1 })
      const b = make({ n: 120, seed: 3, noise: 0.1 })
      const c = make({ n: 120, seed: 4, noise: 0.1 })
      expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data))
      expect(Array.from(a.y)).toEqual(Array.from(b.y))
      expect(Array.from(a.X.data)).not.toEqual(Array.from(c.X.data))
      expect(a.X.shape).toEqual([120, 2])
      expect(a.y).toBeInstanceOf(Int32Array)
    })
  }

  it('spirals follow the cs231n definition: class j gets ⌊n/K⌋ points (the first n mod K one more) from radius 0 to 1', () => {
    const { X, y } = toy.spirals({ n: 301, classes: 3, noise: 0, seed: 0 })
    expect([count(y, 0), count(y, 1), count(y, 2)]).toEqual([101, 100, 100])
    const pt = (i: number) => [X.data[2 * i], X.data[2 * i + 1]]
    expect(pt(0)).toEqual([0, 0]) // r = 0
    // the last point of class 0: r = 1, θ = 4 → (sin 4, cos 4)
    expect(pt(100)[0]).toBeCloseTo(Math.sin(4), 14)
    expect(pt(100)[1]).toBeCloseTo(Math.cos(4), 14)
    // class 1 starts at θ = 4 and ends at θ = 8
    expect(pt(200)[0]).toBeCloseTo(Math.sin(8), 14)
  })

  it('moons, circles and xor have two classes shared out evenly; blobs and spirals take classes', () => {
    for (const make of [toy.moons, toy.circles, toy.xor]) {
      const { y } = make({ n: 101 })
      expect(new Set(y)).toEqual(new Set([0, 1]))
    }
    expect([count(toy.moons({ n: 101 }).y, 0), count(toy.moons({ n: 101 }).y, 1)]).toEqual([51, 50])
    expect(new Set(toy.blobs({ n: 100, classes: 5 }).y).size).toBe(5)
    expect(new Set(toy.spirals({ n: 100, classes: 4 }).y).size).toBe(4)
  })

  it('without noise, circles lie on radii 1 and the factor, and xor labels opposite signs 1', () => {
    const c = toy.circles({ n: 40, noise: 0, factor: 0.3 })
    for (let i = 0; i < 40; i++) {
      const r = Math.hypot(c.X.data[2 * i], c.X.data[2 * i + 1])
      expect(r).toBeCloseTo(c.y[i] === 0 ? 1 : 0.3, 12)
    }
    const x = toy.xor({ n: 200, noise: 0 })
    for (let i = 0; i < 200; i++) expect(x.y[i]).toBe(x.X.data[2 * i] * x.X.data[2 * i + 1] < 0 ? 1 : 0)
  })

  it('bad options are errors that say what is allowed', () => {
    expect(() => toy.moons({ classes: 3 })).toThrow('toy.moons: this dataset has exactly 2 classes, got classes: 3')
    expect(() => toy.spirals({ n: 0 })).toThrow('toy.spirals: n must be a whole number ≥ 1, got 0')
    expect(() => toy.blobs({ classes: 1 })).toThrow(/classes must be a whole number ≥ 2/)
    expect(() => toy.circles({ factor: 1.5 })).toThrow(/factor must be in \(0, 1\)/)
  })
})

describe('trainTestSplit', () => {
  const X = tensor(Float64Array.from({ length: 200 }, (_, i) => i), { shape: [100, 2] })
  const y = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2)) // 60 / 30 / 10

  it('a stratified split keeps each class’s share within one sample of the whole', () => {
    for (const testFraction of [0.1, 0.2, 0.25, 0.33, 0.5]) {
      for (const seed of [0, 1, 2]) {
        const { yTest, yTrain } = trainTestSplit(X, y, { testFraction, seed })
        for (const part of [yTest, yTrain]) {
          for (const [c, size] of [[0, 60], [1, 30], [2, 10]] as const) {
            expect(Math.abs(count(part, c) - (part.length * size) / 100), `f ${testFraction} class ${c}`).toBeLessThanOrEqual(1)
          }
        }
      }
    }
  })

  it('splits every row into exactly one part, round(N·f) of them into test, with X and y kept together', () => {
    const { XTrain, yTrain, XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.3, seed: 5, stratify: false })
    expect(yTest.length).toBe(30)
    expect(yTrain.length).toBe(70)
    const rows = (t: Tensor) => Array.from({ length: t.shape[0] }, (_, i) => t.data[2 * i] / 2)
    expect([...rows(XTrain), ...rows(XTest)].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    rows(XTest).forEach((r, i) => expect(yTest[i]).toBe(y[r]))
  })

  it('is reproducible by seed', () => {
    expect(Array.from(trainTestSplit(X, y, { seed: 9 }).yTest)).toEqual(Array.from(trainTestSplit(X, y, { seed: 9 }).yTest))
    expect(Array.from(trainTestSplit(X, y, { seed: 9 }).XTest.data)).not.toEqual(Array.from(trainTestSplit(X, y, { seed: 10 }).XTest.data))
  })

  it('rejects fractions that leave a part empty', () => {
    expect(() => trainTestSplit(X, y, { testFraction: 1 })).toThrow(/testFraction must be in \(0, 1\), got 1/)
    expect(() => trainTestSplit(tensor([[1], [2]]), [0, 1], { testFraction: 0.1 })).toThrow(/leaves 0 test and 2 train rows/)
  })
})

describe('StandardScaler', () => {
  it('gives every column mean 0 and standard deviation 1; a constant column scales by 1, never NaN', () => {
    const X = tensor([[1, 5, 3], [3, 5, -1], [5, 5, 7]])
    const Z = new StandardScaler().fitTransform(X)
    const cols = [0, 1, 2].map((j) => [0, 1, 2].map((i) => Z.data[i * 3 + j]))
    for (const j of [0, 2]) {
      const m = cols[j].reduce((a, b) => a + b) / 3
      const v = cols[j].reduce((a, b) => a + (b - m) ** 2, 0) / 3
      expect(m).toBeCloseTo(0, 14)
      expect(v).toBeCloseTo(1, 14)
    }
    expect(cols[1]).toEqual([0, 0, 0])
  })

  it('transforms test data with the statistics fitted on train, and round-trips through JSON', () => {
    const scaler = new StandardScaler().fit(tensor([[0], [2]]))
    expect(scaler.toJSON()).toEqual({ mean: [1], scale: [1] })
    expect(scaler.transform(tensor([[4]])).toArray()).toEqual([[3]])
    const again = StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler.toJSON())))
    expect(again.transform(tensor([[4]])).toArray()).toEqual([[3]])
  })

  it('transforms in place on request: the same numbers, in X itself, no copy', () => {
    const scaler = new StandardScaler().fit(tensor([[0, 10], [2, 30]]))
    const X = tensor([[4, 20], [1, 0]])
    const copy = scaler.transform(X)
    const same = scaler.transform(X, { inPlace: true })
    expect(same).toBe(X)
    expect(X.toArray()).toEqual(copy.toArray())
    expect(() => scaler.transform(tensor([[1, 2]], { requiresGrad: true }), { inPlace: true })).toThrow(/requires a gradient/)
  })

  it('says what is wrong when used out of order or on the wrong width', () => {
    expect(() => new StandardScaler().transform(tensor([[1]]))).toThrow('StandardScaler.transform: call fit(XTrain) first')
    expect(() => new StandardScaler().fit(tensor([[1, 2]])).transform(tensor([[1]]))).toThrow(/fitted on 2 features, X is \[1,1\]/)
    expect(() => StandardScaler.fromJSON({ mean: [0], scale: [0] })).toThrow(/scale > 0/)
  })
})

describe('oneHot and batches', () => {
  it('oneHot puts a 1 at each label', () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]])
    expect(() => oneHot([3], 3)).toThrow('oneHot: label 3 at row 0 is outside [0, 3)')
  })

  it('batches cover every row once, in a seeded order, the last batch holding the remainder', () => {
    const X = tensor(Float64Array.from({ length: 10 }, (_, i) => i), { shape: [10, 1] })
    const y = Int32Array.from({ length: 10 }, (_, i) => i)
    const list = [...batches(X, y, { batchSize: 4, seed: 1 })]
    expect(list.map((b) => b.index.length)).toEqual([4, 4, 2])
    const seen = list.flatMap((b) => Array.from(b.y as Int32Array))
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from(y))
    list.forEach((b) => expect(Array.from(b.X.data)).toEqual(Array.from(b.y as Int32Array)))
    const again = [...batches(X, y, { batchSize: 4, seed: 1 })].flatMap((b) => Array.from(b.y as Int32Array))
    expect(again).toEqual(seen)
    expect([...batches(X, y, { batchSize: 4, shuffle: false })][0].index).toEqual(Int32Array.from([0, 1, 2, 3]))
  })
})
