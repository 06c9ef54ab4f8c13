/**
 * Sample inputs for every op in OPS. Typed Record<OpName, Sample[]>: an op with no samples is
 * a compile error. test/ops.gradcheck.test.ts gradient-checks every sample; the samples also
 * show how each op is called.
 *
 * The samples cover broadcasting, negative dims, keepDim, the same tensor used twice, plain
 * numbers as operands and large magnitudes, and keep away from kinks (relu and abs at 0, ties
 * in max) where finite differences are meaningless.
 */
import {
  type OpName, makeRng, tensor,
  add, sub, mul, div, neg, exp, log, pow, sqrt, abs, relu, leakyRelu, tanh, sigmoid, gelu,
  matmul, transpose, reshape, sum, mean, max, logsumexp, softmax, logSoftmax, gather,
  softmaxCrossEntropy, bceWithLogits, linear,
} from '../src/index.js'
import { takeRows, linearRows } from '../src/ops/index.js'
import { softmaxFamilySamples } from './catalogue.softmax-family.js'
import { sample, sampleInputs, type Sample } from './sample-inputs.js'

export type { Sample } from './sample-inputs.js'

const { normal, uniform, awayFromZero, distinct } = sampleInputs(makeRng('catalogue'))

export const catalogue: Record<OpName, Sample[]> = {
  add: [
    sample('same shape [2,3] + [2,3]', [normal([2, 3]), normal([2, 3])], (a, b) => add(a, b)),
    sample('broadcast [4,3] + [3]', [normal([4, 3]), normal([3])], (a, b) => add(a, b)),
    sample('broadcast both ways [2,1] + [1,3]', [normal([2, 1]), normal([1, 3])], (a, b) => add(a, b)),
    sample('0-d scalar tensor + [2,2]', [normal([]), normal([2, 2])], (a, b) => add(a, b)),
    sample('a plain number on the left', [normal([3])], (a) => add(2.5, a)),
    sample('the same tensor twice', [normal([2, 3])], (a) => add(a, a)),
    sample('large magnitudes', [normal([3], 1e4), normal([3], 1e4)], (a, b) => add(a, b)),
  ],
  sub: [
    sample('same shape', [normal([2, 3]), normal([2, 3])], (a, b) => sub(a, b)),
    sample('broadcast [3,1] − [4]', [normal([3, 1]), normal([4])], (a, b) => sub(a, b)),
    sample('a plain number on the left', [normal([4])], (a) => sub(3, a)),
    sample('the same tensor twice', [normal([3])], (a) => sub(a, a)),
  ],
  mul: [
    sample('same shape', [normal([2, 3]), normal([2, 3])], (a, b) => mul(a, b)),
    sample('broadcast [4,1] · [3]', [normal([4, 1]), normal([3])], (a, b) => mul(a, b)),
    sample('a plain number on the right', [normal([2, 2])], (a) => mul(a, -1.5)),
    sample('the same tensor twice (x·x)', [normal([5])], (a) => mul(a, a)),
    sample('large magnitudes', [normal([3], 1e3), normal([3], 1e3)], (a, b) => mul(a, b)),
  ],
  div: [
    sample('same shape, divisor away from 0', [normal([2, 3]), awayFromZero([2, 3])], (a, b) => div(a, b)),
    sample('broadcast [2,3] / [3]', [normal([2, 3]), awayFromZero([3])], (a, b) => div(a, b)),
    sample('a plain number on the left (1/x)', [awayFromZero([4])], (b) => div(1, b)),
    sample('the same tensor twice (x/x)', [awayFromZero([3])], (a) => div(a, a)),
  ],
  neg: [
    sample('[2,3]', [normal([2, 3])], (a) => neg(a)),
    sample('0-d scalar', [normal([])], (a) => neg(a)),
  ],
  exp: [
    sample('[2,3]', [normal([2, 3])], (a) => exp(a)),
    sample('large inputs around 20', [normal([3], 1, 20)], (a) => exp(a)),
  ],
  log: [
    sample('positive [2,3]', [uniform([2, 3], 0.5, 3)], (a) => log(a)),
    sample('large magnitudes 1e3..1e5', [uniform([4], 1e3, 1e5)], (a) => log(a)),
  ],
  pow: [
    sample('square', [normal([2, 3])], (a) => pow(a, 2)),
    sample('cube of either sign', [normal([4])], (a) => pow(a, 3)),
    sample('square root of positives (p = 0.5)', [uniform([3], 0.5, 4)], (a) => pow(a, 0.5)),
    sample('negative power of positives (p = −1.5)', [uniform([3], 0.5, 4)], (a) => pow(a, -1.5)),
  ],
  sqrt: [
    sample('positive [2,3]', [uniform([2, 3], 0.3, 5)], (a) => sqrt(a)),
    sample('large magnitudes', [uniform([3], 1e4, 1e6)], (a) => sqrt(a)),
  ],
  abs: [
    sample('away from 0', [awayFromZero([2, 3])], (a) => abs(a)),
    sample('the same tensor twice (|x|·x)', [awayFromZero([4])], (a) => mul(abs(a), a)),
  ],
  relu: [
    sample('away from the kink at 0', [awayFromZero([3, 4])], (a) => relu(a)),
    sample('after a matmul', [awayFromZero([2, 3]), normal([3, 2])], (a, w) => relu(add(matmul(a, w), 0.05))),
  ],
  leakyRelu: [
    sample('default slope 0.01', [awayFromZero([3, 4])], (a) => leakyRelu(a)),
    sample('slope 0.2', [awayFromZero([5])], (a) => leakyRelu(a, 0.2)),
  ],
  tanh: [
    sample('[2,3]', [normal([2, 3])], (a) => tanh(a)),
    sample('saturated inputs around ±4', [normal([4], 0.3, 4)], (a) => tanh(a)),
  ],
  sigmoid: [
    sample('[2,3]', [normal([2, 3])], (a) => sigmoid(a)),
    sample('large magnitudes of either sign', [tensor([-30, -8, 8, 30], { requiresGrad: true })], (a) => sigmoid(a)),
  ],
  gelu: [
    sample('[2,3]', [normal([2, 3])], (a) => gelu(a)),
    sample('large magnitudes of either sign, around ±6', [normal([4], 0.5, 6), normal([4], 0.5, -6)], (a, b) => add(gelu(a), gelu(b))),
    sample('the same tensor twice (gelu(x)·x)', [normal([5])], (a) => mul(gelu(a), a)),
  ],
  matmul: [
    sample('[3,4] · [4,2]', [normal([3, 4]), normal([4, 2])], (a, b) => matmul(a, b)),
    sample('[1,5] · [5,1]', [normal([1, 5]), normal([5, 1])], (a, b) => matmul(a, b)),
    sample('odd sizes [5,7] · [7,6]', [normal([5, 7]), normal([7, 6])], (a, b) => matmul(a, b)),
    sample('the same tensor twice (A·A)', [normal([3, 3])], (a) => matmul(a, a)),
  ],
  transpose: [
    sample('2-D, the default last two dims', [normal([2, 3])], (a) => transpose(a)),
    sample('3-D, dims 0 and 2', [normal([2, 3, 4])], (a) => transpose(a, 0, 2)),
    sample('negative dims', [normal([2, 3, 2])], (a) => transpose(a, -3, -2)),
  ],
  reshape: [
    sample('[2,3] → [3,2]', [normal([2, 3])], (a) => reshape(a, [3, 2])),
    sample('[2,3,2] → [-1] (inferred)', [normal([2, 3, 2])], (a) => reshape(a, [-1])),
  ],
  sum: [
    sample('everything', [normal([2, 3])], (a) => sum(a)),
    sample('dim 0', [normal([3, 4])], (a) => sum(a, 0)),
    sample('dim −1 with keepDim', [normal([3, 4])], (a) => sum(a, -1, true)),
    sample('middle dim of 3-D', [normal([2, 3, 4])], (a) => sum(a, 1)),
  ],
  mean: [
    sample('everything', [normal([2, 3])], (a) => mean(a)),
    sample('dim −1 with keepDim', [normal([3, 4])], (a) => mean(a, -1, true)),
    sample('dim 0 of 3-D', [normal([2, 3, 2])], (a) => mean(a, 0)),
  ],
  max: [
    sample('dim 1, no ties', [distinct([3, 4])], (a) => max(a, 1)),
    sample('dim 0 with keepDim', [distinct([3, 4])], (a) => max(a, 0, true)),
    sample('dim −1 of 3-D', [distinct([2, 2, 3])], (a) => max(a, -1)),
  ],
  logsumexp: [
    sample('dim −1', [normal([3, 4])], (a) => logsumexp(a, -1)),
    sample('dim 0 with keepDim', [normal([3, 4])], (a) => logsumexp(a, 0, true)),
    sample('large magnitudes around 1000', [normal([2, 5], 3, 1000)], (a) => logsumexp(a, 1)),
  ],
  softmax: [
    sample('dim −1', [normal([3, 4])], (a) => softmax(a)),
    sample('dim 0', [normal([3, 4])], (a) => softmax(a, { dim: 0 })),
    sample('temperature 3', [normal([2, 5])], (a) => softmax(a, { temperature: 3 })),
    sample('temperature 0.5', [normal([2, 5])], (a) => softmax(a, { temperature: 0.5 })),
    sample('middle dim of 3-D', [normal([2, 3, 4])], (a) => softmax(a, { dim: 1 })),
    sample('large logits around 1000', [normal([2, 4], 2, 1000)], (a) => softmax(a)),
  ],
  logSoftmax: [
    sample('dim −1', [normal([3, 4])], (a) => logSoftmax(a)),
    sample('dim 0', [normal([3, 4])], (a) => logSoftmax(a, { dim: 0 })),
    sample('temperature 2', [normal([2, 5])], (a) => logSoftmax(a, { temperature: 2 })),
    sample('middle dim of 3-D with temperature 0.7', [normal([2, 3, 4])], (a) => logSoftmax(a, { dim: -2, temperature: 0.7 })),
    sample('large logits around −1000', [normal([2, 4], 2, -1000)], (a) => logSoftmax(a)),
  ],
  gather: [
    sample('one pick per row along dim 1 (labels)', [normal([4, 3])], (a) => gather(a, 1, [2, 0, 1, 1])),
    sample('along dim 0', [normal([3, 2])], (a) => gather(a, 0, [2, 0, 1, 1])),
    sample('the same index twice accumulates', [normal([2, 3])], (a) => gather(a, 1, [1, 1, 0, 0])),
  ],
  ...softmaxFamilySamples,
  softmaxCrossEntropy: [
    sample('mean over class indices', [normal([4, 3])], (z) => softmaxCrossEntropy(z, [0, 2, 1, 2])),
    sample('no reduction, weights, smoothing, an ignored row, T = 2', [normal([4, 3])], (z) =>
      softmaxCrossEntropy(z, [1, -100, 0, 2], { reduction: 'none', weight: [0.3, 1, 2], labelSmoothing: 0.1, temperature: 2 }),
    ),
    sample('sum over soft targets', [normal([3, 4])], (z) =>
      softmaxCrossEntropy(z, tensor([[0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]]), { reduction: 'sum' }),
    ),
    sample('large logits around 1000', [normal([2, 3], 5, 1000)], (z) => softmaxCrossEntropy(z, [1, 0])),
  ],
  linear: [
    sample('x·Wᵀ + b, [4,3] → [4,2]', [normal([4, 3]), normal([2, 3]), normal([2])], (x, w, b) => linear(x, w, b)),
    sample('without bias, odd sizes [5,7] → [5,6]', [normal([5, 7]), normal([6, 7])], (x, w) => linear(x, w)),
    sample('the same tensor as input and weight', [normal([3, 3]), normal([3])], (x, b) => linear(x, x, b)),
  ],
  bceWithLogits: [
    sample('targets in [0, 1]', [awayFromZero([2, 3])], (x) => bceWithLogits(x, tensor([[1, 0, 0.5], [0, 1, 0.2]]))),
    sample('large magnitudes', [tensor([-40, -5, 5, 40], { requiresGrad: true })], (x) => bceWithLogits(x, tensor([1, 0, 1, 0]))),
  ],
  takeRows: [
    sample('rows of a matrix, one taken twice', [normal([4, 3])], (x) => takeRows(x, [2, 0, 2, 3])),
    sample('entries of a vector into an index of shape [2,3]', [normal([5])], (b) => takeRows(b, [4, 0, 1, 1, 3, 0], [2, 3])),
    sample('rows of a [3,2,2] tensor', [normal([3, 2, 2])], (x) => takeRows(x, [1, 2])),
  ],
  linearRows: [
    sample('x·W[r]ᵀ + b[r], 2 picks per row, a row of W picked twice', [normal([3, 4]), normal([5, 4]), normal([5])], (x, w, b) =>
      linearRows(x, w, b, [4, 1, 0, 4, 2, 2]),
    ),
    sample('without bias, one pick per row', [normal([4, 3]), normal([6, 3])], (x, w) => linearRows(x, w, null, [5, 0, 3, 5])),
    sample('the same tensor as input and weight', [normal([3, 3]), normal([3])], (x, b) => linearRows(x, x, b, [0, 2, 1, 1, 2, 0])),
  ],
}
