/**
 * gumbelSoftmax (Jang et al. 2017; Maddison et al. 2017): a differentiable sample of a
 * category drawn with probabilities softmax(logits).
 *
 *   g = −log(−log u),  u ~ Uniform(0, 1)       Gumbel noise, one number per logit
 *   y = softmax((logits + g) / T)               a composition: add, then softmax
 *
 * argmax(logits + g) is an exact sample from softmax(logits) (the Gumbel-max trick); y is its
 * smooth stand-in, near one-hot for small T. With `hard`, the value is onehot(argmax y) and the
 * gradient is y's (straight-through): hard + (y − y.detach()) is hard in value, y in gradient.
 */
import { Tensor } from '../tensor.js'
import { defineComposite } from './op.js'
import { add, sub } from './add.js'
import { softmax } from './softmax.js'
import { checkTemperature } from './checks.js'
import { hardmax } from './hardmax.js'
import { getRng, type Rng } from '../random.js'
import { normaliseDim } from '../shape.js'
import { allocate } from '../buffers.js'

export interface GumbelSoftmaxOptions {
  /** default 1; must be a finite number > 0 */
  temperature?: number
  /** default false; true: one-hot values with the soft sample's gradient */
  hard?: boolean
  /** where the noise comes from; the default generator (manualSeed) when not given */
  rng?: Rng
  /** the dim that sums to 1; default −1, the last */
  dim?: number
}

export const gumbelSoftmaxOp = defineComposite({
  name: 'gumbelSoftmax',
  rule: 'y = softmax((z + noise)/T): dz = y ⊙ (g − Σ g·y) / T; hard passes it straight through',
  composedOf: ['add', 'softmax'],
})

/** u = 0 would make g = −∞; the smallest u allowed. */
const TINY = 1e-20

/** gumbelSoftmax(tensor([[2, 0, -1]]), { temperature: 0.5, rng: makeRng(0) }) → a row near one-hot, summing to 1 */
export function gumbelSoftmax(logits: Tensor, options: GumbelSoftmaxOptions = {}): Tensor {
  const { temperature = 1, hard = false, rng, dim = -1 } = options
  checkTemperature(temperature, 'gumbelSoftmax')
  if (logits.shape.length === 0) throw new Error('gumbelSoftmax: needs at least one dim, got a 0-d tensor')
  normaliseDim(dim, logits.shape.length, 'gumbelSoftmax') // so a bad dim names gumbelSoftmax
  const random = getRng(rng)
  const noise = allocate(logits.size)
  for (let i = 0; i < noise.length; i++) {
    const u = Math.max(random(), TINY) // in [TINY, 1): −log u > 0, so both logs are finite
    noise[i] = -Math.log(-Math.log(u))
  }
  const y = softmax(add(logits, new Tensor(noise, logits.shape)), { dim, temperature })
  if (!hard) return y
  // NOTE: hard + (y − y.detach()) rather than PyTorch's (hard − y.detach()) + y: y − y is
  // exactly 0, so the value is exactly one-hot; the gradient is y's either way.
  const yHard = hardmax(y.detach(), dim)
  return add(yHard, sub(y, y.detach()))
}
