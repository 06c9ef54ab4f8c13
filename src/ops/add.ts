/**
 * add:  out = a + b   (broadcast)     backward: dA = sum↓(dOut), dB = sum↓(dOut)
 * neg:  out = −a                      backward: dA = −dOut
 * sub:  a − b = add(a, neg(b))        composite, no backward of its own
 */
import type { Tensor } from '../tensor.js'
import { apply, broadcastShape, defineComposite, defineOp, planBroadcast, sumToShape, toTensor } from './op.js'
import { addKernel, scaleKernel } from '../kernels/elementwise.js'

export const addOp = defineOp({
  name: 'add',
  rule: 'd(a + b)/da = 1, d(a + b)/db = 1',
  forward([a, b]: readonly Tensor[]) {
    const plan = planBroadcast(a, b, 'add')
    const out = addKernel(a.data, plan.aIndex, b.data, plan.bIndex, plan.size)
    return { out, shape: plan.shape, saved: { aShape: a.shape, bShape: b.shape, outShape: plan.shape } }
  },
  backward(dOut, { aShape, bShape, outShape }) {
    return [sumToShape(dOut, outShape, aShape), sumToShape(dOut, outShape, bShape)]
  },
})

export const negOp = defineOp({
  name: 'neg',
  rule: 'd(−a)/da = −1',
  forward([a]: readonly Tensor[]) {
    return { out: scaleKernel(a.data, -1), shape: a.shape, saved: undefined }
  },
  backward(dOut) {
    return [scaleKernel(dOut, -1)]
  },
})

export const subOp = defineComposite({ name: 'sub', rule: 'a − b = a + (−b)', composedOf: ['add', 'neg'] })

/** add(tensor([1, 2]), 10) → [11, 12] */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  return apply(addOp, [toTensor(a, 'add'), toTensor(b, 'add')], undefined)
}

/** neg(tensor([1, -2])) → [-1, 2] */
export function neg(a: Tensor): Tensor {
  return apply(negOp, [toTensor(a, 'neg')], undefined)
}

/** sub(tensor([5, 5]), tensor([1, 2])) → [4, 3] */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  const x = toTensor(a, 'sub')
  const y = toTensor(b, 'sub')
  broadcastShape(x.shape, y.shape, 'sub') // so a shape error names sub, not add
  return add(x, neg(y))
}
