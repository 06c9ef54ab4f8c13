/** Training from the page: play, pause, step and reset, in slices between frames, to ≥ 90% on spirals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, numberOf, openPlayground, playUntilEpoch, resultsDir, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

describe('training in the page', () => {
  it('spirals reach 90% test accuracy within 60 seconds of pressing play, with the page as it opens', async () => {
    const { page, problems } = await openPlayground(browser)
    expect(await page.getByTestId('dataset').inputValue()).toBe('spirals')
    expect(await textOf(page, 'play')).toBe('Play')
    expect(await textOf(page, 'epoch')).toBe('0')

    const pressed = Date.now()
    await page.getByTestId('play').click()
    expect(await textOf(page, 'play')).toBe('Pause')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="test-accuracy"]')?.textContent) >= 0.9, null, { timeout: 60_000 })
    const seconds = (Date.now() - pressed) / 1000
    await page.getByTestId('play').click()
    expect(await textOf(page, 'play')).toBe('Play')

    const epoch = await textOf(page, 'epoch')
    process.stdout.write(`spirals: test accuracy ≥ 0.90 ${seconds.toFixed(2)} s after pressing play (paused at epoch ${epoch})\n`)
    expect(seconds).toBeLessThan(60)
    expect(epoch).toMatch(/^[1-9]\d*$/)
    for (const id of ['train-accuracy', 'test-accuracy']) {
      expect(await textOf(page, id)).toMatch(/^[01]\.\d{4}$/) // a fraction, not a percentage
    }
    expect(await numberOf(page, 'test-accuracy')).toBeGreaterThanOrEqual(0.9)
    // Paused means paused: the epoch stays where it is.
    await page.waitForTimeout(300)
    expect(await textOf(page, 'epoch')).toBe(epoch)
    expect(problems).toEqual([])
  })

  it('trains in slices: epochs advance across many animation frames, with the page answering in between', async () => {
    const { page, problems } = await openPlayground(browser)
    await page.getByTestId('play').click()
    // Read the epoch in 20 successive animation frames while training: each frame sees it moved on.
    const seen = await page.evaluate(async () => {
      const epochs: string[] = []
      for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => requestAnimationFrame(resolve))
        epochs.push(document.querySelector('[data-testid="epoch"]')!.textContent!)
      }
      return epochs
    })
    await page.getByTestId('play').click()
    expect(new Set(seen).size).toBeGreaterThanOrEqual(10)
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b))
    expect(problems).toEqual([])
  })

  it('step trains exactly one epoch; reset goes back to epoch 0 and the untrained network', async () => {
    const { page, problems } = await openPlayground(browser)
    const untrained = await textOf(page, 'test-loss')
    for (let i = 0; i < 3; i++) await page.getByTestId('step').click()
    expect(await textOf(page, 'epoch')).toBe('3')
    expect(await textOf(page, 'test-loss')).not.toBe(untrained)
    await page.getByTestId('reset').click()
    expect(await textOf(page, 'epoch')).toBe('0')
    expect(await textOf(page, 'test-loss')).toBe(untrained)
    expect(await textOf(page, 'play')).toBe('Play')
    expect(problems).toEqual([])
  })

  it('shows up to 10 classes, each with its colour in the legend', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=blobs&classes=10&points=500')
    await expect.poll(() => page.getByTestId('legend').locator('li').count()).toBe(10)
    expect(await page.getByTestId('legend').textContent()).toContain('class_9')
    await playUntilEpoch(page, 20)
    expect(await textOf(page, 'architecture')).toMatch(/^2 → 16 → 16 → 10 /)
    expect(await page.getByTestId('softmax-bars').locator('svg').count()).toBe(1)
    expect(await page.getByTestId('p-minus-y').locator('tr').count()).toBe(11) // a header and one row a class
    expect(problems).toEqual([])
  })

  it('takes a screenshot of a trained page (test-results/playground.png)', async () => {
    const { page, problems } = await openPlayground(browser, '#temperature=3') // T = 3: bars worth looking at
    await playUntilEpoch(page, 150)
    await page.getByTestId('draw-graph').click()
    await page.getByTestId('graph').locator('svg').waitFor({ timeout: 60_000 })
    // NOTE: docs/img/playground.png, the README's picture, is a copy of this file; refresh it by hand.
    await page.screenshot({ path: join(resultsDir, 'playground.png'), fullPage: true })
    expect(await page.getByTestId('boundary').evaluate((canvas: HTMLCanvasElement) => canvas.width)).toBeGreaterThan(100)
    expect(problems).toEqual([])
  })
})
