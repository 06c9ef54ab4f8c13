// 14 · an op of your own, outside softgrad: softplus with defineOp and apply, gradient-checked, used like any other op.
// Then the mistake learners make most often, a broadcast input's gradient not summed back, and backward's message naming it.
import { type Tensor, allocate, apply, broadcastShape, defineOp, gradcheck, makeRng, randn, sumToShape, tensor } from '../src/index.js'

// ── 1. softplus: out = log(1 + eˣ), backward dX = dOut · σ(x) ──────────────────────────────────
export const softplusOp = defineOp({
  name: 'softplus',
  rule: 'd log(1 + eˣ)/dx = σ(x)',
  forward([x]: readonly Tensor[]) {
    const xs = x.data
    const out = allocate(xs.length)
    // max(x, 0) + log(1 + e^(−|x|)): the same number, but e^x never overflows
    for (let i = 0; i < xs.length; i++) out[i] = Math.max(xs[i], 0) + Math.log1p(Math.exp(-Math.abs(xs[i])))
    return { out, shape: x.shape, saved: { x: xs } }
  },
  backward(dOut, { x }) {
    const dX = allocate(x.length)
    for (let i = 0; i < x.length; i++) dX[i] = dOut[i] / (1 + Math.exp(-x[i]))
    return [dX]
  },
})

/** softplus(tensor([0])) → [log 2] */
export function softplus(x: Tensor): Tensor {
  return apply(softplusOp, [x])
}

const x = tensor([-1000, -1, 0, 1, 1000], { requiresGrad: true })
softplus(x).sum().backward()
const show = (t: Tensor) => `[${Array.from(t.data, (v) => v.toFixed(4)).join(', ')}]`
console.log('1. softplus of [-1000, -1, 0, 1, 1000] =', show(softplus(x)))
console.log('   its gradient σ(x)                     =', show(x.grad!))
const check = gradcheck(softplus, [randn([3, 4], { rng: makeRng(0), requiresGrad: true })])
console.log(`   gradcheck: ok=${check.ok}, max abs error ${check.maxAbsError.toExponential(2)}`)
// It composes with the library's ops, and their gradients flow through it.
const w = randn([4, 2], { rng: makeRng(1), requiresGrad: true })
softplus(randn([3, 4], { rng: makeRng(2) }).matmul(w)).mean().backward()
console.log('   d mean(softplus(x·W))/dW has shape', w.grad!.shape)

// ── 2. A binary op that broadcasts: a [N, C] + b [C] ───────────────────────────────────────────
function defineRowAdd(name: string, sumBack: boolean) {
  const op = defineOp({
    name,
    rule: 'd(a + b)/da = 1, d(a + b)/db = 1',
    forward([a, b]: readonly Tensor[]) {
      const shape = broadcastShape(a.shape, b.shape, name) // checks the shapes, names the op
      const out = allocate(a.size)
      const c = b.size
      for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i % c]
      return { out, shape, saved: { bShape: b.shape, outShape: shape } }
    },
    backward(dOut, { bShape, outShape }) {
      // b was used once per row, so its gradient is dOut summed over the rows: sumToShape does that.
      return [dOut, sumBack ? sumToShape(dOut, outShape, bShape) : dOut]
    },
  })
  return (a: Tensor, b: Tensor) => apply(op, [a, b])
}

const a = randn([3, 2], { rng: makeRng(3), requiresGrad: true })
const b = tensor([0.5, -0.5], { requiresGrad: true })
const forgetful = defineRowAdd('rowAdd', false)
try {
  forgetful(a, b).sum().backward()
} catch (e) {
  console.log('\n2. Without sumToShape, backward stops at once:\n  ', (e as Error).message)
}
const rowAdd = defineRowAdd('rowAddFixed', true)
rowAdd(a, b).sum().backward()
console.log('   With it, b.grad =', b.grad!.toArray(), '(each entry of b was used by 3 rows)')
console.log('   gradcheck:', gradcheck(rowAdd, [a, b]).ok ? 'ok' : 'FAILED')
