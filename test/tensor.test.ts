import { describe, expect, it } from 'vitest'
import {
  Tensor, tensor, zeros, ones, full, eye, arange, randn, makeRng, noGrad,
  add, sub, mul, div, matmul, sum, mean, gather, reshape, transpose, softmax, linear,
} from '../src/index.js'

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length)
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `at ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol)
}

describe('creating and reading tensors', () => {
  it('tensor() reads nested arrays row-major and infers the shape', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]])
    expect(t.shape).toEqual([2, 3])
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6])
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]])
    expect(t.size).toBe(6)
  })

  it('a plain number makes a 0-d tensor whose item() is the number', () => {
    const t = tensor(5)
    expect(t.shape).toEqual([])
    expect(t.item()).toBe(5)
  })

  it('a Float64Array with a shape is used as it is', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6])
    const t = tensor(data, { shape: [3, 2] })
    expect(t.data).toBe(data)
    expect(t.toArray()).toEqual([[1, 2], [3, 4], [5, 6]])
  })

  it('ragged arrays and mismatched shapes are errors that say so', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/)
    expect(() => tensor(new Float64Array(5), { shape: [2, 3] })).toThrow(/5 numbers do not fill shape \[2,3\]/)
  })

  it('zeros, ones, full, eye and arange fill as named', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0])
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]])
    expect(full([2], 7).toArray()).toEqual([7, 7])
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]])
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3])
  })

  it('argmax gives the first index of the largest value over the remaining dims', () => {
    const t = tensor([[1, 9, 9], [7, 2, 3]])
    expect(Array.from(t.argmax())).toEqual([1, 0])
    expect(Array.from(t.argmax(0))).toEqual([1, 0, 0])
  })

  it('item() on a tensor of several numbers names the shape', () => {
    expect(() => tensor([1, 2]).item()).toThrow(/item: the tensor has shape \[2\]/)
  })
})

describe('forward values', () => {
  it('broadcasting follows NumPy: [2,1] + [1,3] is [2,3]', () => {
    const out = add(tensor([[1], [2]]), tensor([[10, 20, 30]]))
    expect(out.toArray()).toEqual([[11, 21, 31], [12, 22, 32]])
  })

  it('binary ops take a plain number on either side', () => {
    const x = tensor([1, 2, 4])
    expect(sub(3, x).toArray()).toEqual([2, 1, -1])
    expect(div(1, x).toArray()).toEqual([1, 0.5, 0.25])
    expect(x.mul(2).toArray()).toEqual([2, 4, 8])
  })

  it('matmul multiplies [2,3]·[3,2]', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]])
    const b = tensor([[7, 8], [9, 10], [11, 12]])
    expect(matmul(a, b).toArray()).toEqual([[58, 64], [139, 154]])
  })

  it('transpose swaps dims and .T is the 2-D transpose', () => {
    expect(tensor([[1, 2, 3]]).T.toArray()).toEqual([[1], [2], [3]])
    const t = arange(24).reshape([2, 3, 4])
    const u = transpose(t, 0, 2)
    expect(u.shape).toEqual([4, 3, 2])
    expect((u.toArray() as number[][][])[3][1][0]).toBe((t.toArray() as number[][][])[0][1][3])
  })

  it('reshape infers one −1 and rejects sizes that do not fit', () => {
    expect(reshape(arange(6), [2, -1]).shape).toEqual([2, 3])
    expect(() => reshape(arange(6), [4, -1])).toThrow(/reshape: cannot reshape \[6\] \(6 numbers\) to \[4,-1\]/)
  })

  it('sum and mean reduce one dim, keepDim keeps it as 1, no dim reduces all', () => {
    const t = tensor([[1, 2], [3, 4]])
    expect(sum(t, 0).toArray()).toEqual([4, 6])
    expect(mean(t, 1, true).toArray()).toEqual([[1.5], [3.5]])
    expect(sum(t).item()).toBe(10)
    expect(t.max(-1).toArray()).toEqual([2, 4])
  })

  it('gather picks along a dim with a flat index of the output shape', () => {
    const t = tensor([[1, 2], [3, 4]])
    expect(gather(t, 1, [1, 0]).toArray()).toEqual([[2], [3]])
    expect(() => gather(t, 1, [2, 0])).toThrow(/gather: index 2 at position 0 is out of range for dim 1 of size 2/)
  })
})

describe('backward', () => {
  it('y = x·x + x gives dy/dx = 2x + 1', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true })
    x.mul(x).add(x).sum().backward()
    expect(Array.from(x.grad!.data)).toEqual([3, -3, 7])
  })

  it('a second backward without zeroing adds again, as PyTorch does', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true })
    const y = x.mul(x).add(x).sum()
    y.backward()
    y.backward()
    expect(Array.from(x.grad!.data)).toEqual([6, -6, 14])
    x.mul(x).add(x).sum().backward()
    expect(Array.from(x.grad!.data)).toEqual([9, -9, 21])
  })

  it('a tensor used in two branches gets both contributions', () => {
    const x = tensor([2], { requiresGrad: true })
    const y = add(mul(x, 3), mul(x, x)) // 3x + x², dy/dx = 3 + 2x = 7
    y.sum().backward()
    expect(x.grad!.item()).toBe(7)
  })

  it('a 100,000-op chain backpropagates without a stack overflow', () => {
    const x = tensor([1], { requiresGrad: true })
    let y = x
    for (let i = 0; i < 100_000; i++) y = y.add(1)
    y.sum().backward()
    expect(x.grad!.item()).toBe(1)
    expect(y.item()).toBe(100_001)
  })

  it('only leaves keep their gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const h = x.mul(2)
    h.sum().backward()
    expect(h.grad).toBeNull()
    expect(Array.from(x.grad!.data)).toEqual([2, 2])
  })

  it('broadcast gradients are summed back to each input shape', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true })
    const b = tensor([10, 20, 30], { requiresGrad: true })
    add(a, b).sum().backward()
    expect(b.grad!.toArray()).toEqual([2, 2, 2])
    expect(a.grad!.shape).toEqual([2, 3])
  })

  it('backward with an explicit upstream gradient on a non-scalar output', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true })
    x.mul(x).backward([1, 0, -1])
    expect(Array.from(x.grad!.data)).toEqual([2, 0, -6])
  })

  it('backward of a non-scalar without a gradient says what to do', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    expect(() => x.mul(2).backward()).toThrow(/backward: the output has shape \[2\].*\.sum\(\)/)
  })

  it('matmul gradients match dA = dOut·Bᵀ and dB = Aᵀ·dOut', () => {
    const rng = makeRng(1)
    const a = randn([3, 4], { rng, requiresGrad: true })
    const b = randn([4, 2], { rng, requiresGrad: true })
    matmul(a, b).sum().backward()
    const rowSumsB = (b.toArray() as number[][]).map((r) => r[0] + r[1])
    for (let i = 0; i < 3; i++) close(Array.from(a.grad!.data.subarray(i * 4, i * 4 + 4)), rowSumsB)
  })
})

describe('errors name the op and both shapes', () => {
  it('matmul with inner sizes that differ', () => {
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow('matmul: inner sizes differ, a is [2,3], b is [4,5]')
  })

  it('elementwise ops whose shapes cannot broadcast', () => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/)
    expect(() => sub(zeros([2, 3]), zeros([2]))).toThrow(/sub: shapes \[2,3\] and \[2\]/)
    expect(() => mul(zeros([3]), zeros([2]))).toThrow(/mul: shapes \[3\] and \[2\]/)
    expect(() => div(zeros([3]), zeros([2, 2]))).toThrow(/div: shapes \[3\] and \[2,2\]/)
  })

  it('a dim out of range', () => {
    expect(() => sum(zeros([2, 3]), 2)).toThrow('sum: dim 2 is out of range for a tensor with 2 dims (use -2..1)')
    expect(() => softmax(zeros([2, 3]), { dim: -3 })).toThrow(/softmax: dim -3 is out of range/)
  })
})

describe('noGrad and detach', () => {
  it('noGrad builds no graph and returns what its function returns', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const y = noGrad(() => x.mul(x).add(1))
    expect(y.requiresGrad).toBe(false)
    expect(y.node).toBeNull()
    expect(y.toArray()).toEqual([2, 5])
    expect(x.mul(2).requiresGrad).toBe(true) // recording is back on afterwards
  })

  it('noGrad restores recording even when its function throws', () => {
    const x = tensor([1], { requiresGrad: true })
    expect(() => noGrad(() => { throw new Error('boom') })).toThrow('boom')
    expect(x.mul(2).node).not.toBeNull()
  })

  it('detach shares the numbers and cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const d = x.mul(3).detach()
    expect(d).toBeInstanceOf(Tensor)
    expect(d.requiresGrad).toBe(false)
    expect(d.node).toBeNull()
    expect(d.toArray()).toEqual([3, 6])
  })
})

describe('linear', () => {
  it('equals matmul(x, Wᵀ) + b in value and gradient', () => {
    const rng = makeRng(11)
    const x1 = randn([4, 3], { rng, requiresGrad: true })
    const w1 = randn([5, 3], { rng, requiresGrad: true })
    const b1 = randn([5], { rng, requiresGrad: true })
    const copy = (t: Tensor) => tensor(Float64Array.from(t.data), { shape: t.shape, requiresGrad: true })
    const [x2, w2, b2] = [copy(x1), copy(w1), copy(b1)]
    const fused = linear(x1, w1, b1)
    const composed = matmul(x2, w2.T).add(b2)
    close(fused.data, composed.data)
    const g = randn([4, 5], { rng })
    fused.backward(g)
    composed.backward(g)
    close(x1.grad!.data, x2.grad!.data)
    close(w1.grad!.data, w2.grad!.data)
    close(b1.grad!.data, b2.grad!.data)
  })
})
