/**
 * The WebAssembly kernels (src/kernels/wasm/, loaded by src/kernels/wasm.ts) give the same bits
 * as the JS kernels: every product here is computed both ways and compared byte for byte, on
 * ragged shapes, on every cache block split, on NaN, infinities, -0 and subnormals, and through
 * the pieces a product too large for the module's memory is cut into.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { matmulNN, matmulNT, matmulPlain, matmulTN } from '../src/kernels/matmul.js'
import { reluBackwardKernel, reluKernel } from '../src/kernels/activations.js'
import { kernelsInfo, setKernels, tuneWasmKernels, wasmMemory, type KernelsName } from '../src/kernels/wasm.js'
import { makeRng, optim, randn, tensor } from '../src/index.js'
import type { SGDOptions } from '../src/optim/sgd.js'

const LAYOUTS = { NN: matmulNN, NT: matmulNT, TN: matmulTN }
type Layout = keyof typeof LAYOUTS

/** What SOFTGRAD_KERNELS asked for when this run started: put back after each test. */
const startedWith = kernelsInfo().requested
afterEach(() => setKernels(startedWith === 'js' ? 'js' : 'wasm'))

/** A's and B's values as each layout stores them: NT gets B as [n×k], TN gets A as [k×m]. */
function operands(layout: Layout, m: number, k: number, n: number, values: (i: number) => number) {
  const a = Float64Array.from({ length: m * k }, (_, i) => values(i))
  const b = Float64Array.from({ length: k * n }, (_, i) => values(m * k + i))
  const stored = (x: Float64Array, rows: number, cols: number) => Float64Array.from({ length: rows * cols }, (_, i) => x[(i % rows) * cols + Math.floor(i / rows)])
  return {
    a: layout === 'TN' ? stored(a, m, k) : a,
    b: layout === 'NT' ? stored(b, k, n) : b,
    plain: matmulPlain(a, b, m, k, n),
  }
}

function run(kernels: KernelsName, layout: Layout, a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  setKernels(kernels)
  return LAYOUTS[layout](a, b, m, k, n)
}

/**
 * The first index where the two arrays' bits differ, or -1: -0 is not 0. A NaN equals any NaN:
 * which NaN (its sign bit and payload) comes out of NaN arithmetic is the processor's choice of
 * operand order, not a number; JavaScript itself shows every NaN as the same NaN.
 */
