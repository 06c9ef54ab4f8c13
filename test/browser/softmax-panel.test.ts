/** The softmax panel (a clicked point, the temperature slider, p − y) and the graph drawn on demand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, openPlayground, playUntilEpoch, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** The p − y table as numbers: one row a class, columns z, p, y, p − y. */
async function pMinusY(page: Page): Promise<Array<{ z: number; p: number; y: number; pMinusY: number }>> {
  const rows = await page.getByTestId('p-minus-y').locator('tr').evaluateAll((trs) =>
    trs.slice(1).map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')))
  return rows.map(([, z, p, y, d]) => ({ z: Number(z), p: Number(p), y: Number(y), pMinusY: Number(d) }))
}

async function setTemperature(page: Page, value: string): Promise<void> {
  await page.getByTestId('temperature').evaluate((input: HTMLInputElement, v) => {
    input.value = v
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }, value)
}

describe('the softmax panel', () => {
  it('shows the first test point until one is clicked, with p − y summing to 0 and y one-hot', async () => {
    const { page, problems } = await openPlayground(browser)
    await playUntilEpoch(page, 40)
    expect(await textOf(page, 'selected-point')).toMatch(/^test point 0 /)
    expect(await page.getByTestId('softmax-bars').locator('svg').count()).toBe(1)
    const rows = await pMinusY(page)
    expect(rows).toHaveLength(3)
    expect(rows.map((r) => r.y).sort()).toEqual([0, 0, 1])
    expect(Math.abs(rows.reduce((sum, r) => sum + r.pMinusY, 0))).toBeLessThan(1e-3)
    for (const r of rows) expect(r.pMinusY).toBeCloseTo(r.p - r.y, 3)
    expect(problems).toEqual([])
  })

  it('a higher temperature flattens the probabilities; the URL keeps it', async () => {
    const { page, problems } = await openPlayground(browser)
    await playUntilEpoch(page, 40)
    const sharp = Math.max(...(await pMinusY(page)).map((r) => r.p))
    await setTemperature(page, '4')
    expect(await textOf(page, 'temperature-value')).toBe('T = 4.00')
    const flat = await pMinusY(page)
    expect(Math.max(...flat.map((r) => r.p))).toBeLessThan(sharp)
    expect(Math.min(...flat.map((r) => r.p))).toBeGreaterThan(0.001)
    expect(await page.getByTestId('softmax-bars').textContent()).toContain('softmax(z / 4.00)')
    expect(page.url()).toContain('temperature=4')
    // Only the view changed: training did not start again.
    expect(await textOf(page, 'epoch')).toBe('40')
    expect(problems).toEqual([])
  })

  it('clicking a point on the boundary selects it, and the URL remembers the choice', async () => {
    const { page, problems } = await openPlayground(browser)
    await playUntilEpoch(page, 20)
    const [x, y] = await page.evaluate(() => window.softgradPlayground!.pointOnScreen({ part: 'train', index: 17 }))
    await page.getByTestId('boundary').click({ position: { x, y } })
    expect(await textOf(page, 'selected-point')).toMatch(/^train point 17 /)
    expect(page.url()).toContain('selected=train.17')
    await page.reload()
    await page.getByTestId('epoch').waitFor()
    expect(await textOf(page, 'selected-point')).toMatch(/^train point 17 /)
    expect(problems).toEqual([])
  })
})

describe('the graph drawing', () => {
  it('loads Graphviz only when the button is pressed, then draws the loss of the selected point', async () => {
    const { page, problems } = await openPlayground(browser)
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    await playUntilEpoch(page, 10)
    expect(requested.filter((url) => /viz|graph/.test(url))).toEqual([])

    await page.getByTestId('draw-graph').click()
    const svg = page.getByTestId('graph').locator('svg')
    await svg.waitFor({ timeout: 60_000 })
    expect(requested.some((url) => /assets\/viz-[\w-]+\.js$/.test(url))).toBe(true)
    const text = (await svg.textContent()) ?? ''
    for (const box of ['x', '0.weight', '4.bias', 'loss']) expect(text).toContain(box)
    // Drawing took gradients but changed no weights: the numbers are as they were.
    expect(await textOf(page, 'epoch')).toBe('10')
    expect(problems).toEqual([])
  })
})
