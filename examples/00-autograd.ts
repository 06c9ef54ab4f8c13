// 00 · autograd in five lines: build y = x·x + x, call backward, and read dy/dx = 2x + 1.
// Then prove it: gradcheck compares every analytic derivative with a finite difference.
import { gradcheck, randn, makeRng, softmax, tensor } from '../src/index.js'

const x = tensor([1, -2, 3], { requiresGrad: true })
const y = x.mul(x).add(x).sum()
y.backward()
console.log('x          =', x.toArray())
console.log('y = Σ x²+x =', y.item())
console.log('dy/dx      =', x.grad!.toArray(), ' (2x + 1)')

const z = randn([2, 4], { rng: makeRng(0), requiresGrad: true })
const check = gradcheck((t) => softmax(t), [z])
console.log(`\ngradcheck(softmax): ok=${check.ok}, max abs error ${check.maxAbsError.toExponential(2)}`)
