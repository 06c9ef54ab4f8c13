/**
 * Elementwise loops with NumPy broadcasting. A broadcast operand is read through an index
 * array: `index[i]` is the position in the operand that feeds output element i. Index arrays
 * depend only on the two shapes, so they are built once per shape pair and cached.
 */
import { allocate } from '../buffers.js'

const indexCache = new Map<string, Int32Array>()
const identityCache = new Map<number, Int32Array>()

/** 0, 1, ..., n−1: the index of an operand that already has the output's shape. */
export function identityIndex(n: number): Int32Array {
  let index = identityCache.get(n)
  if (index === undefined) {
    index = new Int32Array(n)
    for (let i = 0; i < n; i++) index[i] = i
    if (identityCache.size > 256) identityCache.clear()
    identityCache.set(n, index)
  }
  return index
}

/**
 * For each element of `outShape` (row-major), the flat position in an operand of `inShape`
 * broadcast to it: dims the operand lacks or has as 1 always read position 0 along them.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const key = `${inShape.join(',')}>${outShape.join(',')}`
  let index = indexCache.get(key)
  if (index !== undefined) return index
  const rank = outShape.length
  const offset = rank - inShape.length
  // inStride[d]: how far the operand moves when output dim d advances (0 where broadcast).
  const inStride = new Array<number>(rank).fill(0)
  let stride = 1
  for (let d = inShape.length - 1; d >= 0; d--) {
    inStride[d + offset] = inShape[d] === 1 ? 0 : stride
    stride *= inShape[d]
  }
  let size = 1
  for (const d of outShape) size *= d
  index = new Int32Array(size)
  const counter = new Array<number>(rank).fill(0)
  let pos = 0
  for (let i = 0; i < size; i++) {
    index[i] = pos
    // Odometer: advance the last dim, carrying into earlier ones.
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++
      pos += inStride[d]
      if (counter[d] < outShape[d]) break
      pos -= inStride[d] * counter[d]
      counter[d] = 0
    }
  }
  if (indexCache.size > 512) indexCache.clear()
  indexCache.set(key, index)
  return index
}

/** res[index[i]] += g[i]: adds each output gradient back into the operand it came from. */
export function scatterAddKernel(g: Float64Array, index: Int32Array, size: number): Float64Array {
  const out = allocate(size)
  for (let i = 0; i < g.length; i++) out[index[i]] += g[i]
  return out
}

// Binary kernels. `xi`/`yi` null means "same layout as the output"; with both null the loop
// needs no index reads at all, which is the common case and the fast one.

export function addKernel(x: Float64Array, xi: Int32Array | null, y: Float64Array, yi: Int32Array | null, n: number): Float64Array {
  const out = allocate(n)
  if (xi === null && yi === null) {
    for (let i = 0; i < n; i++) out[i] = x[i] + y[i]
  } else {
    const a = xi ?? identityIndex(n)
    const b = yi ?? identityIndex(n)
    for (let i = 0; i < n; i++) out[i] = x[a[i]] + y[b[i]]
  }
  return out
}

export function mulKernel(x: Float64Array, xi: Int32Array | null, y: Float64Array, yi: Int32Array | null, n: number): Float64Array {
  const out = allocate(n)
  if (xi === null && yi === null) {
    for (let i = 0; i < n; i++) out[i] = x[i] * y[i]
  } else {
    const a = xi ?? identityIndex(n)
    const b = yi ?? identityIndex(n)
    for (let i = 0; i < n; i++) out[i] = x[a[i]] * y[b[i]]
  }
  return out
}

export function divKernel(x: Float64Array, xi: Int32Array | null, y: Float64Array, yi: Int32Array | null, n: number): Float64Array {
  const out = allocate(n)
  if (xi === null && yi === null) {
    for (let i = 0; i < n; i++) out[i] = x[i] / y[i]
  } else {
    const a = xi ?? identityIndex(n)
    const b = yi ?? identityIndex(n)
    for (let i = 0; i < n; i++) out[i] = x[a[i]] / y[b[i]]
  }
  return out
}

/** out = x · s for a number s. */
export function scaleKernel(x: Float64Array, s: number): Float64Array {
  const out = allocate(x.length)
  for (let i = 0; i < x.length; i++) out[i] = x[i] * s
  return out
}
