/**
 * Tensor: a row-major Float64Array with a shape, an optional gradient, and the node (op +
 * inputs + saved values) that made it. `backward()` walks those nodes in reverse topological
 * order and hands each op's backward the gradient of its output (`dOut`).
 *
 * This file imports no op, so an op file can make tensors at its top level. The op methods
 * (`x.relu()`, `x.matmul(w)`) are the free functions of src/ops/, put on Tensor from the method
 * tables the op files export (src/ops/tensor-methods.ts).
 *
 *   const x = tensor([1, 2, 3], { requiresGrad: true })
 *   x.mul(x).add(x).sum().backward()   // x.grad = 2x + 1 = [3, 5, 7]
 */
import type { OpDef } from './ops/op.js'
import { argmaxKernel, splitAtDim } from './kernels/reduce.js'
import { normaliseDim, formatShape, shapeSize } from './shape.js'
import { allocate, keepBuffer, recordTensor } from './buffers.js'
import { topologicalOrder } from './walk.js'
export { topologicalOrder, type WalkOptions } from './walk.js'

/** The record an op leaves on its output: enough to run its backward later. */
export interface Node {
  readonly op: OpDef<any, any>
  readonly inputs: readonly Tensor[]
  readonly saved: unknown
}

export type Nested = number | Nested[]

export interface TensorOptions {
  requiresGrad?: boolean
  name?: string
}

export class Tensor {
  #data: Float64Array | null
  readonly shape: readonly number[]
  /** Gradient of the last backward's output with respect to this tensor; leaves only. */
  grad: Tensor | null = null
  requiresGrad: boolean
  /** The op that made this tensor, or null for a leaf. */
  node: Node | null = null
  name: string | undefined

  constructor(data: Float64Array, shape: readonly number[], options: TensorOptions = {}) {
    this.#data = data
    this.shape = shape
    this.requiresGrad = options.requiresGrad ?? false
    this.name = options.name
    // The one hook for recycleBuffers: a tensor made inside a training step is retired when it ends.
    recordTensor(this, Tensor.#retire)
  }

  /** The numbers, row-major. */
  get data(): Float64Array {
    const data = this.#data
    if (data === null) {
      throw new Error(
        `this tensor (shape ${formatShape(this.shape)}) was made inside a recycleBuffers step that has ended, and its numbers ` +
          'now belong to later steps. Copy what you need out inside the step (item(), toArray())',
      )
    }
    return data
  }

  /** The step that made `t` has ended (recycleBuffers): its numbers belong to later steps. */
  static #retire(t: Tensor): void {
    t.#data = null
    t.node = null
    t.grad = null
  }

  get size(): number {
    return this.data.length
  }

  get ndim(): number {
    return this.shape.length
  }

  /** A leaf is a tensor no op made: the user's inputs and parameters. */
  get isLeaf(): boolean {
    return this.node === null
  }

  /** The single number in a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new Error(`item: the tensor has shape ${formatShape(this.shape)} (${this.size} numbers); item() needs exactly one`)
    }
    return this.data[0]
  }

  /** The values as nested arrays (a number for a 0-d tensor). */
  toArray(): Nested {
    const build = (dim: number, offset: number): Nested => {
      if (dim === this.shape.length) return this.data[offset]
      let stride = 1
      for (let d = dim + 1; d < this.shape.length; d++) stride *= this.shape[d]
      const row: Nested[] = []
      for (let i = 0; i < this.shape[dim]; i++) row.push(build(dim + 1, offset + i * stride))
      return row
    }
    return build(0, 0)
  }

  /** Indices of the largest value along `dim`, over the remaining dims in row-major order. */
  argmax(dim = -1): Int32Array {
    const d = normaliseDim(dim, this.shape.length, 'argmax')
    const { outer, n, inner } = splitAtDim(this.shape, d)
    return argmaxKernel(this.data, outer, n, inner)
  }

  /** Give the tensor a name that drawings, traces and errors use. */
  named(name: string): this {
    this.name = name
    return this
  }

  /** The same numbers, cut off from the graph (shares data, never requires grad). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape)
  }

  toString(): string {
    return `Tensor(${JSON.stringify(this.toArray())}, shape=${formatShape(this.shape)})`
  }

  /**
   * Reverse-mode autodiff from this tensor. A scalar seeds with 1; otherwise pass the upstream
   * gradient. Gradients accumulate (+=) into the `.grad` of every leaf that requires grad.
   */
  backward(grad?: Tensor | Float64Array | readonly number[]): void {
    runBackward(this, seedGradient(this, grad))
  }
}

// ---------------------------------------------------------------------------------------------
// Grad mode

let gradEnabled = true

/** Is the graph being recorded? False inside `noGrad`. */
export function isGradEnabled(): boolean {
  return gradEnabled
}

/** Run `fn` without building a graph (like `torch.no_grad()`) and return what it returns. */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled
  gradEnabled = false
  try {
    return fn()
  } finally {
    gradEnabled = before
  }
}

// ---------------------------------------------------------------------------------------------
// Backward

