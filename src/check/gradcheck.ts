/**
 * Checking gradients against finite differences, in float64.
 *
 * gradcheck compares every analytic partial derivative of `fn` with the central difference
 * (f(x + ε) − f(x − ε)) / 2ε. For a non-scalar output it checks the scalar Σ out ⊙ g with a
 * random upstream gradient g: a constant g would hide real bugs (the wrong softmax backward
 * y·(g − mean g) passes with g = 1 and fails with a random one).
 */
import { Tensor, noGrad } from '../tensor.js'
import { makeRng, normal } from '../random.js'

export interface GradcheckOptions {
  /** finite-difference step, default 1e-6 */
  eps?: number
  /** allclose: |analytic − numeric| ≤ atol + rtol·|numeric|; defaults 1e-5 and 1e-3 */
  atol?: number
  rtol?: number
  /** seed of the random upstream gradient, default 0 */
  seed?: number
}

export interface GradcheckWorst {
  /** which of the inputs (position in the `inputs` array) */
  input: number
  /** flat row-major index inside that input */
  index: number
  analytic: number
  numeric: number
}

export interface GradcheckResult {
  ok: boolean
  maxAbsError: number
  /** |a − n| / max(|n|, atol): relative where the derivative is not tiny */
  maxRelError: number
  /** the entry closest to (or furthest past) the tolerance; null when there was nothing to check */
  worst: GradcheckWorst | null
}

/**
 * gradcheck((x) => x.softmax(), [randn([3, 4], { requiresGrad: true })]).ok → true
 * Only inputs with requiresGrad are checked; others (labels, fixed data) are passed through.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0 } = options
  const checked = inputs.map((t, i) => [t, i] as const).filter(([t]) => t.requiresGrad)
  if (checked.length === 0) throw new Error('gradcheck: no input has requiresGrad: true, so there is nothing to check')

  // The analytic side: one backward with the upstream gradient.
  const out0 = noGrad(() => fn(...inputs))
  const upstream = upstreamGradient(out0, seed)
  const savedGrads = checked.map(([t]) => t.grad)
  for (const [t] of checked) t.grad = null
  const out = fn(...inputs)
  if (out.requiresGrad) out.backward(upstream)
  const analytic = checked.map(([t]) => t.grad?.data ?? new Float64Array(t.size))
  checked.forEach(([t], k) => (t.grad = savedGrads[k]))

  // The numeric side: nudge each number both ways.
  const f = (): number => noGrad(() => dot(fn(...inputs).data, upstream))
  let maxAbsError = 0
  let maxRelError = 0
  let worst: GradcheckWorst | null = null
  let worstRatio = -1
  checked.forEach(([t, position], k) => {
    for (let i = 0; i < t.size; i++) {
      const original = t.data[i]
      t.data[i] = original + eps
      const plus = f()
      t.data[i] = original - eps
      const minus = f()
      t.data[i] = original
      const numeric = (plus - minus) / (2 * eps)
      const a = analytic[k][i]
      const absError = Math.abs(a - numeric)
      maxAbsError = Math.max(maxAbsError, absError)
      maxRelError = Math.max(maxRelError, absError / Math.max(Math.abs(numeric), atol))
      const ratio = absError / (atol + rtol * Math.abs(numeric))
      if (!(ratio <= worstRatio)) {
        worstRatio = ratio
        worst = { input: position, index: i, analytic: a, numeric }
      }
    }
  })
  return { ok: worstRatio <= 1, maxAbsError, maxRelError, worst }
}

function upstreamGradient(out: Tensor, seed: number): Float64Array {
  if (out.size === 1) return Float64Array.of(1)
  const rng = makeRng(seed)
  const g = new Float64Array(out.size)
  for (let i = 0; i < g.length; i++) g[i] = normal(rng)
  return g
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

/** A fresh leaf with x's numbers, so the Jacobians never touch the caller's tensor or grad. */
function freshLeaf(x: Tensor): Tensor {
  return new Tensor(Float64Array.from(x.data), x.shape, { requiresGrad: true })
}

/**
 * The analytic Jacobian of `fn` at x, shape [...out.shape, ...x.shape]: one backward per
 * output number, each seeded with a one-hot gradient.
 */
export function jacobian(fn: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const leaf = freshLeaf(x)
  const out = fn(leaf)
  const J = new Float64Array(out.size * leaf.size)
  if (out.requiresGrad) {
    const seed = new Float64Array(out.size)
    for (let k = 0; k < out.size; k++) {
      seed.fill(0)
      seed[k] = 1
      leaf.grad = null
      out.backward(seed)
      if (leaf.grad !== null) J.set((leaf.grad as Tensor).data, k * leaf.size)
    }
  }
  return new Tensor(J, [...out.shape, ...x.shape])
}

/** The Jacobian by central differences, shape [...out.shape, ...x.shape]. */
export function numericJacobian(fn: (x: Tensor) => Tensor, x: Tensor, { eps = 1e-6 }: { eps?: number } = {}): Tensor {
  const leaf = new Tensor(Float64Array.from(x.data), x.shape)
  const outShape = noGrad(() => fn(leaf)).shape
  const outSize = outShape.reduce((p, d) => p * d, 1)
  const J = new Float64Array(outSize * leaf.size)
  for (let i = 0; i < leaf.size; i++) {
    const original = leaf.data[i]
    leaf.data[i] = original + eps
    const plus = noGrad(() => fn(leaf)).data
    leaf.data[i] = original - eps
    const minus = noGrad(() => fn(leaf)).data
    leaf.data[i] = original
    for (let k = 0; k < outSize; k++) J[k * leaf.size + i] = (plus[k] - minus[k]) / (2 * eps)
  }
  return new Tensor(J, [...outShape, ...x.shape])
}
