import { describe, expect, it } from 'vitest'
import { apply, defineOp, gradcheck, jacobian, numericJacobian, makeRng, randn, softmax, sum, tensor, type Tensor } from '../src/index.js'

/** A softmax with the classic wrong backward y·(g − mean g): right only when g is constant. */
const wrongSoftmaxOp = defineOp({
  name: 'wrongSoftmax',
  rule: 'a deliberately wrong backward',
  forward([z]: readonly Tensor[]) {
    const s = softmax(z).data
    return { out: s, shape: z.shape, saved: { s } }
  },
  backward(dOut, { s }) {
    const mean = dOut.reduce((a, b) => a + b, 0) / dOut.length
    return [s.map((v, i) => v * (dOut[i] - mean))]
  },
})
const wrongSoftmax = (z: Tensor) => apply(wrongSoftmaxOp, [z], undefined)

describe('gradcheck', () => {
  it('passes a correct gradient', () => {
    const x = randn([3, 4], { rng: makeRng(0), requiresGrad: true })
    const result = gradcheck((z) => softmax(z), [x])
    expect(result.ok).toBe(true)
    expect(result.maxAbsError).toBeLessThan(1e-8)
  })

  it('catches the wrong softmax backward with a random upstream gradient', () => {
    const z = randn([5], { rng: makeRng(1), requiresGrad: true })
    const result = gradcheck(wrongSoftmax, [z])
    expect(result.ok).toBe(false)
    expect(result.worst).not.toBeNull()
    expect(result.worst!.input).toBe(0)
    expect(Math.abs(result.worst!.analytic - result.worst!.numeric)).toBeGreaterThan(1e-3)
  })

  it('…which a constant upstream gradient would have let through', () => {
    const z = randn([5], { rng: makeRng(1), requiresGrad: true })
    expect(gradcheck((x) => sum(wrongSoftmax(x)), [z]).ok).toBe(true)
  })

  it('checks only inputs with requiresGrad and leaves their grads as they were', () => {
    const a = tensor([1, 2], { requiresGrad: true })
    const b = tensor([3, 4])
    a.grad = tensor([9, 9])
    expect(gradcheck((x, y) => x.mul(y), [a, b]).ok).toBe(true)
    expect(a.grad.toArray()).toEqual([9, 9])
  })
})

describe('jacobian and numericJacobian', () => {
  it('agree for tanh of a vector and have shape [...out, ...in]', () => {
    const x = randn([4], { rng: makeRng(2) })
    const fn = (t: Tensor) => t.tanh().mul(2)
    const J = jacobian(fn, x)
    const N = numericJacobian(fn, x)
    expect(J.shape).toEqual([4, 4])
    for (let i = 0; i < J.size; i++) expect(Math.abs(J.data[i] - N.data[i])).toBeLessThan(1e-8)
    // tanh acts elementwise: off-diagonal entries are exactly 0
    expect(J.data[1]).toBe(0)
  })

  it('handle matrix inputs and outputs', () => {
    const x = randn([2, 3], { rng: makeRng(3) })
    const fn = (t: Tensor) => softmax(t, { dim: 0 })
    const J = jacobian(fn, x)
    expect(J.shape).toEqual([2, 3, 2, 3])
    const N = numericJacobian(fn, x)
    for (let i = 0; i < J.size; i++) expect(Math.abs(J.data[i] - N.data[i])).toBeLessThan(1e-8)
  })
})
