import { describe, expect, it } from 'vitest'
import { allocate, recycleBuffers, makeRng, nn, optim, randn, tensor, toy, type Tensor } from '../src/index.js'

const mlp = (seed = 0) => {
  const rng = makeRng(seed)
  return new nn.Sequential(new nn.Linear(2, 16, { rng }), new nn.ReLU(), new nn.Linear(16, 3, { rng }))
}

/** Train a spiral MLP for `steps` full-batch SGD steps, the plain way or recycling each step's arrays. */
function train(recycle: boolean, setToNone: boolean, steps = 30) {
  const data = toy.spirals({ n: 60, classes: 3, seed: 1 })
  const model = mlp()
  const lossFn = new nn.SoftmaxCrossEntropy()
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
  const losses: number[] = []
  const step = () => {
    const loss = lossFn.forward(model.forward(data.X), data.y)
    loss.backward()
    return loss.item()
  }
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad({ setToNone })
    losses.push(recycle ? recycleBuffers(step) : step())
    optimizer.step()
  }
  return { losses, weights: model.parameters().map((p) => Array.from(p.data)) }
}

describe('recycleBuffers', () => {
  it('trains to the very same numbers as the plain loop, with either zeroGrad', () => {
    const plain = train(false, true)
    expect(train(true, true)).toEqual(plain)
    expect(train(true, false)).toEqual(plain)
    expect(plain.losses.at(-1)!).toBeLessThan(plain.losses[0])
  })

  it('hands a step’s arrays to the next step, zeroed', () => {
    let first: Float64Array | undefined
    recycleBuffers(() => {
      first = allocate(1234)
      first.fill(7)
    })
    const again = recycleBuffers(() => {
      const a = allocate(1234)
      return { same: a === first, zeros: a.every((v) => v === 0) }
    })
    expect(again).toEqual({ same: true, zeros: true })
  })

  it('keeps the gradients backward gives parameters', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true })
    recycleBuffers(() => w.mul(w).sum().backward())
    const grad = Array.from(w.grad!.data)
    recycleBuffers(() => {
      allocate(3).fill(99) // a later step must not take the gradient's array
    })
    expect(Array.from(w.grad!.data)).toEqual(grad)
    expect(grad).toEqual([2, 4, 6])
  })

  it('a tensor kept past its step throws a clear error instead of giving recycled numbers', () => {
    let kept: Tensor | undefined
    recycleBuffers(() => {
      kept = randn([4, 3], { rng: makeRng(0) }).relu()
    })
    expect(() => kept!.data).toThrow(/made inside a recycleBuffers step that has ended.*Copy what you need out inside the step/)
    expect(() => kept!.sum()).toThrow(/recycleBuffers/)
  })

  it('refuses to return a tensor, and says what to return instead', () => {
    expect(() => recycleBuffers(() => tensor([1, 2]).exp())).toThrow(/returned a tensor.*Return numbers instead/)
  })

  it('refuses to return an array the step allocated, directly or inside a returned array or plain object', () => {
    expect(() => recycleBuffers(() => tensor([1, 2]).exp().data)).toThrow(/returned a Float64Array made inside it \(result\).*Return numbers instead/)
    expect(() => recycleBuffers(() => [1, allocate(3)])).toThrow(/a Float64Array made inside it \(result\[1\]\)/)
    expect(() => recycleBuffers(() => ({ loss: 0.5, probs: tensor([1, 2]).softmax() }))).toThrow(/a tensor made inside it \(result\.probs\)/)
    expect(() => recycleBuffers(() => ({ rows: [{ p: allocate(2) }] }))).toThrow(/\(result\.rows\[0\]\.p\)/)
  })

  it('lets through what outlives the step: numbers, copies, arrays and tensors made before it, parameters’ new gradients', () => {
    const before = tensor([1, 2, 3])
    const w = tensor([1, 2], { requiresGrad: true })
    const out = recycleBuffers(() => {
      const y = before.exp()
      w.mul(w).sum().backward()
      return { copy: y.toArray(), slice: y.data.slice(), before, data: before.data, grad: w.grad!, gradData: w.grad!.data, n: 3 }
    })
    expect(out.copy).toEqual([Math.E, Math.exp(2), Math.exp(3)])
    expect(Array.from(out.slice)).toEqual(out.copy)
    expect(out.before).toBe(before)
    expect(Array.from(out.grad.data)).toEqual([2, 4])
    expect(out.gradData).toBe(w.grad!.data)
  })

  it('a tensor has no data setter and no public way to be retired', () => {
    const t = tensor([1, 2])
    expect(() => {
      ;(t as unknown as { data: Float64Array }).data = new Float64Array(2)
    }).toThrow(TypeError)
    expect('release' in t).toBe(false)
    expect(Array.from(t.data)).toEqual([1, 2])
  })

  it('recycles after an error too, and lets the error through', () => {
    let inside: Float64Array | undefined
    expect(() =>
      recycleBuffers(() => {
        inside = allocate(777)
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(recycleBuffers(() => allocate(777) === inside)).toBe(true)
  })

  it('a nested step is a plain call: its arrays stay alive until the outer step ends', () => {
    const seen = recycleBuffers(() => {
      const inner = recycleBuffers(() => tensor([1, 2, 3]).exp().data)
      const other = allocate(inner.length)
      return { distinct: other !== inner, intact: Array.from(inner).map((v) => Math.round(Math.log(v))) }
    })
    expect(seen).toEqual({ distinct: true, intact: [1, 2, 3] })
  })

  it('outside a step, allocate is a plain zeroed array', () => {
    const a = allocate(5)
    expect(a).toBeInstanceOf(Float64Array)
    expect(Array.from(a)).toEqual([0, 0, 0, 0, 0])
  })
})

describe('zeroGrad', () => {
  it('sets grads to null by default (PyTorch’s set_to_none) and to zeros in place with { setToNone: false }', () => {
    const model = mlp()
    const optimizer = new optim.Adam(model.parameters())
    model.forward(randn([5, 2], { rng: makeRng(2) })).sum().backward()
    const arrays = model.parameters().map((p) => p.grad!.data)
    optimizer.zeroGrad({ setToNone: false })
    model.parameters().forEach((p, i) => {
      expect(p.grad!.data).toBe(arrays[i])
      expect(p.grad!.data.every((v) => v === 0)).toBe(true)
    })
    model.zeroGrad()
    expect(model.parameters().every((p) => p.grad === null)).toBe(true)
  })
})
