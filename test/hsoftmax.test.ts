/** nn.HierarchicalSoftmax, its row-gather ops and toy.manyBlobs. */
import { describe, expect, it } from 'vitest'
import { Tensor, batches, decodeModel, encodeModel, gradcheck, makeRng, mul, nn, noGrad, optim, randn, reshape, sum, add, tensor, toy, trainTestSplit } from '../src/index.js'
import { linearRows, takeRows } from '../src/ops/index.js'

const { HierarchicalSoftmax, defaultClusters } = nn

/** Row sums of exp(logProbAll), [N]. */
function probabilitySums(logP: Tensor): number[] {
  const [n, c] = logP.shape
  return Array.from({ length: n }, (_, i) => {
    let total = 0
    for (let k = 0; k < c; k++) total += Math.exp(logP.data[i * c + k])
    return total
  })
}

describe('linearRows, the fused row-gather linear', () => {
  it('equals the composition sum(x ⊙ takeRows(W, index)) + takeRows(b, index), values and gradients', () => {
    const rng = makeRng('linearRows')
    const x = randn([3, 4], { rng, requiresGrad: true })
    const w = randn([6, 4], { rng, requiresGrad: true })
    const b = randn([6], { rng, requiresGrad: true })
    const index = [5, 0, 5, 2, 1, 3]
    const upstream = randn([3, 2], { rng })
    const run = (fn: () => Tensor) => {
      for (const t of [x, w, b]) t.grad = null
      const out = fn()
      out.backward(upstream)
      return [out, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data))
    }
    const fused = run(() => linearRows(x, w, b, index))
    const composed = run(() =>
      add(sum(mul(reshape(x, [3, 1, 4]), takeRows(w, index, [3, 2])), -1), takeRows(b, index, [3, 2])),
    )
    fused.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(composed[i][j], 12)))
  })

  it('names the bad row when an index is out of range', () => {
    const w = randn([3, 2])
    expect(() => linearRows(randn([2, 2]), w, null, [0, 3])).toThrow(/row index 3 at position 1 is outside \[0, 3\)/)
    expect(() => takeRows(w, [-1])).toThrow(/row index -1/)
  })
})

describe('default clusters', () => {
  it('are ⌈√C⌉ clusters of ⌈C/⌈√C⌉⌉ consecutive classes, the last smaller, none empty', () => {
    const sizes = (c: number) => defaultClusters(c).map((members) => members.length)
    expect(sizes(2)).toEqual([1, 1])
    expect(sizes(3)).toEqual([2, 1])
    expect(sizes(5)).toEqual([2, 2, 1])
    expect(sizes(10)).toEqual([3, 3, 3, 1])
    expect(sizes(100)).toEqual(Array(10).fill(10))
    expect(sizes(1000)).toEqual([...Array(31).fill(32), 8])
    expect(defaultClusters(10)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]])
    for (let c = 2; c <= 3000; c++) {
      const s = sizes(c)
      expect(s.length, `C = ${c}`).toBe(Math.ceil(Math.sqrt(c)))
      expect(Math.min(...s), `C = ${c}`).toBeGreaterThan(0)
      expect(s.reduce((a, b) => a + b), `C = ${c}`).toBe(c)
    }
  })
})

