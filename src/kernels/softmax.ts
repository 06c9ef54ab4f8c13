/**
 * The softmax loops, for data seen as [outer, n, inner] around the softmax dim (inner = 1 for
 * the last dim, the usual case, where each row is contiguous). Subtracting the row's max
 * first keeps every exponent ≤ 0, so nothing overflows, even for logits of ±1e300.
 */
import { allocate } from '../buffers.js'

/** out = exp((z − max z)/T) / Σ exp((z − max z)/T) along the dim; `invT` = 1/T. */
export function softmaxKernel(z: Float64Array, outer: number, n: number, inner: number, invT: number): Float64Array {
  const out = allocate(z.length)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let m = -Infinity
      for (let j = 0; j < n; j++) if (z[base + j * inner] > m) m = z[base + j * inner]
      let total = 0
      for (let j = 0; j < n; j++) {
        const e = Math.exp((z[base + j * inner] - m) * invT)
        out[base + j * inner] = e
        total += e
      }
      const inv = 1 / total
      for (let j = 0; j < n; j++) out[base + j * inner] *= inv
    }
  }
  return out
}

/** out = (z − max z)/T − log Σ exp((z − max z)/T) along the dim: log-softmax, never log(0). */
export function logSoftmaxKernel(z: Float64Array, outer: number, n: number, inner: number, invT: number): Float64Array {
  const out = allocate(z.length)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let m = -Infinity
      for (let j = 0; j < n; j++) if (z[base + j * inner] > m) m = z[base + j * inner]
      let total = 0
      for (let j = 0; j < n; j++) total += Math.exp((z[base + j * inner] - m) * invT)
      const logTotal = Math.log(total)
      for (let j = 0; j < n; j++) out[base + j * inner] = (z[base + j * inner] - m) * invT - logTotal
    }
  }
  return out
}

/** out = max z + log Σ exp(z − max z) along the dim; ±Infinity rows give their max. */
export function logsumexpKernel(z: Float64Array, outer: number, n: number, inner: number): Float64Array {
  const out = allocate(outer * inner)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let m = -Infinity
      for (let j = 0; j < n; j++) if (z[base + j * inner] > m) m = z[base + j * inner]
      if (m === Infinity || m === -Infinity) {
        out[o * inner + i] = m
        continue
      }
      let total = 0
      for (let j = 0; j < n; j++) total += Math.exp(z[base + j * inner] - m)
      out[o * inner + i] = m + Math.log(total)
    }
  }
  return out
}

/**
 * The softmax vector–Jacobian product: dZ = s ⊙ (g − Σ g·s) / T along the dim.
 * This is (diag(s) − s sᵀ)·g / T without ever building the K×K matrix.
 */
export function softmaxBackwardKernel(
  g: Float64Array,
  s: Float64Array,
  outer: number,
  n: number,
  inner: number,
  invT: number,
): Float64Array {
  const dZ = allocate(g.length)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let dot = 0
      for (let j = 0; j < n; j++) dot += g[base + j * inner] * s[base + j * inner]
      for (let j = 0; j < n; j++) {
        const k = base + j * inner
        dZ[k] = s[k] * (g[k] - dot) * invT
      }
    }
  }
  return dZ
}

/** The log-softmax backward: dZ = (g − softmax · Σ g) / T, with softmax = exp(out). */
export function logSoftmaxBackwardKernel(
  g: Float64Array,
  logS: Float64Array,
  outer: number,
  n: number,
  inner: number,
  invT: number,
): Float64Array {
  const dZ = allocate(g.length)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let total = 0
      for (let j = 0; j < n; j++) total += g[base + j * inner]
      for (let j = 0; j < n; j++) {
        const k = base + j * inner
        dZ[k] = (g[k] - Math.exp(logS[k]) * total) * invT
      }
    }
  }
  return dZ
}
