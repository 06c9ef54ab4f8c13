// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs (not TypeScript: `f64`,
// `usize`, `v128` and `load<f64>` are AssemblyScript's, and tsc never reads this folder).
//
// The twin of ../matmul.ts: the same gemm, blocked the same way, with the micro-kernel written
// in 128-bit SIMD. An `f64x2` holds two float64 lanes, so one instruction does two multiplies
// (or two adds) of neighbouring columns of C.
//
// Same numbers, bit for bit. Both kernels compute each C[i,j] as
//     for each KC-deep block of p, in order:   s = 0;  s += A[i,p]·B[p,j] for p in order;  C += s
// and a lane of f64x2.add(f64x2.mul(a, b)) rounds exactly as `s += a * b` does in JavaScript
// (a multiply rounded, then an add rounded: no fused multiply-add). How the tiles are shaped
// and which rows are packed together changes nothing but the speed, so the tile here is 4×4
// where the JS one is 2×3; KC, the depth at which sums are handed to C, must be the same: 256.
//
// Memory: the caller (../wasm.ts) copies A and B into this module's memory, says where they
// and C and the packing scratch are, and copies C out. Nothing here allocates.

/** Rows and columns of the C tile held in registers: 8 f64x2 sums, 2 of B, 1 of A = 11 of 16. */
const MR = 4
const NR = 4
/** The depth of one block along p. Must equal KC in ../matmul.ts (see above). */
const KC = 256
/** Rows of A packed at once: 64×256×8 bytes = 128 KB, in L2. */
const MC = 64
/** Columns of B packed at once: 256×512×8 bytes = 1 MB. */
const NC = 128 * NR

/** The first byte of memory free for the caller (the module keeps nothing of its own above it). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15
}

/** Bytes of scratch gemm needs for packing (the caller reserves them). */
export function scratchBytes(m: i32, k: i32, n: i32): i32 {
  const depth = min(KC, k)
  const aPanel = ((min(MC, m) + MR - 1) / MR) * MR * depth
  const bPanel = ((min(NC, n) + NR - 1) / NR) * NR * depth
  return (aPanel + bPanel) << 3
}

/**
 * C = A·B, C [m×n] row-major at `c`, with A[i,p] = a[i·aRow + p·aCol] and
 * B[p,j] = b[p·bRow + j·bCol] (element strides, as in ../matmul.ts's gemm). C is overwritten,
 * or with `accumulate` added to: the caller splits a product too large for memory along p into
 * pieces that start at multiples of KC, and each piece's blocks are added as the JS kernel adds
 * them. `scratch` holds scratchBytes(m, k, n) bytes.
 */
export function gemm(
  a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32,
  c: usize, m: i32, k: i32, n: i32, scratch: usize, accumulate: bool,
): void {
  if (!accumulate) memory.fill(c, 0, <usize>m * <usize>n << 3)
  const depth = min(KC, k)
  const ap = scratch
  const bp = scratch + ((((min(MC, m) + MR - 1) / MR) * MR * depth) << 3)
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc)
      pack(b, bCol, bRow, jc, nc, pc, kc, NR, bp)
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic)
        pack(a, aRow, aCol, ic, mc, pc, kc, MR, ap)
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr)
          const bPanel = bp + (<usize>(jr * kc) << 3)
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir)
            const cTile = c + (<usize>((ic + ir) * n + jc + jr) << 3)
            microKernel(ap + (<usize>(ir * kc) << 3), bPanel, kc, cTile, n, rows, cols)
          }
        }
      }
    }
  }
}

/**
 * Pack rows r0..r0+rows of X (X[r,p] = x[r·rStride + p·pStride]), columns p0..p0+kc, into
 * panels of `width` rows, p-major within a panel, zero past the last row: as ../matmul.ts does.
 */
