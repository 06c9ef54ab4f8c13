/**
 * linear:  out = x·Wᵀ + b     x [N, in], W [out, in] (PyTorch's layout), b [out]
 * backward: dX = dOut·W,  dW = dOutᵀ·x,  db = Σₙ dOut
 *
 * The same numbers as matmul(x, transpose(W)).add(b) (the catalogue checks both), fused into
 * one op so that the layer every model is made of never copies Wᵀ: the forward is the A·Bᵀ
 * kernel and the backward the A·B and Aᵀ·B ones.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { matmulNN, matmulNT, matmulTN } from '../kernels/matmul.js'
import { sumDimKernel } from '../kernels/reduce.js'
import { formatShape } from '../shape.js'

export const linearOp = defineOp({
  name: 'linear',
  rule: 'dX = dOut·W, dW = dOutᵀ·x, db = Σ dOut over rows',
  forward(inputs: readonly Tensor[]) {
    const [x, w, b] = inputs
    const [n, inF] = x.shape
    const outF = w.shape[0]
    const out = matmulNT(x.data, w.data, n, inF, outF)
    if (b !== undefined) {
      const bias = b.data
      for (let i = 0; i < n; i++) for (let j = 0; j < outF; j++) out[i * outF + j] += bias[j]
    }
    return { out, shape: [n, outF], saved: { x: x.data, w: w.data, n, inF, outF, hasBias: b !== undefined } }
  },
  backward(dOut, { x, w, n, inF, outF, hasBias }, needsGrad) {
    // The first layer's input is data: its dX is never needed, and skipping it saves a third of the work.
    const dX = needsGrad[0] ? matmulNN(dOut, w, n, outF, inF) : null // [n×out]·[out×in]
    const dW = needsGrad[1] ? matmulTN(dOut, x, outF, n, inF) : null // [n×out]ᵀ·[n×in]
    return hasBias ? [dX, dW, needsGrad[2] ? sumDimKernel(dOut, 1, n, outF) : null] : [dX, dW]
  },
})

/** linear(x [N, in], W [out, in], b? [out]) → x·Wᵀ + b, [N, out] */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (x.shape.length !== 2 || weight.shape.length !== 2 || x.shape[1] !== weight.shape[1]) {
    throw new Error(
      `linear: x must be [N, in] and weight [out, in] with the same in; x is ${formatShape(x.shape)}, weight is ${formatShape(weight.shape)}`,
    )
  }
  if (bias != null && (bias.shape.length !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(`linear: bias must be [out] = [${weight.shape[0]}], got ${formatShape(bias.shape)}`)
  }
  return apply(linearOp, bias == null ? [x, weight] : [x, weight, bias])
}
