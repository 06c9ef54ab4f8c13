/**
 * linearRows:  out[n, j] = x[n]·W[r]ᵀ + b[r]   with r = index[n, j]
 *              x [N, in], W [R, in], b [R], index [N, S] → [N, S]
 * backward:    dX[n] += dOut[n, j]·W[r],   dW[r] += dOut[n, j]·x[n],   db[r] += dOut[n, j]
 *
 * The same numbers as sum(x[:, None, :] ⊙ takeRows(W, index), −1) + takeRows(b, index) (the
 * tests check both), fused so that each row of x meets only the S rows of W it needs: N·S·in
 * multiply-adds instead of linear's N·R·in, and no [N, S, in] tensor in between. This is what
 * makes the hierarchical softmax's log p(c | h) cost O(√C) per row.
 */
import type { Tensor } from '../tensor.js'
import { apply, defineOp } from './op.js'
import { checkRowIndex } from './checks.js'
import { formatShape } from '../shape.js'
import { allocate } from '../buffers.js'

export interface LinearRowsParams {
  index: Int32Array
  /** picks per row of x */
  picks: number
}

export const linearRowsOp = defineOp({
  name: 'linearRows',
  rule: 'dX[n] += dOut[n,j]·W[r], dW[r] += dOut[n,j]·x[n], db[r] += dOut[n,j], r = index[n,j]',
  forward(inputs: readonly Tensor[], { index, picks }: LinearRowsParams) {
    const [x, w, b] = inputs
    const [n, inF] = x.shape
    const rows = w.shape[0]
    const out = allocate(n * picks)
    const xd = x.data
    const wd = w.data
    const bd = b?.data
    // n-j-i: x's row stays in cache while the picked rows of W stream past it.
    for (let row = 0; row < n; row++) {
      const xBase = row * inF
      for (let j = 0; j < picks; j++) {
        const r = index[row * picks + j]
        const wBase = r * inF
        let dot = bd === undefined ? 0 : bd[r]
        for (let i = 0; i < inF; i++) dot += xd[xBase + i] * wd[wBase + i]
        out[row * picks + j] = dot
      }
    }
    return { out, shape: [n, picks], saved: { x: x.data, w: w.data, index, picks, n, inF, rows, hasBias: b !== undefined } }
  },
  backward(dOut, { x, w, index, picks, n, inF, rows, hasBias }, needsGrad) {
    const dX = needsGrad[0] ? allocate(n * inF) : null
    const dW = needsGrad[1] ? allocate(rows * inF) : null
    const dB = hasBias && needsGrad[2] ? allocate(rows) : null
    for (let row = 0; row < n; row++) {
      const xBase = row * inF
      for (let j = 0; j < picks; j++) {
        const g = dOut[row * picks + j]
        if (g === 0) continue // padding and rows without a gradient add nothing
        const r = index[row * picks + j]
        const wBase = r * inF
        if (dX !== null) for (let i = 0; i < inF; i++) dX[xBase + i] += g * w[wBase + i]
        if (dW !== null) for (let i = 0; i < inF; i++) dW[wBase + i] += g * x[xBase + i]
        if (dB !== null) dB[r] += g
      }
    }
    return hasBias ? [dX, dW, dB] : [dX, dW]
  },
})

/**
 * linearRows(x [N, in], W [R, in], b [R] | null, index [N·S] row numbers of W) → [N, S], the
 * logits of only the rows each sample asks for:
 *
 *   linearRows(tensor([[1, 2]]), tensor([[1, 0], [0, 1], [1, 1]]), null, [2, 0]) → [[3, 1]]
 */
export function linearRows(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, index: Int32Array | readonly number[]): Tensor {
  if (x.shape.length !== 2 || weight.shape.length !== 2 || x.shape[1] !== weight.shape[1]) {
    throw new Error(
      `linearRows: x must be [N, in] and weight [R, in] with the same in; x is ${formatShape(x.shape)}, weight is ${formatShape(weight.shape)}`,
    )
  }
  if (bias != null && (bias.shape.length !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(`linearRows: bias must be [R] = [${weight.shape[0]}], got ${formatShape(bias.shape)}`)
  }
  const n = x.shape[0]
  const picks = n === 0 ? 0 : index.length / n
  if (!Number.isInteger(picks) || (n === 0 && index.length !== 0)) {
    throw new Error(`linearRows: an index of ${index.length} row numbers does not split into ${n} rows of x ${formatShape(x.shape)}; give the same number of picks per row`)
  }
  const idx = checkRowIndex(index, weight.shape[0], 'linearRows', `weight of shape ${formatShape(weight.shape)}`)
  return apply(linearRowsOp, bias == null ? [x, weight] : [x, weight, bias], { index: idx, picks })
}
