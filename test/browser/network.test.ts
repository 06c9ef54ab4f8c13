/** The network view: one line a weight in its sign's colour, the switch to the selected point's gradients, the cap on wide layers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, openPlayground, playUntilEpoch, resultsDir, textOf } from './playground.js'
import { DECIMALS_12, SMALL_NETWORK as SMALL, largestDifference, nodeModel } from './node-model.js'
import { join } from 'node:path'

const POSITIVE = '#0877bd'
const NEGATIVE = '#f59322'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

interface Line {
  layer: number
  from: number
  to: number
  value: number
  stroke: string
  width: number
}

/** Open the panel (its summary) and wait for its drawing. */
async function openNetwork(page: Page): Promise<void> {
  await page.getByTestId('network-panel').locator('summary').click()
  await page.getByTestId('network').locator('line').first().waitFor()
}

async function linesOf(page: Page): Promise<Line[]> {
  return page.getByTestId('network').locator('line.weight').evaluateAll((lines) => lines.map((line) => ({
    layer: Number(line.getAttribute('data-layer')),
    from: Number(line.getAttribute('data-from')),
    to: Number(line.getAttribute('data-to')),
    value: Number(line.getAttribute('data-value')),
    stroke: line.getAttribute('stroke') ?? '',
    width: Number(line.getAttribute('stroke-width')),
  })))
}

/** The numbers of the lines of one layer, as a weight matrix [out, in] row-major. */
function matrixOf(lines: Line[], layer: number, inputs: number): number[] {
  const mine = lines.filter((l) => l.layer === layer)
  const values: number[] = []
  for (const l of mine) values[l.to * inputs + l.from] = l.value
  return values
}

function expectSignColours(lines: Line[]): void {
  for (const l of lines) expect(l.stroke, `line ${l.layer}:${l.from}→${l.to} = ${l.value}`).toBe(l.value >= 0 ? POSITIVE : NEGATIVE)
}

describe('the network view', () => {
  it('loads its code only when opened, then draws one line per weight, blue for positive and orange for negative', async () => {
    const { page, problems } = await openPlayground(browser, SMALL)
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    await page.getByTestId('step').click()
    expect(requested.filter((url) => /network-view|point-trace/.test(url))).toEqual([])
    await openNetwork(page)
    expect(requested.some((url) => /assets\/network-view-[\w-]+\.js$/.test(url))).toBe(true)

    const lines = await linesOf(page)
    expect(lines).toHaveLength(2 * 5 + 5 * 4 + 4 * 2) // 2 inputs, 5 and 4 hidden, 2 classes
    expect(await page.getByTestId('network').locator('circle.neuron').count()).toBe(2 + 5 + 4 + 2)
    // The numbers are the weights after epoch 1, as Node trains them from the same URL.
    const node = nodeModel(SMALL, 1)
    for (const [layer, name, inputs] of [[0, '0.weight', 2], [1, '2.weight', 5], [2, '4.weight', 4]] as const) {
      expect(largestDifference(matrixOf(lines, layer, inputs), node.weights.get(name)!)).toBeLessThan(DECIMALS_12)
    }
    expectSignColours(lines)
    expect(lines.some((l) => l.value > 0) && lines.some((l) => l.value < 0)).toBe(true)
    // Width for size: the largest |w| has the widest line.
    const widest = lines.reduce((a, b) => (b.width > a.width ? b : a))
    expect(Math.abs(widest.value)).toBe(Math.max(...lines.map((l) => Math.abs(l.value))))
    expect(problems).toEqual([])
  })

  it('is redrawn as it trains', async () => {
    const { page, problems } = await openPlayground(browser, SMALL)
    await openNetwork(page)
    const before = await linesOf(page)
    expect(largestDifference(matrixOf(before, 0, 2), nodeModel(SMALL, 0).weights.get('0.weight')!)).toBeLessThan(DECIMALS_12)
    await playUntilEpoch(page, 5)
    const after = await linesOf(page)
    expect(after).toHaveLength(before.length)
    expect(largestDifference(matrixOf(after, 0, 2), nodeModel(SMALL, 5).weights.get('0.weight')!)).toBeLessThan(DECIMALS_12)
    expect(after.map((l) => l.value)).not.toEqual(before.map((l) => l.value))
    expect(problems).toEqual([])
  })

  it('the switch colours the same lines by the selected point\'s gradient, as traceBackward computes it in Node', async () => {
    const hash = `${SMALL}&selected=train.17`
    const { page, problems } = await openPlayground(browser, hash)
    await playUntilEpoch(page, 3)
    await openNetwork(page)
    const weights = await linesOf(page)
    await page.getByTestId('network-mode').selectOption('gradients')
    await page.getByTestId('network-key').filter({ hasText: '∂loss/∂w' }).waitFor()
    expect(await textOf(page, 'network-key')).toContain('train point 17')

    const gradients = await linesOf(page)
    expect(gradients).toHaveLength(weights.length)
    const node = nodeModel(hash, 3)
    for (const [layer, name, inputs] of [[0, '0.weight', 2], [1, '2.weight', 5], [2, '4.weight', 4]] as const) {
      expect(largestDifference(matrixOf(gradients, layer, inputs), node.gradients.get(name)!)).toBeLessThan(DECIMALS_12)
    }
    expectSignColours(gradients)
    expect(gradients.map((l) => l.stroke)).not.toEqual(weights.map((l) => l.stroke))
    // Only the view changed: no training happened, and switching back shows the same weights.
    expect(await textOf(page, 'epoch')).toBe('3')
    await page.getByTestId('network-mode').selectOption('weights')
    await page.getByTestId('network-key').filter({ hasText: 'one weight w' }).waitFor()
    expect((await linesOf(page)).map((l) => l.value)).toEqual(weights.map((l) => l.value))
    expect(problems).toEqual([])
  })

  it('draws at most 24 circles of a 64-wide layer and says so under it', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&hidden=64,8')
    await openNetwork(page)
    const columns = await page.getByTestId('network').locator('g.column').evaluateAll((groups) =>
      groups.map((g) => ({ circles: g.querySelectorAll('circle').length, caption: g.querySelector('text.caption')?.textContent ?? '' })))
    expect(columns.map((c) => c.circles)).toEqual([2, 24, 8, 3])
    expect(columns[1].caption).toBe('64 relu, 24 drawn')
    expect(await linesOf(page)).toHaveLength(2 * 24 + 24 * 8 + 8 * 3)
    expect(problems).toEqual([])
  })

  it('takes a screenshot of the page as it opens, trained 40 epochs (test-results/network-view.png)', async () => {
    const { page, problems } = await openPlayground(browser)
    await playUntilEpoch(page, 40)
    await openNetwork(page)
    await page.getByTestId('network-panel').screenshot({ path: join(resultsDir, 'network-view.png') })
    expect(problems).toEqual([])
  })
})
