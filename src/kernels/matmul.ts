/**
 * Float64 matrix multiply, row-major:   C[i,j] = Σ_p A[i,p]·B[p,j]   (i < m, j < n, p < k)
 *
 * The three layouts compute the same sum; they differ only in where A[i,p] and B[p,j] sit:
 *   NN  A[i,p] = a[i·k + p]   B[p,j] = b[p·n + j]
 *   NT  A[i,p] = a[i·k + p]   B[p,j] = b[j·k + p]    (B stored [n×k], so this is A·Bᵀ)
 *   TN  A[i,p] = a[p·m + i]   B[p,j] = b[p·n + j]    (A stored [k×m], so this is Aᵀ·B)
 * so every layout is the one blocked routine `gemm`, given the two strides of each operand.
 *
 * Why it is fast (the BLIS/GotoBLAS recipe, in plain JS):
 * 1. Register blocking. The micro-kernel keeps a 2×3 tile of C in 6 local variables; each step
 *    of p loads 2 values of A and 3 of B for 6 multiply-adds, where the plain loop loads 2 and
 *    stores 1 for every multiply-add.
 * 2. Packing. Before the micro-kernel runs, a KC-deep slice of A (2 rows at a time) and of B
 *    (3 columns at a time) is copied into contiguous scratch panels, so the kernel reads both
 *    with stride 1 whatever the layout. Packing reads the operands in place (no transpose is
 *    ever materialised) and costs O(mk + kn) copies against O(mkn) multiply-adds.
 * 3. Cache blocking. One packed KC-deep panel of B (6 KB) stays in L1 while the MC×KC block
 *    of packed A (128 KB) streams past it from L2.
 *
 * Where WebAssembly SIMD runs, products above a small size go to the twin of `gemm` in
 * wasm/matmul.ts (see wasm.ts), which adds in the same order and so gives the same bits.
 */
import { allocate } from '../buffers.js'
import { gemmInWasm } from './wasm.js'

/** Rows and columns of the C tile held in registers (see microKernel for why 2×3). */
const MR = 2
const NR = 3
/** Depth of one block along p: panels of A and B are 4 KB and 6 KB, so both fit in L1. */
const KC = 256
/** Rows of A packed at once (a multiple of MR): MC×KC×8 bytes = 128 KB, which sits in L2. */
const MC = 64
/** Columns of B packed at once (a multiple of NR): KC×NC×8 bytes ≈ 1 MB, used by all of A. */
const NC = 170 * NR

// Scratch for the packed panels, shared by all calls and grown on demand, so repeated multiplies
// allocate no scratch. NOTE: not re-entrant, which is fine: JS runs one call at a time.
let packedA = new Float64Array(0)
let packedB = new Float64Array(0)

/** C = A·B.  A is [m×k], B is [k×n], C is [m×n]; all row-major Float64Array.
 * matmulNN(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6), 2, 2, 1) → [17, 39] */
export function matmulNN(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  // Every layout runs gemm's blocked loops (jc-pc-ic-jr-ir, p innermost); only the packing
  // reads differ. NN: A's panels are copied row by row of a, B's one p-slice (row of b) at a time.
  const c = prepare('matmulNN', a, b, m, k, n, out, '[m×k]', '[k×n]')
  if (!gemmInWasm(a, k, 1, b, n, 1, c, m, k, n)) gemm(a, k, 1, b, n, 1, c, m, k, n)
  return c
}

/** C = A·Bᵀ. A is [m×k], B is stored [n×k].
 * matmulNT(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6), 2, 2, 1) → [17, 39] */
export function matmulNT(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  // NT: row j of b is column j of B, so B's panels are copied row by row of b, just like A's:
  // dot products of rows, every read unit stride.
  const c = prepare('matmulNT', a, b, m, k, n, out, '[m×k]', '[n×k]')
  if (!gemmInWasm(a, k, 1, b, 1, k, c, m, k, n)) gemm(a, k, 1, b, 1, k, c, m, k, n)
  return c
}

/** C = Aᵀ·B. A is stored [k×m], B is [k×n].
 * matmulTN(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6), 2, 2, 1) → [23, 34] */
export function matmulTN(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  // TN: row p of a is a p-slice of Aᵀ, so A's panels are filled one row of a at a time, like
  // B's: both operands are streamed row by row.
  const c = prepare('matmulTN', a, b, m, k, n, out, '[k×m]', '[k×n]')
  if (!gemmInWasm(a, 1, m, b, n, 1, c, m, k, n)) gemm(a, 1, m, b, n, 1, c, m, k, n)
  return c
}

/** The plain i-k-j triple loop, the reference the tests and the benchmark compare against.
 * matmulPlain(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6), 2, 2, 1) → [17, 39] */
export function matmulPlain(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  const c = prepare('matmulPlain', a, b, m, k, n, out, '[m×k]', '[k×n]')
  // i-k-j: the inner loop streams a row of B into a row of C, both unit stride.
  for (let i = 0; i < m; i++) {
    const cRow = i * n
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]
      const bRow = p * n
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j]
    }
  }
  return c
}

/**
 * Check the sizes, and return `out` (or a new array) filled with zeros.
 * NOTE: `out` must not share memory with `a` or `b`: it is zeroed before they are read.
 */
