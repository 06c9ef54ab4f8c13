/**
 * add:  out = a + b   (broadcast)     backward: dA = sum↓(dOut), dB = sum↓(dOut)
 * neg:  out = −a                      backward: dA = −dOut
 * sub:  a − b = add(a, neg(b))        composite, no backward of its own
 *
 * sum↓ is sumToShape: a gradient of the broadcast shape summed back to the input's shape.
 */
import type { Tensor } from '../tensor.js'
import { apply, broadcastShape, defineComposite, defineOp, planBroadcast, sumToShape, toTensor } from './op.js'
import { addKernel } from '../kernels/elementwise.js'
import { allocate } from '../buffers.js'

export const addOp = defineOp({
  name: 'add',
  rule: 'd(a + b)/da = 1, d(a + b)/db = 1',
  forward([a, b]: readonly Tensor[]) {
    const plan = planBroadcast(a, b, 'add')
    const out = addKernel(a.data, plan.aIndex, b.data, plan.bIndex, plan.size)
    return { out, shape: plan.shape, saved: { aShape: a.shape, bShape: b.shape, outShape: plan.shape } }
  },
  backward(dOut, { aShape, bShape, outShape }, needsGrad) {
    const dA = needsGrad[0] ? sumToShape(dOut, outShape, aShape) : null
    const dB = needsGrad[1] ? sumToShape(dOut, outShape, bShape) : null
    return [dA, dB]
  },
})

export const negOp = defineOp({
  name: 'neg',
  rule: 'd(−a)/da = −1',
  forward([a]: readonly Tensor[]) {
    const out = allocate(a.size)
    const x = a.data
    for (let i = 0; i < out.length; i++) out[i] = -x[i]
    return { out, shape: a.shape, saved: undefined }
  },
  backward(dOut) {
    const dA = allocate(dOut.length)
    for (let i = 0; i < dA.length; i++) dA[i] = -dOut[i]
    return [dA]
  },
})

export const subOp = defineComposite({ name: 'sub', rule: 'a − b = a + (−b)', composedOf: ['add', 'neg'] })

/** add(tensor([1, 2]), 10) → [11, 12] */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  return apply(addOp, [toTensor(a, 'add'), toTensor(b, 'add')])
}

/** neg(tensor([1, -2])) → [-1, 2] */
export function neg(a: Tensor): Tensor {
  return apply(negOp, [toTensor(a, 'neg')])
}

/** sub(tensor([5, 5]), tensor([1, 2])) → [4, 3] */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  const x = toTensor(a, 'sub')
  const y = toTensor(b, 'sub')
  broadcastShape(x.shape, y.shape, 'sub') // so a shape error names sub, not add
  return add(x, neg(y))
}

/** The Tensor methods: x.add(y), x.sub(y), x.neg(). */
export const addMethods = { add, sub, neg }