function pack(
  x: usize, rStride: i32, pStride: i32, r0: i32, rows: i32, p0: i32, kc: i32, width: i32, dst: usize,
): void {
  const panelSize = width * kc
  if (pStride == 1) {
    // Rows of X are contiguous in p: copy a row at a time, down its panel with stride `width`.
    for (let r = 0, panel = 0; r < rows; panel++) {
      for (let w = 0; w < width; w++, r++) {
        let d = dst + (<usize>(panel * panelSize + w) << 3)
        if (r < rows) {
          let src = x + (<usize>((r0 + r) * rStride + p0) << 3)
          for (let p = 0; p < kc; p++, d += <usize>width << 3, src += 8) store<f64>(d, load<f64>(src))
        } else {
          for (let p = 0; p < kc; p++, d += <usize>width << 3) store<f64>(d, 0)
        }
      }
    }
  } else {
    // X is contiguous along r: copy one p-slice at a time, in one sweep.
    for (let p = 0; p < kc; p++) {
      const src = x + (<usize>((p0 + p) * pStride + r0 * rStride) << 3)
      for (let r = 0, d = p * width; r < rows; d += panelSize) {
        for (let w = 0; w < width; w++, r++) {
          store<f64>(dst + (<usize>(d + w) << 3), r < rows ? load<f64>(src + (<usize>(r * rStride) << 3)) : 0)
        }
      }
    }
  }
}

/**
 * C[4×4 tile at c] += (4×kc panel of A)·(kc×4 panel of B), both packed p-major.
 * Each step of p: two f64x2 loads of B (columns 0-1 and 2-3), four of A's values each splat to
 * both lanes, and eight f64x2 multiply-then-adds: 16 products in 8 instructions' worth of SIMD.
 */
// @ts-ignore: decorator
@inline
function microKernel(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0)
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0)
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0)
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0)
  let pa = ap
  let pb = bp
  for (let p = 0; p < kc; p++) {
    const b01 = v128.load(pb)
    const b23 = v128.load(pb, 16)
    const a0 = v128.load64_splat(pa)
    const a1 = v128.load64_splat(pa, 8)
    const a2 = v128.load64_splat(pa, 16)
    const a3 = v128.load64_splat(pa, 24)
    c00 = f64x2.add(c00, f64x2.mul(a0, b01)); c01 = f64x2.add(c01, f64x2.mul(a0, b23))
    c10 = f64x2.add(c10, f64x2.mul(a1, b01)); c11 = f64x2.add(c11, f64x2.mul(a1, b23))
    c20 = f64x2.add(c20, f64x2.mul(a2, b01)); c21 = f64x2.add(c21, f64x2.mul(a2, b23))
    c30 = f64x2.add(c30, f64x2.mul(a3, b01)); c31 = f64x2.add(c31, f64x2.mul(a3, b23))
    pa += MR << 3
    pb += NR << 3
  }
  const row = <usize>ldc << 3
  if (rows == MR && cols == NR) {
    // The whole tile: add the sums into C two columns at a time.
    addPair(c, c00); addPair(c + 16, c01)
    addPair(c + row, c10); addPair(c + row + 16, c11)
    addPair(c + 2 * row, c20); addPair(c + 2 * row + 16, c21)
    addPair(c + 3 * row, c30); addPair(c + 3 * row + 16, c31)
    return
  }
  // At the bottom and right edges of C: only the rows and columns that exist, one at a time.
  addRow(c, c00, c01, cols)
  if (rows > 1) addRow(c + row, c10, c11, cols)
  if (rows > 2) addRow(c + 2 * row, c20, c21, cols)
  if (rows > 3) addRow(c + 3 * row, c30, c31, cols)
}

// @ts-ignore: decorator
@inline
function addPair(c: usize, sums: v128): void {
  v128.store(c, f64x2.add(v128.load(c), sums))
}

/** C[0..cols) += the first `cols` lanes of (s01, s23), each as one scalar add. */
// @ts-ignore: decorator
@inline
function addRow(c: usize, s01: v128, s23: v128, cols: i32): void {
  store<f64>(c, load<f64>(c) + f64x2.extract_lane(s01, 0))
  if (cols > 1) store<f64>(c, load<f64>(c, 8) + f64x2.extract_lane(s01, 1), 8)
  if (cols > 2) store<f64>(c, load<f64>(c, 16) + f64x2.extract_lane(s23, 0), 16)
  if (cols > 3) store<f64>(c, load<f64>(c, 24) + f64x2.extract_lane(s23, 1), 24)
}