function firstBitDifference(x: Float64Array, y: Float64Array): number {
  expect(x.length).toBe(y.length)
  const xi = new BigInt64Array(x.buffer, x.byteOffset, x.length)
  const yi = new BigInt64Array(y.buffer, y.byteOffset, y.length)
  for (let i = 0; i < x.length; i++) if (xi[i] !== yi[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return i
  return -1
}

/** JS and WebAssembly on one product: the same bits, and both the plain loop's numbers. */
function expectSameBits(layout: Layout, m: number, k: number, n: number, values: (i: number) => number, plainTolerance = 1e-12): void {
  const { a, b, plain } = operands(layout, m, k, n, values)
  const js = run('js', layout, a, b, m, k, n)
  const wasm = run('wasm', layout, a, b, m, k, n)
  const at = firstBitDifference(js, wasm)
  expect(at, `${layout} ${m}×${k}×${n}: C[${at}] is ${js[at]} in JS and ${wasm[at]} in WebAssembly`).toBe(-1)
  for (let i = 0; i < plain.length; i++) {
    if (Number.isFinite(plain[i])) expect(Math.abs(js[i] - plain[i])).toBeLessThanOrEqual(plainTolerance * Math.max(1, k))
  }
}

const rng = makeRng(20)
const uniform = () => rng() * 2 - 1
const seededValues = () => {
  const cache: number[] = []
  return (i: number) => (cache[i] ??= uniform())
}

describe('the WebAssembly kernels, bit for bit against the JS kernels', () => {
  beforeAll(() => tuneWasmKernels({ minWork: 0 })) // every product goes to WebAssembly, however small
  afterAll(() => tuneWasmKernels({ minWork: 4096 }))

  it('load in Node and run by default', () => {
    expect(kernelsInfo().wasm).toBe('ready')
    if (startedWith !== 'js') expect(kernelsInfo()).toEqual({ active: 'wasm', requested: startedWith, wasm: 'ready' })
  })

  for (const layout of Object.keys(LAYOUTS) as Layout[]) {
    it(`${layout}: every m, k, n in {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 17}`, () => {
      const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 17]
      for (const m of sizes) for (const k of sizes) for (const n of sizes) expectSameBits(layout, m, k, n, seededValues())
    })

    it(`${layout}: shapes that split every cache block (KC 256, MC 64, NC 512) and leave ragged tiles`, () => {
      for (const [m, k, n] of [[70, 530, 521], [129, 257, 131], [1, 1000, 3], [300, 2, 16], [128, 784, 256], [65, 513, 1025]]) {
        expectSameBits(layout, m, k, n, seededValues())
      }
    })

    it(`${layout}: NaN, ±Infinity, -0, subnormals and overflow give the same bits`, () => {
      const special = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -2.5e-310, 1e308, -1e308, 1, -1, 0.1]
      expectSameBits(layout, 9, 300, 11, (i) => special[(i * 7) % special.length])
      // Products of -0 only: a sum that starts at +0 stays +0 in both.
      expectSameBits(layout, 5, 6, 7, () => -0)
    })
  }

  it('a product too large for the module\'s memory is done in pieces, with the same bits', () => {
    for (const maxBytes of [200_000, 600_000]) {
      const before = tuneWasmKernels({ maxBytes })
      for (const layout of Object.keys(LAYOUTS) as Layout[]) expectSameBits(layout, 150, 700, 40, seededValues())
      tuneWasmKernels(before)
    }
  })

  it('a product that cannot fit even in pieces is left to the JS kernel, not dropped', () => {
    const before = tuneWasmKernels({ maxBytes: 1000 })
    expectSameBits('NN', 20, 30, 40, seededValues())
    expectSameBits('TN', 20, 30, 40, seededValues())
    tuneWasmKernels(before)
  })

  it('the module\'s memory never grows: a product larger than it goes in pieces, and no buffer is detached', () => {
    setKernels('wasm')
    const memory = wasmMemory()!
    const view = new Float64Array(memory.buffer)
    const bytes = memory.buffer.byteLength
    expect(bytes).toBe(64 * 2 ** 20)
    // A is 12000×800 values, 77 MB: more than the whole memory.
    const [m, k, n] = [12000, 800, 3]
    const a = Float64Array.from({ length: m * k }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5)
    const b = Float64Array.from({ length: k * n }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5)
    const wasm = matmulNN(a, b, m, k, n)
    expect(memory.buffer.byteLength).toBe(bytes)
    expect(view.length).toBe(bytes / 8) // a grow would have detached it: length 0
    setKernels('js')
    expect(firstBitDifference(matmulNN(a, b, m, k, n), wasm)).toBe(-1)
  })

  it('through the public API: a layer\'s forward and backward give the same bits either way', () => {
    const x = randn([64, 100], { rng: makeRng(1) })
    const w = randn([100, 30], { rng: makeRng(2), requiresGrad: true })
    const step = (kernels: KernelsName) => {
      setKernels(kernels)
      w.grad = null
      const y = x.matmul(w).relu().sum()
      y.backward()
      return [y.data.slice(), w.grad!.data.slice()]
    }
    const [yJs, gJs] = step('js')
    const [yWasm, gWasm] = step('wasm')
    expect(firstBitDifference(yJs, yWasm)).toBe(-1)
    expect(firstBitDifference(gJs, gWasm)).toBe(-1)
  })
})

