/**
 * Float64 matrix multiply, row-major:   C[i,j] = Σ_p A[i,p]·B[p,j]   (i < m, j < n, p < k)
 *
 * The three layouts compute the same sum; they differ only in where A[i,p] and B[p,j] sit:
 *   NN  A[i,p] = a[i·k + p]   B[p,j] = b[p·n + j]
 *   NT  A[i,p] = a[i·k + p]   B[p,j] = b[j·k + p]    (B stored [n×k], so this is A·Bᵀ)
 *   TN  A[i,p] = a[p·m + i]   B[p,j] = b[p·n + j]    (A stored [k×m], so this is Aᵀ·B)
 * so each layout is the one blocked routine `gemm` given the two strides of each operand.
 *
 * Why it is fast (the BLIS/GotoBLAS recipe in plain JS):
 * 1. Register blocking. The micro-kernel keeps a 4×4 tile of C in 16 local variables; each
 *    step of p reads 4 values of A and 4 of B and does 16 multiply-adds: 8 loads per 32 flops
 *    instead of the plain loop's 2 loads and 1 store per 2 flops.
 * 2. Packing. Before the micro-kernel runs, a KC-deep slice of A (4 rows at a time) and of B
 *    (4 columns at a time) is copied into contiguous scratch panels, so the kernel reads both
 *    with stride 1 whatever the layout. Packing reads the operands in place: no transpose is
 *    ever materialised. It costs O(mk + kn) copies against O(mkn) multiply-adds.
 * 3. Cache blocking. One 4×KC panel of packed B (8 KB) stays in L1 while the MC×KC block of
 *    packed A (128 KB) streams past it from L2.
 */

/** Rows and columns of the C tile held in registers. */
const MR = 4
const NR = 4
/** Depth of one block along p: a 4×KC panel is 8 KB, so one A panel and one B panel fit L1. */
const KC = 256
/** Rows of A packed at once: MC×KC×8 bytes = 128 KB, which sits in L2. */
const MC = 64
/** Columns of B packed at once: KC×NC×8 bytes = 1 MB at most, reused by every block of A. */
const NC = 512

// Scratch for the packed panels, shared by all calls and grown on demand, so a small multiply
// allocates nothing. NOTE: not re-entrant, which is fine: JS runs one call at a time.
let packedA = new Float64Array(0)
let packedB = new Float64Array(0)

/** C = A·B.  A is [m×k], B is [k×n], C is [m×n]; all row-major Float64Array. */
export function matmulNN(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  // Packing A reads 4 rows side by side (4 unit-stride streams); packing B copies rows of B.
  const c = prepare('matmulNN', a, b, m, k, n, out, '[m×k]', '[k×n]')
  gemm(a, k, 1, b, n, 1, c, m, k, n)
  return c
}

/** C = A·Bᵀ. A is [m×k], B is stored [n×k]. */
export function matmulNT(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  // Column j of Bᵀ is row j of b, so packing B reads 4 rows of b side by side, like A.
  const c = prepare('matmulNT', a, b, m, k, n, out, '[m×k]', '[n×k]')
  gemm(a, k, 1, b, 1, k, c, m, k, n)
  return c
}

/** C = Aᵀ·B. A is stored [k×m], B is [k×n]. */
export function matmulTN(a: Float64Array, b: Float64Array, m: number, k: number, n: number, out?: Float64Array): Float64Array {
  // Row i of Aᵀ is column i of a: packing A copies 4 adjacent values from each row of a.
  const c = prepare('matmulTN', a, b, m, k, n, out, '[k×m]', '[k×n]')
  gemm(a, 1, m, b, n, 1, c, m, k, n)
  return c
}

/** The plain i-k-j triple loop, the reference the tests and the benchmark compare against. */
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

/** Check the sizes, and return `out` (or a new array) filled with zeros. */
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
  if (out === undefined) return new Float64Array(m * n)
  // Overwrite, never accumulate: every block below adds into C, so start from zero.
  out.fill(0, 0, m * n)
  return out
}

/**
 * C += A·B with A[i,p] = a[i·aRow + p·aCol] and B[p,j] = b[p·bRow + j·bCol].
 * Loop order jc-pc-ic-jr-ir-p: a KC×NC block of B is packed once and reused by every MC×KC
 * block of A; inside, each packed 4-column panel of B is reused by every 4-row panel of A.
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
  const panels = Math.ceil(rows / width)
  if (pStride === 1) {
    // Each row of X is contiguous in p: walk `width` rows side by side, writing sequentially.
    for (let panel = 0; panel < panels; panel++) {
      for (let w = 0; w < width; w++) {
        const r = panel * width + w
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
    // X is contiguous along r (a transposed operand): read each p-slice in one sweep. Walking
    // down a column instead would stride by a whole row and thrash the cache at sizes like 1024.
    for (let p = 0; p < kc; p++) {
      const src = (p0 + p) * pStride + r0 * rStride
      for (let r = 0; r < rows; r++) {
        dst[((r / width) | 0) * panelSize + p * width + (r % width)] = x[src + r * rStride]
      }
    }
    for (let r = rows; r < panels * width; r++) {
      const d = ((r / width) | 0) * panelSize + (r % width)
      for (let p = 0; p < kc; p++) dst[d + p * width] = 0
    }
  }
}

/**
 * C[4×4 tile at cOff] += (4×kc panel of A)·(kc×4 panel of B), both packed p-major.
 * Loop: p innermost, with the 16 sums of the tile in locals, so C is touched once per tile
 * and each step does 16 multiply-adds from 8 loads. `rows`/`cols` < 4 only at the edges of C.
 */
function microKernel(
  ap: Float64Array, aOff: number, bp: Float64Array, bOff: number, kc: number,
  c: Float64Array, cOff: number, ldc: number, rows: number, cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0
  for (let p = 0, qa = aOff, qb = bOff; p < kc; p++, qa += MR, qb += NR) {
    const b0 = bp[qb], b1 = bp[qb + 1], b2 = bp[qb + 2], b3 = bp[qb + 3]
    let x = ap[qa]
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3
    x = ap[qa + 1]
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3
    x = ap[qa + 2]
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3
    x = ap[qa + 3]
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3
  }
  if (rows === MR && cols === NR) {
    let o = cOff
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03
    o += ldc
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13
    o += ldc
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23
    o += ldc
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33
    return
  }
  // Edge tile: the padded rows/columns computed zeros; write back only the ones inside C.
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) c[cOff + r * ldc + col] += edge[r * NR + col]
  }
}

const edge = new Float64Array(MR * NR)