/** One op's backward as it ran, handed to an observer (the teaching trace records these). */
export interface BackwardStep {
  output: Tensor
  dOut: Float64Array
  inputGrads: readonly (Float64Array | null)[]
}

function seedGradient(root: Tensor, grad?: Tensor | Float64Array | readonly number[]): Float64Array {
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: the output has shape ${formatShape(root.shape)}; a gradient is implied only for a single number. ` +
          `Reduce it first (.sum() or .mean()) or pass backward(grad) with that shape`,
      )
    }
    return new Float64Array([1])
  }
  const data = grad instanceof Tensor ? grad.data : Float64Array.from(grad)
  if (data.length !== root.size) {
    throw new Error(`backward: the gradient has ${data.length} numbers but the output has shape ${formatShape(root.shape)} (${root.size})`)
  }
  return data
}

/** Run the backward pass from `root` seeded with `seed`; `onStep` sees each op's step. */
export function runBackward(root: Tensor, seed: Float64Array, onStep?: (step: BackwardStep) => void): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad: no input was made with { requiresGrad: true }, or it was computed inside noGrad')
  }
  const grads = new Map<Tensor, Float64Array>([[root, seed]])
  // Arrays a leaf's .grad may not take over: the caller's seed, and any array already taken
  // (an op may hand the same array to two inputs, as add does with dOut).
  const taken = new Set<Float64Array>([seed])
  const order = topologicalOrder(root)
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]
    const dOut = grads.get(t)
    if (dOut === undefined) continue
    if (t.node === null) {
      accumulateLeafGrad(t, dOut, taken)
      continue
    }
    grads.delete(t) // only leaves keep their gradient
    const { op, inputs, saved } = t.node
    const needsGrad = inputs.map((input) => input.requiresGrad)
    const inputGrads = op.backward(dOut, saved, needsGrad)
    checkGradients(op.name, inputs, needsGrad, inputGrads, t.shape)
    onStep?.({ output: t, dOut, inputGrads })
    for (let k = 0; k < inputs.length; k++) {
      const g = inputGrads[k]
      const input = inputs[k]
      if (g === null || !needsGrad[k]) continue
      const before = grads.get(input)
      // Accumulate, never assign: a tensor used twice gets both contributions.
      grads.set(input, before === undefined ? g : addArrays(before, g))
    }
  }
}

/**
 * What an op's backward returned must fit: one gradient per input, each a Float64Array with as
 * many numbers as that input, or null where the input needs none. One comparison per gradient,
 * always on: the mistake a learner is most likely to make (a broadcast input's gradient not
 * summed back to its shape) is caught here, named, instead of spreading wrong numbers.
 */
function checkGradients(
  op: string,
  inputs: readonly Tensor[],
  needsGrad: readonly boolean[],
  grads: ReadonlyArray<Float64Array | null>,
  outShape: readonly number[],
): void {
  if (!Array.isArray(grads) || grads.length !== inputs.length) {
    const got = Array.isArray(grads) ? `${grads.length} gradients` : String(grads)
    throw new Error(`${op} backward: returned ${got} for ${inputs.length} inputs; return an array with one gradient (or null) per input`)
  }
  for (let k = 0; k < inputs.length; k++) {
    const g = grads[k]
    const input = inputs[k]
    if (g === null || g === undefined) {
      if (!needsGrad[k]) continue
      throw new Error(
        `${op} backward: the gradient for input ${k} is ${String(g)}, but input ${k} (shape ${formatShape(input.shape)}) needs one; ` +
          'return null only where needsGrad[k] is false',
      )
    }
    if (!(g instanceof Float64Array)) {
      throw new Error(`${op} backward: the gradient for input ${k} is ${describeValue(g)}; return a Float64Array (allocate(n) makes one)`)
    }
    if (g.length !== input.size) {
      const hint =
        g.length > input.size && g.length === shapeSize(outShape)
          ? `; a broadcast input needs sumToShape(grad, ${formatShape(outShape)}, ${formatShape(input.shape)})`
          : '; it must have one number per number of the input'
      throw new Error(
        `${op} backward: the gradient for input ${k} has ${g.length} numbers, but input ${k} has shape ` +
          `${formatShape(input.shape)} (${input.size} numbers)${hint}`,
      )
    }
  }
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a plain array'
  if (typeof v === 'object' && v !== null) return `a ${v.constructor?.name ?? 'object'}`
  return `${typeof v} ${String(v)}`
}

function accumulateLeafGrad(leaf: Tensor, g: Float64Array, taken: Set<Float64Array>): void {
  if (leaf.grad === null) {
    // A fresh array from a backward becomes the grad as it is; anything shared is copied.
    const own = taken.has(g) ? Float64Array.from(g) : g
    taken.add(own)
    keepBuffer(own) // a training step's recycling must not take it back
    leaf.grad = new Tensor(own, leaf.shape)
  } else {
    const acc = leaf.grad.data
    for (let i = 0; i < acc.length; i++) acc[i] += g[i]
  }
}

function addArrays(a: Float64Array, b: Float64Array): Float64Array {
  const out = allocate(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i]
  return out
}
