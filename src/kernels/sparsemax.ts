/**
 * The sparsemax loops, for data seen as [outer, n, inner] around the dim (see softmax.ts).
 * Each row is copied into one scratch array, shifted by its max and sorted; sparsemax does not
 * change when every value moves by the same amount, and the shift keeps 1 + k·z_(k) exact
 * for huge logits (1 + 1e300 would round to 1e300 and lose the 1).
 */
import { allocate } from '../buffers.js'

/**
 * p = max(z − τ, 0) along the dim, where, with z sorted descending as z_(1) ≥ z_(2) ≥ ...,
 *   k = max{k : 1 + k·z_(k) > Σ_{j≤k} z_(j)}   and   τ = (Σ_{j≤k} z_(j) − 1) / k.
 * NOTE: sorting costs O(n log n) a row; there are O(n) expected-time methods, not worth it here.
 */
export function sparsemaxKernel(z: Float64Array, outer: number, n: number, inner: number): Float64Array {
  const out = allocate(z.length)
  const sorted = allocate(n)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let m = -Infinity
      for (let j = 0; j < n; j++) if (z[base + j * inner] > m) m = z[base + j * inner]
      for (let j = 0; j < n; j++) sorted[j] = z[base + j * inner] - m
      sorted.sort() // ascending, so z_(r) is sorted[n − r]
      // k ≥ 1 always: after the shift z_(1) = 0 and 1 + 0 > 0.
      let cumulative = 0
      let k = 0
      let sumK = 0
      for (let r = 1; r <= n; r++) {
        const zr = sorted[n - r]
        cumulative += zr
        if (1 + r * zr > cumulative) {
          k = r
          sumK = cumulative
        }
      }
      const tau = (sumK - 1) / k
      for (let j = 0; j < n; j++) {
        const p = z[base + j * inner] - m - tau
        out[base + j * inner] = p > 0 ? p : 0
      }
    }
  }
  return out
}

/**
 * The sparsemax vector–Jacobian product on the support S = {j : p_j > 0}:
 *   dZ_j = g_j − (Σ_{i∈S} g_i) / |S|   for j ∈ S,   0 elsewhere.
 */
export function sparsemaxBackwardKernel(
  g: Float64Array,
  p: Float64Array,
  outer: number,
  n: number,
  inner: number,
): Float64Array {
  const dZ = allocate(g.length)
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i
      let total = 0
      let size = 0
      for (let j = 0; j < n; j++) {
        if (p[base + j * inner] > 0) {
          total += g[base + j * inner]
          size++
        }
      }
      const mean = total / size
      for (let j = 0; j < n; j++) {
        const k = base + j * inner
        if (p[k] > 0) dZ[k] = g[k] - mean
      }
    }
  }
  return dZ
}
