/** Making tensors: from values, filled, ranges, and random (seeded through an rng). */
import { Tensor, type Nested, type TensorOptions } from './tensor.js'
import { getRng, normal, type Rng } from './random.js'
import { formatShape, shapeSize } from './shape.js'

export interface CreateOptions extends TensorOptions {
  /** required with a Float64Array: how to read its numbers */
  shape?: readonly number[]
}

/** tensor([[1, 2], [3, 4]]), tensor(5), tensor(new Float64Array(6), { shape: [2, 3] }) */
export function tensor(values: Nested | Float64Array | readonly number[], options: CreateOptions = {}): Tensor {
  if (values instanceof Float64Array) {
    const shape = options.shape ?? [values.length]
    if (shapeSize(shape) !== values.length) {
      throw new Error(`tensor: ${values.length} numbers do not fill shape ${formatShape(shape)}`)
    }
    return new Tensor(values, shape.slice(), options)
  }
  const shape = inferShape(values as Nested)
  const data = new Float64Array(shapeSize(shape))
  let k = 0
  const fill = (v: Nested, depth: number): void => {
    if (typeof v === 'number') {
      data[k++] = v
      return
    }
    if (v.length !== shape[depth]) {
      throw new Error(`tensor: ragged nested array: expected ${shape[depth]} entries at depth ${depth}, found ${v.length}`)
    }
    for (const item of v) fill(item, depth + 1)
  }
  fill(values as Nested, 0)
  if (options.shape !== undefined) {
    if (shapeSize(options.shape) !== data.length) {
      throw new Error(`tensor: ${data.length} numbers do not fill shape ${formatShape(options.shape)}`)
    }
    return new Tensor(data, options.shape.slice(), options)
  }
  return new Tensor(data, shape, options)
}

function inferShape(values: Nested): number[] {
  const shape: number[] = []
  let v: Nested = values
  while (Array.isArray(v)) {
    shape.push(v.length)
    if (v.length === 0) break
    v = v[0]
  }
  if (!Array.isArray(v) && typeof v !== 'number') {
    throw new Error(`tensor: expected numbers or nested arrays of numbers, found ${typeof v}`)
  }
  return shape
}

/** full([2, 2], 7) → [[7, 7], [7, 7]] */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkShape(shape, 'full')
  return new Tensor(new Float64Array(shapeSize(shape)).fill(value), shape.slice(), options)
}

/** zeros([2, 3]) */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 0, options)
}

/** ones([3]) */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options)
}

/** eye(3): the 3×3 identity */
export function eye(n: number, options: TensorOptions = {}): Tensor {
  const t = zeros([n, n], options)
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1
  return t
}

/** arange(4) → [0, 1, 2, 3] */
export function arange(n: number, options: TensorOptions = {}): Tensor {
  const t = zeros([n], options)
  for (let i = 0; i < n; i++) t.data[i] = i
  return t
}

export interface RandomOptions extends TensorOptions {
  rng?: Rng
}

/** rand([2, 2], { rng: makeRng(0) }): uniform in [0, 1) */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const t = zeros(shape, options)
  const rng = getRng(options.rng)
  for (let i = 0; i < t.size; i++) t.data[i] = rng()
  return t
}

/** randn([2, 2], { rng: makeRng(0) }): standard normal */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const t = zeros(shape, options)
  const rng = getRng(options.rng)
  for (let i = 0; i < t.size; i++) t.data[i] = normal(rng)
  return t
}

function checkShape(shape: readonly number[], op: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: a shape is an array of whole numbers ≥ 0, got ${JSON.stringify(shape)}`)
  }
}
