/**
 * A learner's own op, written outside src/ through the public API, as docs/extending.md shows:
 * backward() checks what the op's backward returns and says what is wrong and how to fix it.
 */
import { describe, expect, it } from 'vitest'
import {
  type Tensor, OPS, allocate, apply, broadcastShape, defineOp, gradcheck, makeRng, randn, sumToShape, tensor,
  relu, pow, sum, softmax, logSoftmax, transpose,
} from '../src/index.js'
import { installTensorMethods } from '../src/ops/tensor-methods.js'

/** myAdd: out = a + b with b broadcast over a's rows: a [N, C], b [C]. */
function defineMyAdd(name: string, sumsBack: boolean) {
  const op = defineOp({
    name,
    rule: 'd(a + b)/da = 1, d(a + b)/db = 1',
    forward([a, b]: readonly Tensor[]) {
      const shape = broadcastShape(a.shape, b.shape, name)
      const out = allocate(a.size)
      const [, c] = a.shape
      for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i % c]
      return { out, shape, saved: { aShape: a.shape, bShape: b.shape, outShape: shape } }
    },
    backward(dOut, { bShape, outShape }) {
      // The learner's bug: dOut handed to b as it is, 6 numbers for b's 2.
      return [dOut, sumsBack ? sumToShape(dOut, outShape, bShape) : dOut]
    },
  })
  return (a: Tensor, b: Tensor) => apply(op, [a, b])
}

describe('an op defined outside src/ through the public API', () => {
  const a = () => randn([3, 2], { rng: makeRng(1), requiresGrad: true })
  const b = () => randn([2], { rng: makeRng(2), requiresGrad: true })

  it('a broadcast input whose gradient is not summed back: backward names the op, the input, both sizes and sumToShape', () => {
    const wrongAdd = defineMyAdd('wrongAdd', false)
    const y = wrongAdd(a(), b())
    expect(() => y.sum().backward()).toThrow(
      'wrongAdd backward: the gradient for input 1 has 6 numbers, but input 1 has shape [2] (2 numbers); ' +
        'a broadcast input needs sumToShape(grad, [3,2], [2])',
    )
  })

  it('the same op with sumToShape passes backward and the gradient check', () => {
    const myAdd = defineMyAdd('myAdd', true)
    const [x, w] = [a(), b()]
    myAdd(x, w).sum().backward()
    expect(Array.from(w.grad!.data)).toEqual([3, 3])
    expect(gradcheck(myAdd, [a(), b()]).ok).toBe(true)
  })

  it('backward refuses too few gradients, a plain array, and null for an input that needs one', () => {
    const make = (name: string, backward: (dOut: Float64Array) => ReadonlyArray<Float64Array | null>) => {
      const op = defineOp({
        name,
        rule: 'd x/dx = 1',
        forward([x]: readonly Tensor[]) {
          return { out: Float64Array.from(x.data), shape: x.shape, saved: undefined }
        },
        backward,
      })
      return (x: Tensor) => apply(op, [x, tensor([1], { requiresGrad: true })])
    }
    const x = () => tensor([1, 2], { requiresGrad: true })
    expect(() => make('tooFew', (d) => [d])(x()).sum().backward()).toThrow(
      'tooFew backward: returned 1 gradients for 2 inputs; return an array with one gradient (or null) per input',
    )
    const plain = make('plainArray', (d) => [Array.from(d) as unknown as Float64Array, allocate(1)])
    expect(() => plain(x()).sum().backward()).toThrow(/plainArray backward: the gradient for input 0 is a plain array; return a Float64Array/)
    expect(() => make('forgot', (d) => [d, null])(x()).sum().backward()).toThrow(
      /forgot backward: the gradient for input 1 is null, but input 1 \(shape \[1\]\) needs one/,
    )
  })

  it('null is fine for an input that needs no gradient (labels, data)', () => {
    const op = defineOp({
      name: 'scaleBy',
      rule: 'd(a·k)/da = k',
      forward([x, k]: readonly Tensor[]) {
        return { out: x.data.map((v) => v * k.data[0]), shape: x.shape, saved: { k: k.data[0] } }
      },
      backward(dOut, { k }) {
        return [dOut.map((g) => g * k), null]
      },
    })
    const x = tensor([1, 2], { requiresGrad: true })
    apply(op, [x, tensor(3)]).sum().backward()
    expect(Array.from(x.grad!.data)).toEqual([3, 3])
  })

  it('defineOp joins the registry, and refuses a name already taken or an op with no rule', () => {
    defineOp({ name: 'registered', rule: 'd x/dx = 1', forward: ([x]: readonly Tensor[]) => ({ out: x.data, shape: x.shape, saved: undefined }), backward: (d) => [d] })
    expect(() =>
      defineOp({ name: 'relu', rule: 'mine', forward: ([x]: readonly Tensor[]) => ({ out: x.data, shape: x.shape, saved: undefined }), backward: (d) => [d] }),
    ).toThrow("defineOp: there is already an op named 'relu'; give yours another name")
    expect(() =>
      defineOp({ name: 'noRule', rule: '', forward: ([x]: readonly Tensor[]) => ({ out: x.data, shape: x.shape, saved: undefined }), backward: (d) => [d] }),
    ).toThrow(/op 'noRule' needs its rule/)
    // OPS is the library's ops, taken when softgrad loaded: a learner's op does not join it
    expect('registered' in OPS).toBe(false)
    expect('relu' in OPS).toBe(true)
  })

  it('a forward that returns the wrong number of numbers for its shape is named at once', () => {
    const op = defineOp({ name: 'shortForward', rule: 'd x/dx = 1', forward: ([x]: readonly Tensor[]) => ({ out: allocate(1), shape: x.shape, saved: undefined }), backward: (d) => [d] })
    expect(() => apply(op, [tensor([1, 2, 3])])).toThrow('shortForward forward: returned 1 numbers for shape [3] (3 numbers)')
  })
})

describe('Tensor methods come from one table', () => {
  it('each method is the free function of the same name with the tensor first', () => {
    const x = randn([2, 3], { rng: makeRng(3) })
    expect(x.relu().toArray()).toEqual(relu(x).toArray())
    expect(x.pow(3).toArray()).toEqual(pow(x, 3).toArray())
    expect(x.sum(1, true).toArray()).toEqual(sum(x, 1, true).toArray())
    expect(x.softmax(0, { temperature: 2 }).toArray()).toEqual(softmax(x, { dim: 0, temperature: 2 }).toArray())
    expect(x.logSoftmax().toArray()).toEqual(logSoftmax(x, { dim: -1 }).toArray())
    expect(x.T.toArray()).toEqual(transpose(x).toArray())
  })

  it('a method name given twice, or one Tensor already has, is refused before anything is installed', () => {
    const same = (x: Tensor) => x
    expect(() => installTensorMethods({ mine: { backward: same } })).toThrow(
      "Tensor method 'backward' in mine is already defined by Tensor itself; give the method another name",
    )
    expect(() => installTensorMethods({ first: { twice: same }, second: { twice: same } })).toThrow(
      "Tensor method 'twice' in second is already defined by first",
    )
    expect('twice' in tensor([1])).toBe(false)
  })
})
