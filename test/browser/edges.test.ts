/**
 * At the edges: a refused input is said in words under its control, and not used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { nn } from '../../src/index.js'
import { launchChromium, openPlayground, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

describe('a refused input', () => {
  /** Each control, a value it refuses, and the words it says under the control. */
  const REFUSED: Array<[string, string, string]> = [
    ['lr', '1000', 'The learning rate must be a number from 0.000001 to 10; 1000 is too large.'],
    ['lr', '0', 'The learning rate must be a number from 0.000001 to 10; 0 is too small.'],
    ['batch-size', '0', 'The batch size must be a whole number from 1 to 10000; 0 is too small.'],
    ['batch-size', '2.5', 'The batch size must be a whole number from 1 to 10000; 2.5 is not a whole number.'],
    ['seed', '4294967296', 'The seed must be a whole number from 0 to 4294967295; 4294967296 is too large.'],
    ['seed', '-1', 'The seed must be a whole number from 0 to 4294967295; -1 is too small.'],
    ['hidden', '1.5', 'Each hidden layer size must be a whole number from 1 to 256; 1.5 is not a whole number.'],
    ['hidden', '16,x', 'Each hidden layer size must be a whole number from 1 to 256; x is not a number.'],
    ['hidden', '16,,8', 'Hidden layer sizes are whole numbers separated by commas, such as 16,16; 16,,8 has an empty one.'],
    ['hidden', '300', 'Each hidden layer size must be a whole number from 1 to 256; 300 is too large.'],
    ['hidden', '1,2,3,4,5,6,7', 'At most 6 hidden layers; 1,2,3,4,5,6,7 has 7.'],
  ]

  it('says why under the control, marks it invalid, and does not use the value', async () => {
    const { page, problems } = await openPlayground(browser)
    const url = page.url()
    const architecture = await textOf(page, 'architecture')
    for (const [id, value, words] of REFUSED) {
      const shown = await page.getByTestId(id).inputValue()
      await page.getByTestId(id).fill(value)
      expect(await textOf(page, `${id}-refused`), `${id} = ${value}`).toBe(words)
      expect(await page.getByTestId(`${id}-refused`).isVisible()).toBe(true)
      expect(await page.getByTestId(id).getAttribute('aria-invalid')).toBe('true')
      expect(page.url(), `${id} = ${value}`).toBe(url)
      expect(await textOf(page, 'architecture')).toBe(architecture)
      await page.getByTestId(id).fill(shown)
      expect(await page.getByTestId(`${id}-refused`).isHidden()).toBe(true)
    }
    expect(problems).toEqual([])
  })

  it('takes the largest seed, 4294967295, and an accepted value clears the words', async () => {
    const { page, problems } = await openPlayground(browser)
    await page.getByTestId('seed').fill('4294967296')
    expect(await page.getByTestId('seed-refused').isVisible()).toBe(true)
    await page.getByTestId('seed').fill('4294967295')
    expect(await page.getByTestId('seed-refused').isHidden()).toBe(true)
    expect(await page.getByTestId('seed').getAttribute('aria-invalid')).toBe('false')
    expect(page.url()).toContain('seed=4294967295&')
    await page.getByTestId('step').click()
    expect(await textOf(page, 'epoch')).toBe('1')
    expect(problems).toEqual([])
  })
})

describe('the activation picker', () => {
  it('offers the rows of nn.ACTIVATIONS, each with its formula', async () => {
    const { page, problems } = await openPlayground(browser)
    const options = await page.getByTestId('activation').locator('option').evaluateAll((all: HTMLOptionElement[]) => all.map((o) => [o.value, o.title]))
    expect(options).toEqual(Object.entries(nn.ACTIVATIONS).map(([name, { formula }]) => [name, formula]))
    expect(options.length).toBeGreaterThanOrEqual(4)
    expect(await page.getByTestId('activation').inputValue()).toBe('relu')
    expect(problems).toEqual([])
  })
})