function prepare(
  name: string, a: Float64Array, b: Float64Array, m: number, k: number, n: number,
  out: Float64Array | undefined, aShape: string, bShape: string,
): Float64Array {
  if (a.length < m * k || b.length < k * n || (out !== undefined && out.length < m * n)) {
    throw new Error(
      `${name}: m=${m}, k=${k}, n=${n} needs a ${aShape} = ${m * k} values, b ${bShape} = ${k * n}` +
        ` and out [m×n] = ${m * n}; got a ${a.length}, b ${b.length}` +
        (out === undefined ? '' : `, out ${out.length}`) + ' (src/kernels/matmul.ts)',
    )
  }
  if (out === undefined) return allocate(m * n)
  // Overwrite, never accumulate: every block below adds into C, so start from zero.
  out.fill(0, 0, m * n)
  return out
}

/**
 * C += A·B with A[i,p] = a[i·aRow + p·aCol] and B[p,j] = b[p·bRow + j·bCol].
 * Loop order jc-pc-ic-jr-ir-p: a KC×NC block of B is packed once and reused by every MC×KC
 * block of A; inside, each packed 3-column panel of B is reused by every 2-row panel of A.
 */
function gemm(
  a: Float64Array, aRow: number, aCol: number, b: Float64Array, bRow: number, bCol: number,
  c: Float64Array, m: number, k: number, n: number,
): void {
  const depth = Math.min(KC, k)
  const aSize = Math.ceil(Math.min(MC, m) / MR) * MR * depth
  const bSize = Math.ceil(Math.min(NC, n) / NR) * NR * depth
  if (packedA.length < aSize) packedA = new Float64Array(aSize)
  if (packedB.length < bSize) packedB = new Float64Array(bSize)
  const ap = packedA
  const bp = packedB
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc)
      pack(b, bCol, bRow, jc, nc, pc, kc, NR, bp)
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic)
        pack(a, aRow, aCol, ic, mc, pc, kc, MR, ap)
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr)
          const bOff = jr * kc
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = Math.min(MR, mc - ir)
            microKernel(ap, ir * kc, bp, bOff, kc, c, (ic + ir) * n + jc + jr, n, rows, cols)
          }
        }
      }
    }
  }
}

/**
 * Pack rows r0..r0+rows of a matrix X (X[r,p] = x[r·rStride + p·pStride]), columns p0..p0+kc,
 * into panels of `width` rows, p-major within a panel:
 *   dst[panel·width·kc + p·width + w] = X[r0 + panel·width + w, p0 + p]
 * A is packed with rows of A; B with rows of Bᵀ (B[p,j] = Bᵀ[j,p]). Rows past the end are zero,
 * so the micro-kernel never needs an edge case inside its loop.
 */
function pack(
  x: Float64Array, rStride: number, pStride: number, r0: number, rows: number, p0: number, kc: number,
  width: number, dst: Float64Array,
): void {
  const panelSize = width * kc
  if (pStride === 1) {
    // Rows of X are contiguous in p (A in NN/NT, b's rows in NT): copy one row at a time,
    // writing it down its panel with stride `width`.
    for (let r = 0, panel = 0; r < rows; panel++) {
      for (let w = 0; w < width; w++, r++) {
        let d = panel * panelSize + w
        if (r < rows) {
          const src = (r0 + r) * rStride + p0
          for (let p = 0; p < kc; p++, d += width) dst[d] = x[src + p]
        } else {
          for (let p = 0; p < kc; p++, d += width) dst[d] = 0
        }
      }
    }
  } else {
    // X is contiguous along r (B in NN/TN, A in TN): copy one p-slice at a time, reading it in
    // one sweep. Walking down a column instead would stride by a whole row for every value,
    // which at sizes like 1024 (8 KB apart) keeps landing in the same cache sets.
    for (let p = 0; p < kc; p++) {
      const src = (p0 + p) * pStride + r0 * rStride
      for (let r = 0, d = p * width; r < rows; d += panelSize) {
        for (let w = 0; w < width; w++, r++) dst[d + w] = r < rows ? x[src + r * rStride] : 0
      }
    }
  }
}

/**
 * C[2×3 tile at cOff] += (2×kc panel of A)·(kc×3 panel of B), both packed p-major.
 * Loop: p innermost with the 6 sums in locals, so each step is 5 loads and 6 multiply-adds, and
 * C is touched once per tile. `rows` < 2 or `cols` < 3 only at the bottom and right edges of C.
 * Why 2×3 and not the textbook 4×4: V8 computes all products of a step before adding any, so a
 * tile needs about 2·MR·NR float registers and x64 gives V8 15. 2×3 fits; 4×4 and 4×3 spill sums
 * to the stack on every step, and ran about 20% slower when this was tuned (Node 20, x64).
 */
function microKernel(
  ap: Float64Array, aOff: number, bp: Float64Array, bOff: number, kc: number,
  c: Float64Array, cOff: number, ldc: number, rows: number, cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0
  let c10 = 0, c11 = 0, c12 = 0
  // NOTE: the masks change no value (kc ≤ KC and offsets are far below 2^28); they tell V8 the
  // indices are small, so `qa + 1` needs no overflow check: about a quarter fewer instructions.
  const depth = kc & 0xffff
  const a0 = aOff & 0xfffffff
  const b0 = bOff & 0xfffffff
  for (let p = 0; p < depth; p++) {
    const qa = a0 + p * MR
    const qb = b0 + p * NR
    const x0 = ap[qa], x1 = ap[qa + 1]
    const y0 = bp[qb], y1 = bp[qb + 1], y2 = bp[qb + 2]
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2
  }
  c[cOff] += c00
  if (cols > 1) c[cOff + 1] += c01
  if (cols > 2) c[cOff + 2] += c02
  if (rows > 1) {
    const o = cOff + ldc
    c[o] += c10
    if (cols > 1) c[o + 1] += c11
    if (cols > 2) c[o + 2] += c12
  }
}
