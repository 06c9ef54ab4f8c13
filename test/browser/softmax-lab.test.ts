/**
 * The softmax lab (playground/softmax.html): every number it shows is softgrad's, the same the
 * command line prints (its main() run in this process) and the ops give in Node; a refused
 * input is said in words; the playground links to it and does not load its code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { inject } from 'vitest'
import {
  div, gumbelSoftmax, hardmax, makeRng, sigmoid, softmax, softmaxJacobian, sparsemax, tensor,
} from '../../src/index.js'
import { runCli } from '../cli-run.js'
import { launchChromium, openPlayground, resultsDir, textOf, watchPage, type OpenPage } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** Open the lab at `hash` in a fresh page that records every page error, console error and request. */
async function openLab(hash = ''): Promise<OpenPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } })
  const watched = watchPage(page)
  await page.goto(`${inject('playgroundUrl')}softmax.html${hash}`)
  await page.getByTestId('lab-probs').locator('[data-value]').first().waitFor()
  return watched
}

/** The full-precision numbers behind the bars of a panel, one a class. */
function barsOf(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).locator('.lab-bar-value').evaluateAll((cells: HTMLElement[]) => cells.map((c) => Number(c.dataset.value)))
}

/** The Jacobian's cells, row by row, and each row's shown sum. */
function jacobianOf(page: Page): Promise<{ rows: number[][]; sums: number[]; shownSums: string[] }> {
  return page.getByTestId('lab-jacobian').evaluate((table: HTMLTableElement) => ({
    rows: Array.from(table.querySelectorAll('tr'))
      .slice(1)
      .map((tr) => Array.from(tr.querySelectorAll<HTMLElement>('td.lab-cell'), (td) => Number(td.dataset.value))),
    sums: Array.from(table.querySelectorAll<HTMLElement>('td.row-sum'), (td) => Number(td.dataset.value)),
    shownSums: Array.from(table.querySelectorAll('td.row-sum'), (td) => td.textContent ?? ''),
  }))
}

/** What `softgrad ARGS` prints as JSON, from the CLI's main() run in this process. */
async function cliJson(args: string[]): Promise<{ probabilities: number[] }> {
  const { code, stdout, stderr } = await runCli(args)
  expect(code, stderr).toBe(0)
  return JSON.parse(stdout) as { probabilities: number[] }
}

function expectClose(actual: readonly number[], expected: ArrayLike<number>, digits: number): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((v, k) => expect(v, `class ${k}`).toBeCloseTo(expected[k], digits))
}

/** What the lab does with `value` typed into the input `id`: the words under it (null: none), its aria-invalid, the probabilities shown, the URL. */
async function afterTyping(page: Page, id: string, value: string): Promise<{ words: string | null; invalid: string | null; probs: number[]; url: string }> {
  await page.getByTestId(id).fill(value)
  const note = page.getByTestId(`${id}-refused`)
  return {
    words: (await note.isVisible()) ? await note.textContent() : null,
    invalid: await page.getByTestId(id).getAttribute('aria-invalid'),
    probs: await barsOf(page, 'lab-probs'),
    url: page.url(),
  }
}

