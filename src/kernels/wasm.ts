/**
 * The WebAssembly kernels: loading them, choosing them, and calling them on Float64Arrays.
 *
 * The JS kernels in this folder are what a learner reads; src/kernels/wasm/ holds twins of the
 * hottest ones in AssemblyScript with 128-bit SIMD (`f64x2`: two float64 lanes per instruction),
 * compiled by scripts/build-wasm.mjs into the bytes in wasm-bytes.ts. Each twin adds in the same
 * order as its JS kernel, so the two give the same bits and the choice changes only the speed:
 *
 *   setKernels('js')      the JS kernels everywhere
 *   setKernels('wasm')    the WebAssembly ones (an error says why where they cannot run)
 *   SOFTGRAD_KERNELS=js   the same, from the environment (Node), read once at first use
 *
 * By default the WebAssembly kernels run wherever WebAssembly SIMD is available, and the JS ones
 * elsewhere; `kernelsInfo()` says which run and, if not the WebAssembly ones, why.
 *
 * The API stays synchronous. Node compiles the bytes on the spot (`new WebAssembly.Module`); a
 * browser may refuse to compile on its main thread, and then they compile in the background and
 * the JS kernels run until they are ready, with the same numbers.
 *
 * WebAssembly reads only its own memory, so a product copies A and B in and C out: about
 * (mk + kn + mn) copies against mkn multiply-adds, small beside the work above the size where
 * the WebAssembly kernels take over (minWasmWork).
 */
import { WASM_BASE64 } from './wasm-bytes.js'

export type KernelsName = 'js' | 'wasm'

export interface KernelsInfo {
  /** what runs now */
  active: KernelsName
  /** what was asked for: setKernels, else SOFTGRAD_KERNELS, else 'default' */
  requested: KernelsName | 'default'
  /** where the WebAssembly kernels stand: loaded, still compiling (browser), or not available here */
  wasm: 'ready' | 'loading' | 'unavailable'
  /** why the WebAssembly kernels are not running, when they are not */
  reason?: string
}

/** What the compiled module exports (src/kernels/wasm/index.ts). */
interface WasmExports {
  memory: WebAssembly.Memory
  gemm(a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, m: number, k: number, n: number, scratch: number, accumulate: number): void
  scratchBytes(m: number, k: number, n: number): number
  heapBase(): number
  reluForward(x: number, out: number, n: number): void
  reluBackward(out: number, dOut: number, dX: number, n: number): void
  sgdMomentum(theta: number, grad: number, buf: number, n: number, negLr: number, mu: number, keep: number, wd: number, nesterov: number): void
}

/** The elementwise kernels the module has: each takes its inputs' addresses, then the output's, then n. */
export type ElementwiseKernel = 'reluForward' | 'reluBackward'

/** Below this many values an elementwise loop stays in JS: the call and the copies cost more. */
const MIN_WASM_ELEMENTS = 256

/**
 * Below this many multiply-adds (m·k·n) a product stays in JS: the copies and the call cost more
 * than SIMD saves. Above it the two differ only in speed, never in the numbers.
 */
let minWasmWork = 4096

/**
 * The module's memory is 64 MB, fixed when it is built (scripts/build-wasm.mjs), and never grows.
 * Growing a WebAssembly memory detaches its old ArrayBuffer, and in V8 a single detached buffer
 * anywhere in the program makes every typed-array access from then on check for it: plain JS
 * loops such as the optimiser's step ran twice as slow after one grow. So a product that needs
 * more is done in pieces that fit, which changes no sum (see gemmInWasm), and an elementwise
 * loop in pieces of values. The tests lower this limit (tuneWasmKernels) to exercise the pieces.
 */
let maxWasmBytes = Infinity
/** KC in matmul.ts and in wasm/matmul.ts: pieces along p must start at a multiple of it. */
const KC = 256

/** What was asked for, and by whom; undefined until the first product or setKernels. */
let requested: KernelsName | 'default' | undefined
let askedBy: 'setKernels' | 'SOFTGRAD_KERNELS' | 'default' = 'default'
let exports: WasmExports | null = null
let state: 'unloaded' | 'ready' | 'loading' | 'unavailable' = 'unloaded'
let unavailableReason = ''

/** Choose the kernels: 'js' or 'wasm'. Both give the same bits; 'wasm' throws where it cannot run. */
export function setKernels(name: KernelsName): void {
  if (name !== 'js' && name !== 'wasm') throw new Error(`setKernels: the kernels are 'js' or 'wasm', got ${JSON.stringify(name)}`)
  if (name === 'wasm') {
    load()
    if (state === 'unavailable') throw new Error(`setKernels('wasm'): ${unavailableReason}; the JS kernels run instead (same numbers, slower)`)
  }
  requested = name
  askedBy = 'setKernels'
}

