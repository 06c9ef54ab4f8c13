/**
 * mul:  out = a · b   (broadcast)   backward: dA = sum↓(dOut · b), dB = sum↓(dOut · a)
 * div:  out = a / b   (broadcast)   backward: dA = sum↓(dOut / b), dB = sum↓(−dOut · out / b)
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp, planBroadcast, sumToShape, toTensor } from './op.js'
import { divKernel, mulKernel } from '../kernels/elementwise.js'

export const mulOp = defineOp({
  name: 'mul',
  rule: 'd(a · b)/da = b, d(a · b)/db = a',
  forward([a, b]: readonly Tensor[]) {
    const plan = planBroadcast(a, b, 'mul')
    const out = mulKernel(a.data, plan.aIndex, b.data, plan.bIndex, plan.size)
    return { out, shape: plan.shape, saved: { a, b, plan } }
  },
  backward(dOut, { a, b, plan }, needsGrad) {
    const n = plan.size
    const dA = needsGrad[0] ? sumToShape(mulKernel(dOut, null, b.data, plan.bIndex, n), plan.shape, a.shape) : null
    const dB = needsGrad[1] ? sumToShape(mulKernel(dOut, null, a.data, plan.aIndex, n), plan.shape, b.shape) : null
    return [dA, dB]
  },
})

export const divOp = defineOp({
  name: 'div',
  rule: 'd(a / b)/da = 1/b, d(a / b)/db = −a/b²',
  forward([a, b]: readonly Tensor[]) {
    const plan = planBroadcast(a, b, 'div')
    const out = divKernel(a.data, plan.aIndex, b.data, plan.bIndex, plan.size)
    return { out, shape: plan.shape, saved: { a, b, plan, out } }
  },
  backward(dOut, { a, b, plan, out }) {
    const n = plan.size
    const dA = sumToShape(divKernel(dOut, null, b.data, plan.bIndex, n), plan.shape, a.shape)
    // −dOut · a / b² = −dOut · out / b
    const dOutTimesOut = mulKernel(dOut, null, out, null, n)
    const negDB = divKernel(dOutTimesOut, null, b.data, plan.bIndex, n)
    for (let i = 0; i < n; i++) negDB[i] = -negDB[i]
    return [dA, sumToShape(negDB, plan.shape, b.shape)]
  },
})

/** mul(tensor([1, 2]), 3) → [3, 6] */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  return apply(mulOp, [toTensor(a, 'mul'), toTensor(b, 'mul')], undefined)
}

/** div(tensor([3, 6]), 3) → [1, 2] */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  return apply(divOp, [toTensor(a, 'div'), toTensor(b, 'div')], undefined)
}