describe('softmax and temperature', () => {
  it('opens on 4,2,-1 at T = 1 with softgrad softmax: 0.876, 0.118, 0.006 (screenshot: test-results/softmax-lab.png)', async () => {
    const { page, problems } = await openLab()
    expect(await page.getByTestId('lab-logits').inputValue()).toBe('4,2,-1')
    expect(await page.getByTestId('lab-temperature').inputValue()).toBe('1')
    expectClose(await barsOf(page, 'lab-probs'), softmax(tensor([4, 2, -1])).data, 12)
    expect(await page.getByTestId('lab-probs').locator('.lab-bar-value').allTextContents()).toEqual(['0.876', '0.118', '0.006'])
    // NOTE: docs/img/softmax-lab.png, the README's picture, is a copy of this file; refresh it by hand.
    await page.screenshot({ path: join(resultsDir, 'softmax-lab.png'), fullPage: true })
    expect(problems).toEqual([])
  })

  it('at T = 3 shows what softgrad softmax 4 2 -1 --temperature 3 --json prints, to 12 decimals', async () => {
    const { page, problems } = await openLab()
    await page.getByTestId('lab-temperature').fill('3')
    const cli = await cliJson(['softmax', '4', '2', '-1', '--temperature', '3', '--json'])
    expectClose(await barsOf(page, 'lab-probs'), cli.probabilities, 12)
    expect(await page.getByTestId('lab-probs').locator('.lab-bar-value').allTextContents()).toEqual(['0.587', '0.302', '0.111'])
    expect(await textOf(page, 'lab-cli')).toBe('softgrad softmax 4 2 -1 --temperature 3')
    expect(await page.getByTestId('lab-temperature-slider').inputValue()).toBe('3')
    expect(page.url()).toContain('#logits=4,2,-1&temperature=3&')
    expect(problems).toEqual([])
  })

  it('the slider sets the same temperature, and the URL opens the lab where it was left', async () => {
    const { page, problems } = await openLab()
    // From T = 1 to T = 3 in twenty steps of 0.1, with the keyboard.
    for (let i = 0; i < 20; i++) await page.getByTestId('lab-temperature-slider').press('ArrowRight')
    expect(await page.getByTestId('lab-temperature').inputValue()).toBe('3')
    const atThree = await barsOf(page, 'lab-probs')
    expectClose(atThree, softmax(tensor([4, 2, -1]), { temperature: 3 }).data, 12)
    await page.reload()
    await page.getByTestId('lab-probs').locator('[data-value]').first().waitFor()
    expect(await page.getByTestId('lab-temperature').inputValue()).toBe('3')
    expect(await barsOf(page, 'lab-probs')).toEqual(atThree)
    expect(problems).toEqual([])
  })
})

describe('the naive formula beside the stable one', () => {
  it('at logits 1000,999 the naive formula shows NaN and softgrad softmax 0.731, 0.269', async () => {
    const { page, problems } = await openLab()
    await page.getByTestId('lab-logits').fill('1000,999')
    const naive = await barsOf(page, 'lab-naive')
    expect(naive.every(Number.isNaN)).toBe(true)
    expect(await page.getByTestId('lab-naive').locator('.lab-bar-value').allTextContents()).toEqual(['NaN', 'NaN'])
    const stable = await barsOf(page, 'lab-stable')
    expectClose(stable, softmax(tensor([1000, 999])).data, 12)
    expect(await page.getByTestId('lab-stable').locator('.lab-bar-value').allTextContents()).toEqual(['0.731', '0.269'])
    // Only the naive panel may show NaN: the probabilities above are softgrad's.
    expect(await textOf(page, 'lab-probs')).not.toContain('NaN')
    expect(problems).toEqual([])
  })

  it('agree on small logits', async () => {
    const { page, problems } = await openLab()
    expectClose(await barsOf(page, 'lab-naive'), await barsOf(page, 'lab-stable'), 12)
    expect(problems).toEqual([])
  })
})

describe('the Jacobian', () => {
  it('is softmaxJacobian of the probabilities, computed in Node, and each row sums to 0', async () => {
    const { page, problems } = await openLab()
    for (const [logits, temperature] of [[[4, 2, -1], 1], [[3, 1, 0.2, -2], 3]] as const) {
      await page.getByTestId('lab-logits').fill(logits.join(','))
      await page.getByTestId('lab-temperature').fill(String(temperature))
      const J = softmaxJacobian(softmax(tensor([...logits]), { temperature }))
      const K = logits.length
      const { rows, sums, shownSums } = await jacobianOf(page)
      expect(rows).toHaveLength(K)
      rows.forEach((cells, i) => expectClose(cells, J.data.subarray(i * K, (i + 1) * K), 12))
      for (const cells of rows) expect(Math.abs(cells.reduce((s, v) => s + v, 0))).toBeLessThan(1e-12)
      for (const sum of sums) expect(Math.abs(sum)).toBeLessThan(1e-12)
      expect(shownSums).toEqual(Array(K).fill('0.000'))
    }
    expect(problems).toEqual([])
  })
})

