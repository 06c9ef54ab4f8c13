/**
 * The ops, gathered. Each op file holds its math, its `defineOp` and the function users call;
 * this file makes them public, builds `OPS` and gives Tensor its methods from one table.
 *
 * Adding an op: write src/ops/<name>.ts (docs/extending.md walks through one), add its
 * `export *` line below and, if tensors should have it as a method, its import and its line in
 * TENSOR_METHODS; then give it samples in test/catalogue.ts, which is typed against OPS, so an
 * op without samples does not compile.
 */
import { Tensor } from '../tensor.js'
import { definedOps, type OpEntry } from './op.js'

// Every op file, one line each: what it exports is public.
export * from './add.js'
export * from './mul.js'
export * from './exp.js'
export * from './pow.js'
export * from './abs.js'
export * from './activations.js'
export * from './gelu.js'
export * from './matmul.js'
export * from './shape.js'
export * from './reduce.js'
export * from './logsumexp.js'
export * from './softmax.js'
export * from './gather.js'
export * from './hardmax.js'
export * from './sparsemax.js'
export * from './gumbel-softmax.js'
export * from './softmax-jacobian.js'
export * from './softmax-cross-entropy.js'
export * from './bce-with-logits.js'
export * from './linear.js'
export * from './take-rows.js'
export * from './linear-rows.js'
export { defineOp, defineComposite, apply, broadcastShape, sumToShape, type OpDef, type CompositeDef, type OpEntry, type Forward } from './op.js'

// ---------------------------------------------------------------------------------------------
// OPS: every op the library defines, by name

type Exports = typeof import('./index.js')
/** The op definitions among the exports (`addOp`, `geluOp`, ...), each mapped to its name. */
type OpNames = {
  [K in keyof Exports as K extends `${string}Op` ? K : never]: Exports[K] extends { readonly name: infer N extends string; readonly rule: string } ? N : never
}
export type OpName = OpNames[keyof OpNames]

/** OPS.gelu → geluOp: the registry of every differentiable op (and composite) in softgrad. */
export const OPS = definedOps() as Record<OpName, OpEntry>

// ---------------------------------------------------------------------------------------------
// Tensor methods: x.relu() is relu(x), one line a method

import { add, sub, neg } from './add.js'
import { mul, div } from './mul.js'
import { exp, log } from './exp.js'
import { pow, sqrt } from './pow.js'
import { abs } from './abs.js'
import { relu, leakyRelu, tanh, sigmoid } from './activations.js'
import { gelu } from './gelu.js'
import { matmul } from './matmul.js'
import { transpose, reshape } from './shape.js'
import { sum, mean, max } from './reduce.js'
import { logsumexp } from './logsumexp.js'
import { softmax, logSoftmax, type SoftmaxOptions } from './softmax.js'
import { gather } from './gather.js'

const TENSOR_METHODS = {
  add, sub, mul, div, neg, exp, log, pow, sqrt, abs,
  relu, leakyRelu, tanh, sigmoid, gelu,
  matmul, transpose, reshape,
  sum, mean, max, logsumexp, gather,
  // The methods take the dim first, as PyTorch's do: x.softmax(-1, { temperature: 2 }).
  softmax: (z: Tensor, dim = -1, options: Omit<SoftmaxOptions, 'dim'> = {}) => softmax(z, { ...options, dim }),
  logSoftmax: (z: Tensor, dim = -1, options: Omit<SoftmaxOptions, 'dim'> = {}) => logSoftmax(z, { ...options, dim }),
}

/** A free function f(x, ...args) seen as the method x.f(...args). */
type AsMethod<F> = F extends (self: Tensor, ...args: infer A) => infer R ? (...args: A) => R : never
type TensorMethods = { [K in keyof typeof TENSOR_METHODS]: AsMethod<(typeof TENSOR_METHODS)[K]> }

declare module '../tensor.js' {
  interface Tensor extends TensorMethods {
    /** x.T is x.transpose(): the last two dims swapped */
    readonly T: Tensor
  }
}

for (const [name, fn] of Object.entries(TENSOR_METHODS)) {
  const f = fn as (self: Tensor, ...args: unknown[]) => Tensor
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor, ...args: unknown[]) {
      return f(this, ...args)
    },
    writable: true,
    configurable: true,
  })
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return transpose(this)
  },
  configurable: true,
})
