/**
 * At the edges: a diverging loss, a panel that throws and a refused input are said in words in
 * the page, with no uncaught page error and no console error; big numbers fit their panels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { nn } from '../../src/index.js'
import { exactNumberOf, launchChromium, openPlayground, textOf, type OpenPage } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** SGD at lr 10 on a wide network: the loss reaches about 5.7e+253 by epoch 2, then NaN. */
const DIVERGING = '#dataset=spirals&optimizer=sgd&lr=10&hidden=64,64'

/** Let the page finish what it is doing: two animation frames, so events raised meanwhile have arrived. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
}

/** Open the diverging URL and press play; resolves once the page says training stopped, and has settled. */
async function playUntilItDiverges(): Promise<OpenPage> {
  const opened = await openPlayground(browser, DIVERGING)
  await opened.page.getByTestId('play').click()
  await opened.page.getByTestId('training-error').waitFor({ state: 'visible', timeout: 60_000 })
  await settle(opened.page)
  return opened
}

/** The panels whose content is wider than the panel itself. */
async function overflowingPanels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.panel'))
      .filter((panel) => panel.scrollWidth > panel.clientWidth)
      .map((panel) => panel.querySelector('h2')?.textContent ?? '?'))
}

describe('a diverging loss', () => {
  it('stops training and says so in the page, with no page error or console error', async () => {
    const { page, problems } = await playUntilItDiverges()

    const error = await textOf(page, 'training-error')
    expect(error).toMatch(/^Training stopped\. .*the loss became NaN at epoch \d+, step \d+ \(lr 10\)/)
    expect(error).toContain('Lower the learning rate')
    expect(await textOf(page, 'play')).toBe('Play')
    expect(await textOf(page, 'softmax-bars')).toContain('the loss has diverged. Lower the learning rate and press Reset.')

    // Play and step again: training stays stopped, and the reason is said once.
    const epoch = await textOf(page, 'epoch')
    await page.getByTestId('play').click()
    await page.getByTestId('step').click()
    await settle(page)
    expect(await textOf(page, 'epoch')).toBe(epoch)
    expect(await textOf(page, 'play')).toBe('Play')
    expect(await textOf(page, 'training-error')).toBe(error)

    expect(problems).toEqual([])
  })

  it('prints the huge loss in exponent form (5.7e+253), inside its panel, the full number kept in data-value', async () => {
    const { page, problems } = await playUntilItDiverges()

    for (const id of ['train-loss', 'test-loss']) {
      const shown = await textOf(page, id)
      expect(shown, id).toMatch(/^\d\.\de\+\d+$/)
      const exact = await exactNumberOf(page, id)
      expect(exact, id).toBeGreaterThan(1e100)
      expect(Number(shown), id).toBe(Number(exact.toExponential(1)))
    }
    expect(await overflowingPanels(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('Reset starts again from epoch 0 with the message gone', async () => {
    const { page, problems } = await playUntilItDiverges()
    await page.getByTestId('reset').click()
    expect(await textOf(page, 'epoch')).toBe('0')
    expect(await page.getByTestId('training-error').isHidden()).toBe(true)
    await page.getByTestId('step').click()
    expect(await textOf(page, 'epoch')).toBe('1')
    expect(problems).toEqual([])
  })
})

describe('a panel that throws', () => {
  it('is said in the page and stops training; the other panels still draw and nothing is left uncaught', async () => {
    const { page, problems } = await openPlayground(browser)
    // The decision boundary scales its grid up with drawImage: make that throw.
    await page.evaluate(() => {
      CanvasRenderingContext2D.prototype.drawImage = () => {
        throw new Error('drawImage is broken on purpose')
      }
    })
    await page.getByTestId('step').click()
    await settle(page)

    expect(await textOf(page, 'training-error')).toBe(
      'Training stopped: the decision boundary could not be drawn (drawImage is broken on purpose). ' +
        'Press Reset, or change a setting, to start again.',
    )
    expect(await textOf(page, 'epoch')).toBe('1')
    expect(await page.getByTestId('p-minus-y').locator('tr').count()).toBe(4) // the softmax panel drew after it
    expect(await textOf(page, 'play')).toBe('Play')
    expect(problems).toEqual([])
  })
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