describe('cross-entropy and p − y', () => {
  it('p − y from the fused backward equals the central differences to 1e-6, for every true class and two temperatures', async () => {
    const { page, problems } = await openLab()
    for (const temperature of ['1', '3']) {
      await page.getByTestId('lab-temperature').fill(temperature)
      const p = await barsOf(page, 'lab-probs')
      for (const label of [0, 1, 2]) {
        await page.getByTestId('lab-label').selectOption(String(label))
        const grad = await barsOf(page, 'lab-grad')
        const numeric = await barsOf(page, 'lab-numeric')
        const pMinusY = p.map((pk, k) => (pk - (k === label ? 1 : 0)) / Number(temperature))
        expectClose(grad, pMinusY, 12)
        grad.forEach((g, k) => expect(Math.abs(g - numeric[k]), `T ${temperature}, y ${label}, class ${k}`).toBeLessThan(1e-6))
        expect(Number(await page.getByTestId('lab-loss').getAttribute('data-value'))).toBeCloseTo(-Math.log(p[label]), 12)
        expect(grad.filter((g) => g < 0)).toHaveLength(1) // only the true class pulls its logit up
      }
    }
    expect(problems).toEqual([])
  })

  it('at logits 1000,999 the gradient is still finite and matches', async () => {
    const { page, problems } = await openLab()
    await page.getByTestId('lab-logits').fill('1000,999')
    await page.getByTestId('lab-label').selectOption('1')
    const grad = await barsOf(page, 'lab-grad')
    expectClose(grad, [0.7310585786300049, -0.7310585786300049], 12)
    expect(grad.every(Number.isFinite)).toBe(true)
    const numeric = await barsOf(page, 'lab-numeric')
    grad.forEach((g, k) => expect(Math.abs(g - numeric[k])).toBeLessThan(1e-6))
    expect(problems).toEqual([])
  })
})

describe('sparsemax and friends, and sigmoid', () => {
  it('are softgrad ops on the same logits; Resample draws Gumbel noise from the next seed', async () => {
    const { page, problems } = await openLab()
    await page.getByTestId('lab-logits').fill('1,0.8,-1')
    await page.getByTestId('lab-temperature').fill('2')
    const z = tensor([1, 0.8, -1])
    expectClose(await barsOf(page, 'lab-sparsemax'), sparsemax(div(z, 2)).data, 12)
    expectClose(await barsOf(page, 'lab-hardmax'), hardmax(z).data, 12)
    expectClose(await barsOf(page, 'lab-sigmoid'), sigmoid(div(z, 2)).data, 12)
    expectClose(await barsOf(page, 'lab-gumbel'), gumbelSoftmax(z, { temperature: 2, rng: makeRng(0) }).data, 12)
    expect(await textOf(page, 'lab-gumbel-seed')).toBe('0')

    await page.getByTestId('lab-gumbel-resample').click()
    expect(await textOf(page, 'lab-gumbel-seed')).toBe('1')
    expectClose(await barsOf(page, 'lab-gumbel'), gumbelSoftmax(z, { temperature: 2, rng: makeRng(1) }).data, 12)
    expect(page.url()).toContain('seed=1')
    // sigmoid's numbers need not sum to 1; the others' do.
    const totals = await page.locator('.lab-family .lab-total').evaluateAll((cells: HTMLElement[]) => cells.map((c) => Number(c.dataset.value)))
    expect(totals.slice(0, 3).map((t) => t.toFixed(12))).toEqual(['1.000000000000', '1.000000000000', '1.000000000000'])
    expect(totals[3]).toBeGreaterThan(1)
    expect(problems).toEqual([])
  })
})

describe('ten classes', () => {
  it('every panel has ten rows that fit inside it, one above the other', async () => {
    const { page, problems } = await openLab()
    await page.getByTestId('lab-logits').fill('2.5,-1.25,0.5,3,-3,1,0,-0.5,1.75,-2')
    for (const id of ['lab-probs', 'lab-naive', 'lab-stable', 'lab-grad', 'lab-numeric', 'lab-sparsemax', 'lab-hardmax', 'lab-gumbel', 'lab-sigmoid']) {
      const rows = await page.getByTestId(id).locator('.lab-bar-row').evaluateAll((all: HTMLElement[]) => all.map((r) => r.getBoundingClientRect().toJSON() as DOMRect))
      expect(rows, id).toHaveLength(10)
      for (let k = 1; k < rows.length; k++) expect(rows[k].top, `${id} row ${k}`).toBeGreaterThanOrEqual(rows[k - 1].bottom)
      for (const r of rows) expect(r.height, id).toBeGreaterThanOrEqual(14)
    }
    expect((await jacobianOf(page)).rows.flat()).toHaveLength(100)
    const overflowing = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.panel, .lab-bar-row'))
        .filter((e) => e.scrollWidth > e.clientWidth)
        .map((e) => e.querySelector('h2')?.textContent ?? e.textContent))
    expect(overflowing).toEqual([])
    expect(problems).toEqual([])
  })
})

