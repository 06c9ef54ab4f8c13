/**
 * mul:  out = a · b   (broadcast)   backward: dA = sum↓(dOut · b), dB = sum↓(dOut · a)
 * div:  out = a / b   (broadcast)   backward: dA = sum↓(dOut / b), dB = sum↓(−dOut · out / b)
 *
 * sum↓ is sumToShape: a gradient of the broadcast shape summed back to the input's shape.
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
    return { out, shape: plan.shape, saved: { a: a.data, aShape: a.shape, b: b.data, bShape: b.shape, plan } }
  },
  backward(dOut, { a, aShape, b, bShape, plan }, needsGrad) {
    const n = plan.size
    const dA = needsGrad[0] ? sumToShape(mulKernel(dOut, null, b, plan.bIndex, n), plan.shape, aShape) : null
    const dB = needsGrad[1] ? sumToShape(mulKernel(dOut, null, a, plan.aIndex, n), plan.shape, bShape) : null
    return [dA, dB]
  },
})

export const divOp = defineOp({
  name: 'div',
  rule: 'd(a / b)/da = 1/b, d(a / b)/db = −a/b²',
  forward([a, b]: readonly Tensor[]) {
    const plan = planBroadcast(a, b, 'div')
    const out = divKernel(a.data, plan.aIndex, b.data, plan.bIndex, plan.size)
    return { out, shape: plan.shape, saved: { aShape: a.shape, b: b.data, bShape: b.shape, out, plan } }
  },
  backward(dOut, { aShape, b, bShape, out, plan }, needsGrad) {
    const n = plan.size
    const dA = needsGrad[0] ? sumToShape(divKernel(dOut, null, b, plan.bIndex, n), plan.shape, aShape) : null
    let dB: Float64Array | null = null
    if (needsGrad[1]) {
      // −dOut · a / b² = −dOut · out / b
      const negDB = divKernel(mulKernel(dOut, null, out, null, n), null, b, plan.bIndex, n)
      for (let i = 0; i < n; i++) negDB[i] = -negDB[i]
      dB = sumToShape(negDB, plan.shape, bShape)
    }
    return [dA, dB]
  },
})

/** mul(tensor([1, 2]), 3) → [3, 6] */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  return apply(mulOp, [toTensor(a, 'mul'), toTensor(b, 'mul')])
}

/** div(tensor([3, 6]), 3) → [1, 2] */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  return apply(divOp, [toTensor(a, 'div'), toTensor(b, 'div')])
}

/** The Tensor methods: x.mul(y), x.div(y). */
export const mulMethods = { mul, div }
