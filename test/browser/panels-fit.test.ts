/**
 * The panels fit what they draw: the graph of a point's loss stays reachable inside its panel
 * (scaled to the panel or scrolled, its labels still readable) for the smallest and the largest
 * network the playground builds, and at 10 classes the softmax bars and the reliability diagrams
 * keep their labels apart and large enough to read. Sizes are measured as the page lays them out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator } from 'playwright-core'
import { launchChromium, openPlayground, playUntilEpoch } from './playground.js'

/** The smallest text, in CSS pixels, that a panel may show. */
const MIN_TEXT_PX = 9
/** The thinnest a softmax bar may be across its class's row. */
const MIN_BAR_PX = 10

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

interface DrawnText extends Box {
  text: string
  /** the font size as drawn on the screen: the SVG's font size times its scale */
  px: number
}

/** Every <text> of the SVGs under `where`, with its box on the screen and its drawn size. */
function textsOf(where: Locator): Promise<DrawnText[]> {
  return where.evaluate((root) =>
    Array.from(root.querySelectorAll('svg text'), (t) => {
      const box = t.getBoundingClientRect()
      const { a, b } = (t as SVGTextElement).getScreenCTM()! // rotated text too: the length of the x axis
      const scale = Math.hypot(a, b)
      return { text: t.textContent ?? '', px: parseFloat(getComputedStyle(t).fontSize) * scale, left: box.left, top: box.top, right: box.right, bottom: box.bottom }
    }))
}

/** The pairs of texts whose boxes overlap by more than a pixel each way, as 'a / b'. */
function overlapping(texts: DrawnText[]): string[] {
  const pairs: string[] = []
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const [a, b] = [texts[i], texts[j]]
      const across = Math.min(a.right, b.right) - Math.max(a.left, b.left)
      const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
      if (across > 1 && down > 1) pairs.push(`${a.text} / ${b.text}`)
    }
  }
  return pairs
}

/** The texts drawn smaller than MIN_TEXT_PX, as 'text at 5.2 px'. */
function tooSmall(texts: DrawnText[]): string[] {
  return texts.filter((t) => t.px < MIN_TEXT_PX).map((t) => `${t.text} at ${t.px.toFixed(1)} px`)
}

describe('the graph panel fits its drawing', () => {
  for (const [network, hidden] of [['no hidden layer', '0'], ['six hidden layers of 256, the largest allowed', '256,256,256,256,256,256']]) {
    it(`${network}: the scroll box lies inside the panel and every label can be scrolled into it, at 10 px or more`, async () => {
      const { page, problems } = await openPlayground(browser, `#hidden=${hidden}`)
      await page.getByTestId('draw-graph').click()
      const scroll = page.getByTestId('graph-scroll')
      await scroll.locator('svg').waitFor({ timeout: 60_000 })

      const layout = await scroll.evaluate((box) => {
        const rect = (e: Element) => {
          const { left, top, right, bottom } = e.getBoundingClientRect()
          return { left, top, right, bottom }
        }
        const svg = box.querySelector('svg')!
        return {
          panel: rect(box.closest('section')!),
          box: rect(box),
          svg: rect(svg),
          fullWidth: svg.width.baseVal.value,
          scrollWidth: box.scrollWidth,
          scrollHeight: box.scrollHeight,
        }
      })
      // The scroll box stays within the panel; what it scrolls covers the whole drawing.
      expect(layout.box.left).toBeGreaterThanOrEqual(layout.panel.left)
      expect(layout.box.right).toBeLessThanOrEqual(layout.panel.right)
      expect(layout.box.bottom).toBeLessThanOrEqual(layout.panel.bottom)
      expect(layout.scrollWidth).toBeGreaterThanOrEqual(Math.floor(layout.svg.right - layout.svg.left))
      expect(layout.scrollHeight).toBeGreaterThanOrEqual(Math.floor(layout.svg.bottom - layout.svg.top))
      // Scaled down to the panel, never up past the size Graphviz drew it.
      expect(layout.svg.right - layout.svg.left).toBeLessThanOrEqual(layout.fullWidth + 0.5)

      const texts = await textsOf(scroll)
      expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining(['x', 'loss']))
      expect(texts.filter((t) => t.px < 10 - 0.01).map((t) => t.text)).toEqual([])
      // Every label lies within the scrolled area (its box measured from the drawing's top left).
      for (const t of texts) {
        expect(t.left - layout.svg.left).toBeGreaterThanOrEqual(0)
        expect(t.right - layout.svg.left).toBeLessThanOrEqual(layout.scrollWidth + 0.5)
        expect(t.bottom - layout.svg.top).toBeLessThanOrEqual(layout.scrollHeight + 0.5)
      }
      // Scrolled to the end, the loss is in view inside the box.
      await scroll.evaluate((box) => box.scrollTo(box.scrollWidth, 0))
      const loss = (await textsOf(scroll)).find((t) => t.text === 'loss')!
      expect(loss.left).toBeGreaterThanOrEqual(layout.box.left)
      expect(loss.right).toBeLessThanOrEqual(layout.box.right)
      expect(problems).toEqual([])
    })
  }

  it('"whole graph" shrinks the largest drawing to the panel width: nothing left to scroll sideways', async () => {
    const { page, problems } = await openPlayground(browser, '#hidden=256,256,256,256,256,256')
    await page.getByTestId('draw-graph').click()
    const scroll = page.getByTestId('graph-scroll')
    await scroll.locator('svg').waitFor({ timeout: 60_000 })
    const sideways = () => scroll.evaluate((box) => box.scrollWidth - box.clientWidth)
    expect(await sideways()).toBeGreaterThan(0)
    await page.getByTestId('graph-whole').check()
    expect(await sideways()).toBeLessThanOrEqual(0)
    await page.getByTestId('graph-whole').uncheck()
    expect(await sideways()).toBeGreaterThan(0)
    expect(problems).toEqual([])
  })
})

