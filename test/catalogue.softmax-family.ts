/**
 * Catalogue samples for the rest of the softmax family: hardmax, sparsemax and gumbelSoftmax.
 * Same rules as test/catalogue.ts: inputs with requiresGrad are gradient-checked, and every
 * sample keeps away from the places finite differences cannot see through:
 * - hardmax: distinct values, so no nudge moves the argmax (its gradient is 0 everywhere else);
 * - sparsemax: every z_j at least 0.05 from the threshold τ, so no nudge changes the support;
 * - gumbelSoftmax: soft mode only, each call drawing the same noise from a fresh makeRng(seed).
 *   Hard mode is a step function by design; test/softmax-family.test.ts checks it on its own.
 */
import { type Tensor, makeRng, randn, tensor, mul, hardmax, sparsemax, gumbelSoftmax } from '../src/index.js'
import { sample, sampleInputs, type Sample } from './sample-inputs.js'

const rng = makeRng('catalogue.softmax-family')
const { normal, distinct } = sampleInputs(rng)

/** sparsemax's threshold τ of one row, straight from the paper (an independent reference). */
function threshold(row: readonly number[]): number {
  const z = [...row].sort((a, b) => b - a)
  let cumulative = 0
  let tau = 0
  for (let k = 1; k <= z.length; k++) {
    cumulative += z[k - 1]
    if (1 + k * z[k - 1] > cumulative) tau = (cumulative - 1) / k
  }
  return tau
}

/**
 * Normal values along `dim`, each row redrawn until every z_j is at least `margin` from τ:
 * then a nudge of ε never moves an entry into or out of the support.
 */
function awayFromSupportEdge(shape: number[], dim: number, scale = 1, shift = 0, margin = 0.05): Tensor {
  const d = dim < 0 ? dim + shape.length : dim
  const n = shape[d]
  const outer = shape.slice(0, d).reduce((p, x) => p * x, 1)
  const inner = shape.slice(d + 1).reduce((p, x) => p * x, 1)
  const data = new Float64Array(outer * n * inner)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let row: number[]
      do {
        row = Array.from(randn([n], { rng }).data, (v) => v * scale + shift)
      } while (row.some((v) => Math.abs(v - threshold(row)) < margin))
      for (let j = 0; j < n; j++) data[(o * n + j) * inner + i] = row[j]
    }
  }
  return tensor(data, { shape, requiresGrad: true })
}

export const softmaxFamilySamples: { hardmax: Sample[]; sparsemax: Sample[]; gumbelSoftmax: Sample[] } = {
  hardmax: [
    sample('dim −1, no ties (gradient 0)', [distinct([3, 4])], (a) => hardmax(a)),
    sample('dim 0', [distinct([3, 4])], (a) => hardmax(a, 0)),
    sample('middle dim of 3-D', [distinct([2, 3, 4])], (a) => hardmax(a, 1)),
    sample('the same tensor twice: x ⊙ hardmax(x) picks the max, its gradient flows through mul', [distinct([2, 5])], (a) =>
      mul(a, hardmax(a)),
    ),
  ],
  sparsemax: [
    sample('dim −1, away from the support edges', [awayFromSupportEdge([3, 5], -1)], (a) => sparsemax(a)),
    sample('dim 0', [awayFromSupportEdge([4, 3], 0)], (a) => sparsemax(a, 0)),
    sample('middle dim of 3-D', [awayFromSupportEdge([2, 4, 3], 1)], (a) => sparsemax(a, 1)),
    sample('a wide spread: most entries exactly 0', [awayFromSupportEdge([2, 6], -1, 3)], (a) => sparsemax(a)),
    sample('large logits around 1000', [awayFromSupportEdge([2, 4], -1, 0.5, 1000)], (a) => sparsemax(a)),
  ],
  gumbelSoftmax: [
    sample('dim −1, T = 1', [normal([3, 4])], (a) => gumbelSoftmax(a, { rng: makeRng(1) })),
    sample('dim 0, T = 0.5', [normal([3, 4])], (a) => gumbelSoftmax(a, { dim: 0, temperature: 0.5, rng: makeRng(2) })),
    sample('middle dim of 3-D, T = 2', [normal([2, 3, 4])], (a) =>
      gumbelSoftmax(a, { dim: 1, temperature: 2, rng: makeRng(3) }),
    ),
  ],
}