describe('ReLU in WebAssembly, bit for bit against the JS loops', () => {
  const special = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, 1e308, -1e308, 0.5, -0.5]
  const both = (fill: (i: number) => number, length: number) => {
    const x = Float64Array.from({ length }, (_, i) => fill(i))
    const dOut = Float64Array.from({ length }, (_, i) => fill(i + 3))
    return (['js', 'wasm'] as const).map((kernels) => {
      setKernels(kernels)
      const out = new Float64Array(length)
      const dX = new Float64Array(length)
      reluKernel(x, out)
      reluBackwardKernel(out, dOut, dX)
      return { out, dX }
    })
  }

  it('an array larger than the module\'s memory goes in pieces, with the same bits', () => {
    const before = tuneWasmKernels({ maxBytes: 40_000 }) // about 1,500 values at a time
    const [js, wasm] = both(seededValues(), 10_001)
    tuneWasmKernels(before)
    expect(firstBitDifference(js.out, wasm.out)).toBe(-1)
    expect(firstBitDifference(js.dX, wasm.dX)).toBe(-1)
  })

  it('forward and backward, on odd and even lengths below and above where WebAssembly takes over', () => {
    for (const length of [0, 1, 7, 255, 256, 257, 1000, 4097]) {
      const [js, wasm] = both(seededValues(), length)
      expect(firstBitDifference(js.out, wasm.out), `relu, ${length} values`).toBe(-1)
      expect(firstBitDifference(js.dX, wasm.dX), `relu backward, ${length} values`).toBe(-1)
    }
  })

  it('NaN and -0 give +0, infinities and subnormals pass as they are, in both', () => {
    const [js, wasm] = both((i) => special[i % special.length], 1001)
    expect(firstBitDifference(js.out, wasm.out)).toBe(-1)
    expect(firstBitDifference(js.dX, wasm.dX)).toBe(-1)
    expect(Object.is(wasm.out[0], 0) && Object.is(wasm.out[3], 0) && wasm.out[1] === Infinity && wasm.out[5] === 5e-324).toBe(true)
  })
})

describe('SGD\'s momentum step in WebAssembly, bit for bit against the JS loops', () => {
  /** Three steps of optim.SGD from the same start on the given kernels: the parameters' and the buffers' bits. */
  const train = (kernels: KernelsName, options: SGDOptions, length: number, values: (i: number) => number) => {
    setKernels(kernels)
    const p = tensor(Array.from({ length }, (_, i) => values(i)), { requiresGrad: true })
    const sgd = new optim.SGD([p], options)
    for (let step = 0; step < 3; step++) {
      p.grad = tensor(Array.from({ length }, (_, i) => values(i + 7 * step + 1)))
      sgd.step()
    }
    const state = sgd.stateDict() as { buffers: number[][] }
    return { theta: p.data.slice(), buf: Float64Array.from(state.buffers[0]) }
  }
  const expectSame = (options: SGDOptions, length: number, values: (i: number) => number) => {
    const js = train('js', options, length, values)
    const wasm = train('wasm', options, length, values)
    const label = `${JSON.stringify(options)}, ${length} parameters`
    expect(firstBitDifference(js.theta, wasm.theta), `θ, ${label}`).toBe(-1)
    expect(firstBitDifference(js.buf, wasm.buf), `momentum buffer, ${label}`).toBe(-1)
  }
  const variants: SGDOptions[] = [
    { lr: 0.1, momentum: 0.9 },
    { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 1e-3 },
    { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
  ]

  it('plain momentum, dampening with weight decay, and nesterov, on lengths below and above where WebAssembly takes over', () => {
    for (const options of variants) {
      for (const length of [1, 255, 256, 257, 1001, 4097]) expectSame(options, length, seededValues())
    }
  })

  it('NaN, ±Infinity, -0, subnormals and huge values give the same bits', () => {
    const special = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -2.5e-310, 1e308, -1e308, 1, -1, 0.1, 3e-300]
    for (const options of variants) expectSame(options, 1001, (i) => special[(i * 5) % special.length])
  })

  it('parameters larger than the memory allows go in pieces, with the same bits', () => {
    const before = tuneWasmKernels({ maxBytes: 40_000 }) // about 1,600 values of each array at a time
    try {
      for (const options of variants) expectSame(options, 10_001, seededValues())
    } finally {
      tuneWasmKernels(before)
    }
  })
})