/** Which kernels run, what was asked for, and why not WebAssembly if not. */
export function kernelsInfo(): KernelsInfo {
  const asked = requestedKernels()
  load()
  const wasm = state === 'ready' ? 'ready' : state === 'loading' ? 'loading' : 'unavailable'
  const active: KernelsName = asked !== 'js' && state === 'ready' ? 'wasm' : 'js'
  const info: KernelsInfo = { active, requested: asked, wasm }
  if (active === 'js') {
    info.reason = asked === 'js' ? (askedBy === 'setKernels' ? "setKernels('js')" : 'SOFTGRAD_KERNELS=js')
      : state === 'loading' ? 'the WebAssembly kernels are still compiling' : unavailableReason
  }
  return info
}

/** setKernels's choice, else SOFTGRAD_KERNELS's (read once; a wrong value is an error that says so). */
function requestedKernels(): KernelsName | 'default' {
  if (requested !== undefined) return requested
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SOFTGRAD_KERNELS
  if (env === undefined || env === '') return (requested = 'default')
  if (env !== 'js' && env !== 'wasm') throw new Error(`SOFTGRAD_KERNELS must be js or wasm, got ${JSON.stringify(env)}`)
  requested = env
  askedBy = 'SOFTGRAD_KERNELS'
  if (env === 'wasm') {
    load()
    if (state === 'unavailable') {
      // Asked for by name and impossible here: say so once, then run the JS kernels.
      console.warn(`softgrad: SOFTGRAD_KERNELS=wasm, but ${unavailableReason}; the JS kernels run instead (same numbers, slower)`)
    }
  }
  return env
}

/** Compile and instantiate the module once: synchronously where allowed, else in the background. */
function load(): void {
  if (state !== 'unloaded') return
  if (typeof WebAssembly !== 'object') return unavailable('this JavaScript engine has no WebAssembly')
  const bytes = decodeBase64(WASM_BASE64)
  // The module uses f64x2; an engine without SIMD rejects it, and validate says so up front.
  if (!WebAssembly.validate(bytes)) return unavailable('this engine\'s WebAssembly has no SIMD (128-bit f64x2), which the kernels need')
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as WasmExports
    state = 'ready'
  } catch (error) {
    // Browsers may refuse to compile on the main thread; compile in the background instead.
    state = 'loading'
    WebAssembly.instantiate(bytes, {}).then(
      ({ instance }) => {
        exports = instance.exports as unknown as WasmExports
        state = 'ready'
      },
      (reason: unknown) => unavailable(`the WebAssembly kernels did not load: ${String(reason)} (first: ${String(error)})`),
    )
  }
}

