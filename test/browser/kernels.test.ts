/**
 * The kernels in the page: the WebAssembly ones by default, from bytes inside the page's own
 * JavaScript (no .wasm fetched); `?kernels=js` for the JS ones; the footer says which run and
 * why; and either way spirals train the same model, bit for bit, only at a different speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { describeKernels, readKernels } from '../../playground/kernels.js'
import type { EpochRecord } from '../../playground/experiment.js'
import { launchChromium, openPlayground, playUntilEpoch, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** The WebAssembly kernels' bytes as a file of their own: the page must never ask for one. */
const WASM_FILE = /\.wasm(?:[?#]|$)/

/** Every epoch's numbers so far, at full precision, from the page's test hook. */
function recordsOf(page: Page): Promise<EpochRecord[]> {
  return page.evaluate(() => window.softgradPlayground!.records())
}

/** Click step `n` times: `n` whole epochs. */
async function stepEpochs(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await page.getByTestId('step').click()
}

describe('the URL parameter kernels', () => {
  it('reads js and wasm, refuses any other name in words, and is absent when the query does not name it', () => {
    expect(readKernels('?kernels=js')).toEqual({ value: 'js' })
    expect(readKernels('?kernels=wasm')).toEqual({ value: 'wasm' })
    expect(readKernels('?kernels=fast')).toEqual({ refused: 'The kernels must be one of js, wasm; fast is not.' })
    expect(readKernels('')).toBeNull()
    expect(readKernels('?dataset=moons')).toBeNull()
  })

  it('is described as the kernels that run, and for JS why', () => {
    expect(describeKernels({ active: 'wasm', requested: 'default', wasm: 'ready' })).toBe('kernels: WebAssembly SIMD')
    expect(describeKernels({ active: 'js', requested: 'js', wasm: 'ready', reason: "setKernels('js')" })).toBe('kernels: JS (kernels=js in the URL)')
    expect(describeKernels({ active: 'js', requested: 'default', wasm: 'loading', reason: 'the WebAssembly kernels are still compiling' }))
      .toBe('kernels: JS (the WebAssembly kernels are still compiling)')
  })
})

describe('the kernels in the page', () => {
  it('runs the WebAssembly kernels by default, from bytes embedded in its JavaScript: no .wasm file is fetched', async () => {
    const { page, problems, requests } = await openPlayground(browser)
    expect(await textOf(page, 'kernels')).toBe('kernels: WebAssembly SIMD')
    expect(await page.getByTestId('kernels').getAttribute('data-active')).toBe('wasm')
    expect(await page.getByTestId('kernels-refused').isHidden()).toBe(true)
    await playUntilEpoch(page, 20)
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.filter((url) => WASM_FILE.test(url))).toEqual([])
    expect(problems).toEqual([])
  })

  it('?kernels=js runs the JS kernels and says so; the hash still holds the experiment, and the query stays in the URL as it changes', async () => {
    const { page, problems } = await openPlayground(browser, '?kernels=js#dataset=moons&seed=3')
    expect(await textOf(page, 'kernels')).toBe('kernels: JS (kernels=js in the URL)')
    expect(await page.getByTestId('kernels').getAttribute('data-active')).toBe('js')
    expect(await page.getByTestId('dataset').inputValue()).toBe('moons')
    expect(await page.getByTestId('seed').inputValue()).toBe('3')
    await page.getByTestId('seed').fill('4')
    expect(page.url()).toMatch(/\/\?kernels=js#dataset=moons&.*seed=4/)
    await stepEpochs(page, 2)
    expect(await textOf(page, 'epoch')).toBe('2')
    expect(problems).toEqual([])
  })

  it('?kernels=fast is refused in words in the page, and the default kernels train', async () => {
    const { page, problems } = await openPlayground(browser, '?kernels=fast#dataset=moons')
    expect(await textOf(page, 'kernels-refused')).toBe("The URL's kernels=fast was not used. The kernels must be one of js, wasm; fast is not.")
    expect(await textOf(page, 'kernels')).toBe('kernels: WebAssembly SIMD')
    expect(await page.getByTestId('dataset').inputValue()).toBe('moons')
    await stepEpochs(page, 1)
    expect(await textOf(page, 'epoch')).toBe('1')
    expect(problems).toEqual([])
  })

  it('?kernels=wasm where WebAssembly has no SIMD says why in the page, and the JS kernels train', async () => {
    // A browser without SIMD: its validate rejects the module's f64x2 instructions.
    const { page, problems } = await openPlayground(browser, '?kernels=wasm', { initScript: 'WebAssembly.validate = () => false' })
    const why = "this engine's WebAssembly has no SIMD (128-bit f64x2), which the kernels need"
    expect(await textOf(page, 'kernels-refused')).toBe(`The URL's kernels=wasm was not used. setKernels('wasm'): ${why}; the JS kernels run instead (same numbers, slower)`)
    expect(await textOf(page, 'kernels')).toBe(`kernels: JS (${why})`)
    await stepEpochs(page, 1)
    expect(await textOf(page, 'epoch')).toBe('1')
    expect(problems).toEqual([])
  })

  it('where the module must compile in the background, the JS kernels train until it is ready, then the WebAssembly ones, with the same numbers', async () => {
    // As a browser that refuses to compile on the main thread; the background compile waits for the test's word.
    const initScript = `
      const instantiate = WebAssembly.instantiate
      let release
      const released = new Promise((resolve) => { release = resolve })
      window.releaseWasm = () => release()
      WebAssembly.Module = function () { throw new RangeError('WebAssembly.Module(): refused on the main thread (by the test)') }
      WebAssembly.instantiate = (...args) => released.then(() => instantiate.apply(WebAssembly, args))
    `
    const { page, problems } = await openPlayground(browser, '', { initScript })
    expect(await textOf(page, 'kernels')).toBe('kernels: JS (the WebAssembly kernels are still compiling)')
    await stepEpochs(page, 3)
    await page.evaluate(() => (window as unknown as { releaseWasm(): void }).releaseWasm())
    await expect.poll(() => textOf(page, 'kernels')).toBe('kernels: WebAssembly SIMD')
    await stepEpochs(page, 3)
    const mixed = await recordsOf(page)

    const plain = await openPlayground(browser)
    await stepEpochs(plain.page, 6)
    expect(mixed).toHaveLength(6)
    expect(mixed).toEqual(await recordsOf(plain.page))
    expect(problems).toEqual([])
    expect(plain.problems).toEqual([])
  })
})

interface Run {
  seconds: number
  /** the first epoch whose test accuracy reached 0.9 */
  first: number
  records: EpochRecord[]
}

/** Open the page at `suffix`, press play, and time it to ≥ 90% test accuracy as training.test.ts does. */
async function spiralsToNinety(suffix: string, kernels: string): Promise<Run> {
  const { page, problems } = await openPlayground(browser, suffix)
  expect(await textOf(page, 'kernels')).toBe(kernels)
  const pressed = Date.now()
  await page.getByTestId('play').click()
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="test-accuracy"]')?.textContent) >= 0.9, null, { timeout: 60_000 })
  const seconds = (Date.now() - pressed) / 1000
  await page.getByTestId('play').click()
  expect(await textOf(page, 'play')).toBe('Play')
  const records = await recordsOf(page)
  const first = records.find((record) => record.testAccuracy >= 0.9)
  expect(first).toBeDefined()
  expect(problems).toEqual([])
  return { seconds, first: first!.epoch, records }
}

describe('the same training on either kernels', () => {
  it('spirals reach 90% test accuracy at the same epoch with the same numbers on the JS kernels and the WebAssembly ones; both times printed', async () => {
    const js = await spiralsToNinety('?kernels=js', 'kernels: JS (kernels=js in the URL)')
    const wasm = await spiralsToNinety('', 'kernels: WebAssembly SIMD')
    process.stdout.write(
      `spirals: test accuracy ≥ 0.90 ${js.seconds.toFixed(2)} s after pressing play with ?kernels=js, ` +
      `${wasm.seconds.toFixed(2)} s with the default WebAssembly kernels (first at epoch ${js.first} and ${wasm.first}; ` +
      `paused at epochs ${js.records.length} and ${wasm.records.length})\n`,
    )
    expect(js.seconds).toBeLessThan(60)
    expect(wasm.seconds).toBeLessThan(60)
    expect(wasm.first).toBe(js.first)
    // Every epoch both ran, to the last bit: the kernels change the speed, never the numbers.
    const both = Math.min(js.records.length, wasm.records.length)
    expect(wasm.records.slice(0, both)).toEqual(js.records.slice(0, both))
  })
})