describe('10 classes stay readable', () => {
  // Spirals with 10 arms: after 20 epochs the network is unsure of many points, so the calibration fits a T.
  const tenClasses = '#dataset=spirals&classes=10&points=500&calibrate=1'

  it('the softmax bars: one per class, each at least 10 px thick, their labels apart and at least 9 px', async () => {
    const { page, problems } = await openPlayground(browser, tenClasses)
    await playUntilEpoch(page, 20)
    const bars = page.getByTestId('softmax-bars')
    const thickness = await bars.locator('g.bars rect').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().height))
    expect(thickness).toHaveLength(10)
    for (const px of thickness) expect(px).toBeGreaterThanOrEqual(MIN_BAR_PX)
    const texts = await textsOf(bars)
    for (let k = 0; k < 10; k++) expect(texts.map((t) => t.text)).toContain(`class_${k}`)
    expect(overlapping(texts)).toEqual([])
    expect(tooSmall(texts)).toEqual([])
    // The drawing fits the panel's width.
    const [svgWidth, panelWidth] = await bars.evaluate((div) => [div.querySelector('svg')!.getBoundingClientRect().width, div.clientWidth])
    expect(svgWidth).toBeLessThanOrEqual(panelWidth)
    expect(problems).toEqual([])
  })

  it('the reliability diagrams, before and after: labels apart and at least 9 px', async () => {
    const { page, problems } = await openPlayground(browser, tenClasses)
    await playUntilEpoch(page, 20)
    const diagrams = page.getByTestId('reliability')
    expect(await diagrams.locator('svg').count()).toBe(2)
    const texts = await textsOf(diagrams)
    expect(texts.filter((t) => t.text === 'accuracy').length).toBe(4) // each diagram's axis and legend
    expect(overlapping(texts)).toEqual([])
    expect(tooSmall(texts)).toEqual([])
    expect(problems).toEqual([])
  })

  it('3 classes: the softmax bars and reliability diagrams are as readable', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&classes=3&calibrate=1')
    await playUntilEpoch(page, 20)
    const texts = await textsOf(page.getByTestId('softmax-bars'))
    expect(overlapping(texts)).toEqual([])
    expect(tooSmall(texts)).toEqual([])
    const diagrams = page.getByTestId('reliability')
    expect(await diagrams.locator('svg').count()).toBe(2)
    const diagramTexts = await textsOf(diagrams)
    expect(overlapping(diagramTexts)).toEqual([])
    expect(tooSmall(diagramTexts)).toEqual([])
    expect(problems).toEqual([])
  })
})