function unavailable(reason: string): void {
  state = 'unavailable'
  unavailableReason = reason
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/**
 * For the tests and the benchmark: the size from which products go to WebAssembly (m·k·n, 0 for
 * all of them) and the memory a product may take there (smaller makes every product go in
 * pieces). Returns the settings before, to put back.
 */
export function tuneWasmKernels(settings: { minWork?: number; maxBytes?: number }): { minWork: number; maxBytes: number } {
  const before = { minWork: minWasmWork, maxBytes: maxWasmBytes }
  minWasmWork = settings.minWork ?? minWasmWork
  maxWasmBytes = settings.maxBytes ?? maxWasmBytes
  return before
}

/** For the tests: the module's memory, once loaded. */
export function wasmMemory(): WebAssembly.Memory | null {
  return exports?.memory ?? null
}

/** The module's exports when the WebAssembly kernels should run now, else null. */
function active(): WasmExports | null {
  if ((requested ?? requestedKernels()) === 'js') return null
  if (state === 'unloaded') load()
  return exports
}

/** A view of the module's memory (made once: the memory never grows, so its buffer stays). */
let heapView: Float64Array | null = null
function heapOf(wasm: WasmExports): Float64Array {
  return (heapView ??= new Float64Array(wasm.memory.buffer))
}

/** The bytes, counted from address 0, that one call may use: the memory, or less if tuned down. */
function budget(wasm: WasmExports): number {
  return Math.min(maxWasmBytes, wasm.memory.buffer.byteLength)
}

/**
 * output = kernel(inputs) in WebAssembly, all arrays of output.length values: the inputs copied
 * in, the output copied out. Returns false, having done nothing, when the JS loop should run.
 */
export function elementwiseInWasm(kernel: ElementwiseKernel, inputs: readonly Float64Array[], output: Float64Array): boolean {
  return inPieces([...inputs, output], inputs.length, [inputs.length], (wasm, at, n) => {
    if (kernel === 'reluForward') wasm.reluForward(at[0], at[1], n)
    else wasm.reluBackward(at[0], at[1], at[2], n)
  })
}

/**
 * SGD's momentum step (after the first) in WebAssembly, in place on theta and buf, with the bits
 * of the JS loops in ../optim/sgd.ts. Returns false, having done nothing, when they should run.
 */
export function sgdMomentumInWasm(
  theta: Float64Array, grad: Float64Array, buf: Float64Array,
  { lr, mu, keep, wd, nesterov }: { lr: number; mu: number; keep: number; wd: number; nesterov: boolean },
): boolean {
  return inPieces([theta, grad, buf], 3, [0, 2], (wasm, at, n) => wasm.sgdMomentum(at[0], at[1], at[2], n, -lr, mu, keep, wd, nesterov ? 1 : 0))
}

/**
 * Run an elementwise kernel on `arrays` (all of one length) in the module's memory, as many
 * values at a time as it holds: for each piece, the first `copyIn` arrays are copied in, `call`
 * gets every array's address and the piece's length, and the arrays at the indices `copyOut`
 * are copied back. A piece sees nothing of its neighbours, so the pieces change no number.
 * Returns false, having done nothing, when the arrays are short or WebAssembly is not running.
 */
function inPieces(
  arrays: readonly Float64Array[], copyIn: number, copyOut: readonly number[],
  call: (wasm: WasmExports, at: readonly number[], n: number) => void,
): boolean {
  const n = arrays[0].length
  if (n < MIN_WASM_ELEMENTS) return false
  const wasm = active()
  if (wasm === null) return false
  const base = wasm.heapBase()
  // Values per piece: an even number, so every array in the module starts 16-byte aligned.
  const piece = Math.min(n, 2 * Math.floor((budget(wasm) - base) / (16 * arrays.length)))
  if (piece < 1) return false
  const at = arrays.map((_, i) => base + i * 8 * piece)
  const heap = heapOf(wasm)
  for (let start = 0; start < n; start += piece) {
    const end = Math.min(n, start + piece)
    for (let i = 0; i < copyIn; i++) heap.set(arrays[i].subarray(start, end), at[i] / 8)
    call(wasm, at, end - start)
    for (const i of copyOut) arrays[i].set(heap.subarray(at[i] / 8, at[i] / 8 + end - start), start)
  }
  return true
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16

/**
 * C = A·B in WebAssembly, with A[i,p] = a[i·aRow + p·aCol] and B[p,j] = b[p·bRow + j·bCol] as in
 * matmul.ts's gemm; `c` is overwritten. Returns false, having done nothing, when the JS kernel
 * should do it (JS chosen, WebAssembly not ready, the product small or too large for the module).
 *
 * A product too large for the module's memory is done in pieces. For A·B and A·Bᵀ the pieces are
 * bands of rows of A and C: each C[i,j] is still one whole sum over p. For Aᵀ·B (A stored
 * [k×m], as in dW = dYᵀ·X with k the batch) they are bands of p that start at multiples of KC,
 * and the module adds each into C as one more KC block: exactly the blocks the JS kernel adds.
 */
export function gemmInWasm(
  a: Float64Array, aRow: number, aCol: number, b: Float64Array, bRow: number, bCol: number,
  c: Float64Array, m: number, k: number, n: number,
): boolean {
  if (m * k * n < minWasmWork) return false
  const wasm = active()
  if (wasm === null) return false
  // Memory from the module's heap base up: [packing scratch][the operand kept whole][the banded ones]
  const base = wasm.heapBase()
  const operands = base + align(wasm.scratchBytes(m, k, n))
  if (aCol === 1) {
    // A·B and A·Bᵀ: bands of rows. B whole, then per row of the band a row of A and of C.
    const fixed = operands + align(8 * k * n)
    const rows = Math.min(m, Math.floor((budget(wasm) - fixed - 16) / (8 * (k + n))))
    if (rows < 1) return false
    const bAt = operands
    const aAt = fixed
    const cAt = aAt + align(8 * rows * k)
    const heap = heapOf(wasm)
    heap.set(b.subarray(0, k * n), bAt / 8)
    for (let i0 = 0; i0 < m; i0 += rows) {
      const band = Math.min(rows, m - i0)
      heap.set(a.subarray(i0 * k, (i0 + band) * k), aAt / 8)
      wasm.gemm(aAt, aRow, aCol, bAt, bRow, bCol, cAt, band, k, n, base, 0)
      c.set(heap.subarray(cAt / 8, cAt / 8 + band * n), i0 * n)
    }
    return true
  }
  // Aᵀ·B: bands of p (rows of both stored arrays), C whole and added to.
  const fixed = operands + align(8 * m * n)
  const fit = Math.floor((budget(wasm) - fixed - 16) / (8 * (m + n)))
  const depth = fit >= k ? k : Math.floor(fit / KC) * KC
  if (depth < 1) return false
  const cAt = operands
  const aAt = fixed
  const bAt = aAt + align(8 * depth * m)
  const heap = heapOf(wasm)
  for (let p0 = 0; p0 < k; p0 += depth) {
    const band = Math.min(depth, k - p0)
    heap.set(a.subarray(p0 * m, (p0 + band) * m), aAt / 8)
    heap.set(b.subarray(p0 * n, (p0 + band) * n), bAt / 8)
    wasm.gemm(aAt, 1, m, bAt, n, 1, cAt, m, band, n, base, p0 === 0 ? 0 : 1)
  }
  c.set(heap.subarray(cAt / 8, cAt / 8 + m * n))
  return true
}