describe('choosing the kernels', () => {
  it('setKernels takes js or wasm, and says so for anything else', () => {
    setKernels('js')
    expect(kernelsInfo()).toEqual({ active: 'js', requested: 'js', wasm: 'ready', reason: "setKernels('js')" })
    setKernels('wasm')
    expect(kernelsInfo().active).toBe('wasm')
    expect(() => setKernels('simd' as KernelsName)).toThrow(/setKernels: the kernels are 'js' or 'wasm', got "simd"/)
  })

  describe('SOFTGRAD_KERNELS, and an engine without WebAssembly SIMD (in a child process)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'softgrad-kernels-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const src = fileURLToPath(new URL('../src/index.ts', import.meta.url))
    const script = join(dir, 'info.ts')
    writeFileSync(script, `import { kernelsInfo, setKernels, tensor } from ${JSON.stringify(src)}
const a = tensor([[1, 2], [3, 4]])
console.log(JSON.stringify({ product: Array.from(a.matmul(a).data), info: kernelsInfo() }))
try { setKernels('wasm'); console.log('setKernels(wasm) ok') } catch (e) { console.log((e as Error).message) }
`)
    const noSimd = join(dir, 'no-simd.mjs')
    writeFileSync(noSimd, 'WebAssembly.validate = () => false // as an engine without SIMD answers for the kernels\' bytes\n')
    const child = (env: Record<string, string>, preload: string[] = []) => {
      const r = spawnSync(process.execPath, [...preload, '--import', 'tsx', script], { env: { ...process.env, ...env }, encoding: 'utf8' })
      return { ...r, lines: r.stdout.trim().split('\n') }
    }

    it('=js runs the JS kernels and says why; =wasm the WebAssembly ones', () => {
      const js = child({ SOFTGRAD_KERNELS: 'js' })
      expect(JSON.parse(js.lines[0])).toEqual({ product: [7, 10, 15, 22], info: { active: 'js', requested: 'js', wasm: 'ready', reason: 'SOFTGRAD_KERNELS=js' } })
      const wasm = child({ SOFTGRAD_KERNELS: 'wasm' })
      expect(JSON.parse(wasm.lines[0]).info).toEqual({ active: 'wasm', requested: 'wasm', wasm: 'ready' })
    })

    it('a value that is neither is an error naming it', () => {
      const r = child({ SOFTGRAD_KERNELS: 'fast' })
      expect(r.status).not.toBe(0)
      expect(r.stderr).toContain('SOFTGRAD_KERNELS must be js or wasm, got "fast"')
    })

    it('the command line ends a wrong value with one line and exit code 2, before any work', () => {
      const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
      const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'softmax', '4', '2', '-1'], { env: { ...process.env, SOFTGRAD_KERNELS: 'fast' }, encoding: 'utf8' })
      expect(r.status).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe('softgrad softmax: SOFTGRAD_KERNELS must be js or wasm, got "fast"\n')
    })

    it('without SIMD the JS kernels run with the same numbers, and asking for wasm says why not', () => {
      const auto = child({ SOFTGRAD_KERNELS: '' }, ['--import', noSimd])
      expect(JSON.parse(auto.lines[0])).toEqual({
        product: [7, 10, 15, 22],
        info: { active: 'js', requested: 'default', wasm: 'unavailable', reason: "this engine's WebAssembly has no SIMD (128-bit f64x2), which the kernels need" },
      })
      expect(auto.lines[1]).toBe("setKernels('wasm'): this engine's WebAssembly has no SIMD (128-bit f64x2), which the kernels need; the JS kernels run instead (same numbers, slower)")
      const asked = child({ SOFTGRAD_KERNELS: 'wasm' }, ['--import', noSimd])
      expect(asked.stderr).toContain('softgrad: SOFTGRAD_KERNELS=wasm, but this engine\'s WebAssembly has no SIMD')
      expect(JSON.parse(asked.lines[0]).info.active).toBe('js')
    })
  })
})