describe('HierarchicalSoftmax', () => {
  const userClusters = [[0, 3, 5], [1], [2, 4, 6]]

  it('names its parameters cluster.weight, cluster.bias, classes.weight, classes.bias', () => {
    const hs = new HierarchicalSoftmax(4, 7, { clusters: userClusters, rng: makeRng(0) })
    expect(hs.namedParameters().map(([name, t]) => `${name} [${t.shape.join(',')}]`)).toEqual([
      'cluster.weight [3,4]', 'cluster.bias [3]', 'classes.weight [7,4]', 'classes.bias [7]',
    ])
  })

  for (const [what, c, clusters] of [
    ['default clusters, C = 10 (a short last cluster)', 10, undefined],
    ['default clusters, C = 100', 100, undefined],
    ['user clusters of sizes 3, 1, 3', 7, userClusters],
  ] as const) {
    it(`probabilities over all classes sum to 1 within 1e-12: ${what}`, () => {
      const rng = makeRng(c)
      const hs = new HierarchicalSoftmax(5, c, { clusters: clusters?.map((m) => [...m]), rng })
      const h = randn([6, 5], { rng })
      for (let i = 0; i < 5; i++) h.data[i] *= 30 // one confident row too
      const logP = hs.logProbAll(h)
      expect(logP.shape).toEqual([6, c])
      for (const total of probabilitySums(logP)) expect(Math.abs(total - 1)).toBeLessThan(1e-12)
      expect(hs.forward(h).data).toEqual(logP.data)
    })

    it(`logProb equals the target's column of logProbAll: ${what}`, () => {
      const rng = makeRng(`logProb ${c}`)
      const hs = new HierarchicalSoftmax(5, c, { clusters: clusters?.map((m) => [...m]), rng })
      const h = randn([8, 5], { rng })
      const target = Array.from({ length: 8 }, (_, i) => (i * 3 + 1) % c)
      const all = hs.logProbAll(h)
      const picked = hs.logProb(h, target)
      expect(picked.shape).toEqual([8])
      target.forEach((t, i) => expect(picked.data[i]).toBeCloseTo(all.data[i * c + t], 12))
      let nll = 0
      target.forEach((t, i) => (nll -= all.data[i * c + t] / 8))
      expect(hs.loss(h, target).item()).toBeCloseTo(nll, 12)
    })
  }

  it('loss gradients match finite differences for h and every parameter (C = 7, 3 clusters)', () => {
    const rng = makeRng('gradcheck')
    const hs = new HierarchicalSoftmax(4, 7, { rng })
    expect(hs.numClusters).toBe(3) // sizes 3, 3, 1: padding inside the last cluster
    const h = randn([5, 4], { rng, requiresGrad: true })
    const target = [0, 6, 2, 3, 6]
    const result = gradcheck((x) => hs.loss(x, target), [h, ...hs.parameters()])
    expect(result.ok, JSON.stringify(result.worst)).toBe(true)
  })

  it('logProb and logProbAll gradients match finite differences with user clusters', () => {
    const rng = makeRng('gradcheck user')
    const hs = new HierarchicalSoftmax(3, 7, { clusters: userClusters, rng })
    const h = randn([4, 3], { rng, requiresGrad: true })
    expect(gradcheck((x) => hs.logProb(x, [5, 1, 4, 0]), [h, ...hs.parameters()]).ok).toBe(true)
    expect(gradcheck((x) => hs.logProbAll(x), [h, ...hs.parameters()]).ok).toBe(true)
  })

  it('predict is the argmax of logProbAll over all classes', () => {
    const rng = makeRng('predict')
    const hs = new HierarchicalSoftmax(6, 30, { rng })
    const h = randn([20, 6], { rng, requiresGrad: true })
    expect(Array.from(hs.predict(h))).toEqual(Array.from(hs.logProbAll(h).argmax(1)))
  })

  it('predict can differ from the greedy pick: a likely but undecided cluster loses to a sure class', () => {
    // p(cluster A) = 0.6 split evenly over classes 0 and 1 (0.3 each); p(cluster B) = 0.4 all on class 2.
    const hs = new HierarchicalSoftmax(1, 3, { clusters: [[0, 1], [2]], rng: makeRng(0) })
    hs.cluster.weight.data.fill(0)
    hs.cluster.bias!.data.set([Math.log(0.6), Math.log(0.4)])
    hs.classes.weight.data.fill(0)
    hs.classes.bias!.data.fill(0)
    const h = tensor([[1]])
    const greedyCluster = hs.cluster.forward(h).argmax(1)[0]
    expect(greedyCluster).toBe(0) // greedy goes into cluster A and picks class 0 or 1 at 0.3
    expect(Array.from(hs.predict(h))).toEqual([2]) // the exact argmax: class 2 at 0.4
    expect(Math.exp(hs.logProb(h, [2]).item())).toBeCloseTo(0.4, 12)
  })

  it('rejects clusters that miss or repeat a class, or hold one out of range', () => {
    const rng = makeRng(0)
    expect(() => new HierarchicalSoftmax(2, 5, { clusters: [[0, 1], [3, 4]], rng })).toThrow(/miss class 2\b/)
    expect(() => new HierarchicalSoftmax(2, 5, { clusters: [[0, 1, 2], [2, 3, 4]], rng })).toThrow(/class 2 is repeated: it is in cluster 0 and again in cluster 1/)
    expect(() => new HierarchicalSoftmax(2, 5, { clusters: [[0, 1, 2], [3, 4, 5]], rng })).toThrow(/cluster 1 holds class 5, outside \[0, 5\)/)
    expect(() => new HierarchicalSoftmax(2, 5, { clusters: [[0, 1, 2, 3, 4], []], rng })).toThrow(/cluster 1 is empty/)
    expect(() => new HierarchicalSoftmax(2, 1, { rng })).toThrow(/at least 2/)
  })

  it('rejects h of the wrong shape, targets of the wrong length and targets out of range', () => {
    const hs = new HierarchicalSoftmax(3, 5, { rng: makeRng(0) })
    expect(() => hs.logProbAll(randn([2, 4]))).toThrow(/expects h of shape \[N, 3\], got \[2, ?4\]/)
    expect(() => hs.logProb(randn([3]), [0])).toThrow(/expects h of shape \[N, 3\]/)
    expect(() => hs.loss(randn([2, 3]), [0])).toThrow(/1 targets for 2 rows/)
    expect(() => hs.loss(randn([2, 3]), [0, 5])).toThrow(/target 5 at row 1 is outside \[0, 5\)/)
  })

  it('a model holding one saves and loads with its clusters and bit-identical log-probabilities', () => {
    const rng = makeRng(4)
    const clusters = [[4, 0], [2], [1, 3, 5]] // not consecutive, not the default
    const model = new nn.Sequential(new nn.Linear(3, 6, { rng }), new nn.Tanh(), new HierarchicalSoftmax(6, 6, { clusters, rng }))
    const { model: loaded } = decodeModel(encodeModel(model))
    const hs = (loaded as nn.Sequential).layers[2] as nn.HierarchicalSoftmax
    expect(hs).toBeInstanceOf(HierarchicalSoftmax)
    expect(hs.clusters).toEqual(clusters)
    const h = randn([5, 3], { rng })
    const before = noGrad(() => model.forward(h)).data
    const after = noGrad(() => loaded.forward(h)).data
    expect(after.length).toBe(30)
    after.forEach((v, i) => expect(v).toBe(before[i]))
  })

  it('on its own, with the default clusters, it round-trips too, and its spec names every setting', () => {
    const hs = new HierarchicalSoftmax(4, 5, { rng: makeRng(5) })
    expect(nn.describeModel(hs)).toEqual({ type: 'HierarchicalSoftmax', inFeatures: 4, numClasses: 5, clusters: [[0, 1], [2, 3], [4]] })
    const loaded = decodeModel(encodeModel(hs)).model as nn.HierarchicalSoftmax
    const h = randn([3, 4], { rng: makeRng(6) })
    expect(Array.from(loaded.predict(h))).toEqual(Array.from(hs.predict(h)))
    expect(loaded.stateDict()['classes.weight'].data).toEqual(hs.stateDict()['classes.weight'].data)
  })

  it('trains on toy.manyBlobs with 50 classes to over 90% held-out accuracy in 5 epochs', () => {
    const all = toy.manyBlobs({ n: 3000, classes: 50, dim: 64, seed: 3 })
    const { XTrain, yTrain, XTest, yTest } = trainTestSplit(all.X, all.y, { testFraction: 0.2, seed: 0 })
    const hs = new HierarchicalSoftmax(64, 50, { rng: makeRng(1) })
    const opt = new optim.Adam(hs.parameters(), { lr: 0.02 })
    for (let epoch = 0; epoch < 5; epoch++) {
      for (const { X, y } of batches(XTrain, yTrain, { batchSize: 64, seed: epoch })) {
        opt.zeroGrad()
        hs.loss(X, y).backward()
        opt.step()
      }
    }
    const predicted = hs.predict(XTest)
    let right = 0
    for (let i = 0; i < predicted.length; i++) if (predicted[i] === yTest[i]) right++
    expect(right / predicted.length).toBeGreaterThan(0.9)
  })
})

describe('toy.manyBlobs', () => {
  it('gives [n, dim] points and labels cycling through the classes, the same for the same seed', () => {
    const a = toy.manyBlobs({ n: 30, classes: 7, dim: 5, seed: 2 })
    expect(a.X.shape).toEqual([30, 5])
    expect(Array.from(a.y.subarray(0, 9))).toEqual([0, 1, 2, 3, 4, 5, 6, 0, 1])
    expect(toy.manyBlobs({ n: 30, classes: 7, dim: 5, seed: 2 }).X.data).toEqual(a.X.data)
    expect(() => toy.manyBlobs({ n: 10, dim: 0 })).toThrow(/dim must be a whole number/)
  })
})