describe('a refused input', () => {
  /** Each input, a value it refuses, and the words it says under the input. */
  const REFUSED: Array<[string, string, string]> = [
    ['lab-logits', '4,,x', 'Logits are numbers separated by commas, such as 4,2,-1; 4,,x has an empty one.'],
    ['lab-logits', '4,x', 'Each logit must be a number; x is not a number.'],
    ['lab-logits', '4,1e999', 'Each logit must be a finite number; 1e999 is too large for float64.'],
    ['lab-logits', '4', 'Give at least 2 logits, such as 4,2,-1; 4 has 1.'],
    ['lab-logits', '1,2,3,4,5,6,7,8,9,10,11', 'At most 10 logits; 1,2,3,4,5,6,7,8,9,10,11 has 11.'],
    ['lab-logits', '', 'Logits are numbers separated by commas, such as 4,2,-1.'],
    ['lab-temperature', '0', 'The temperature must be a number from 0.001 to 1000; 0 is too small.'],
    ['lab-temperature', '-1', 'The temperature must be a number from 0.001 to 1000; -1 is too small.'],
    ['lab-temperature', '5000', 'The temperature must be a number from 0.001 to 1000; 5000 is too large.'],
    ['lab-temperature', '', 'The temperature must be a number from 0.001 to 1000.'],
  ]

  it('is said in words under the input, marked invalid, and changes no number', async () => {
    const { page, problems } = await openLab()
    const url = page.url()
    const probs = await barsOf(page, 'lab-probs')
    for (const [id, value, words] of REFUSED) {
      const shown = await page.getByTestId(id).inputValue()
      expect(await afterTyping(page, id, value), `${id} = ${value}`).toEqual({ words, invalid: 'true', probs, url })
      expect(await page.locator('[data-value="NaN"]').count()).toBe(0)
      // The value it showed before is taken again, and the words go.
      expect(await afterTyping(page, id, shown)).toEqual({ words: null, invalid: 'false', probs, url })
    }
    expect(problems).toEqual([])
  })

  it('a refused URL value is said under its input, and the default is used', async () => {
    const { page, problems } = await openLab('#logits=4,,x&temperature=0')
    expect(await textOf(page, 'lab-logits-refused')).toBe(
      "The URL's logits=4,,x was not used. Logits are numbers separated by commas, such as 4,2,-1; 4,,x has an empty one.")
    expect(await textOf(page, 'lab-temperature-refused')).toBe(
      "The URL's temperature=0 was not used. The temperature must be a number from 0.001 to 1000; 0 is too small.")
    expectClose(await barsOf(page, 'lab-probs'), softmax(tensor([4, 2, -1])).data, 12)
    expect(problems).toEqual([])
  })
})

describe('the playground and the lab', () => {
  it('the playground links to the lab and loads none of its code until it is opened', async () => {
    const requested: string[] = []
    const { page, problems } = await openPlayground(browser)
    page.on('request', (request) => requested.push(request.url()))
    await page.reload()
    await page.getByTestId('epoch').waitFor()
    expect(requested.filter((url) => /softmax/.test(url))).toEqual([])

    await page.getByTestId('softmax-lab-link').click()
    await page.getByTestId('lab-probs').locator('[data-value]').first().waitFor()
    expect(page.url()).toMatch(/softmax\.html/)
    expect(requested.some((url) => /assets\/softmax-[\w-]+\.js$/.test(url))).toBe(true)
    expectClose(await barsOf(page, 'lab-probs'), softmax(tensor([4, 2, -1])).data, 12)
    expect(problems).toEqual([])
  })
})
