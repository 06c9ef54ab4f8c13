/** The calibration panel: the checkbox holds out rows and fits T, the panel shows T, ECE and NLL, and the URL keeps it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { exactNumberOf, launchChromium, numberOf, openPlayground, playUntilEpoch, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

describe('the calibration panel', () => {
  it('turns on with the checkbox, shows a fitted T and the test ECE and NLL before and after, and survives a reload', async () => {
    const { page, problems } = await openPlayground(browser)
    expect(await page.getByTestId('calibrate').isChecked()).toBe(false)
    expect(page.url()).toContain('calibrate=0')
    expect(await textOf(page, 'calibration-note')).toMatch(/^Tick "Hold out a fifth/)
    expect(await page.getByTestId('calibration-results').isHidden()).toBe(true)

    await playUntilEpoch(page, 5)
    await page.getByTestId('calibrate').check()
    expect(page.url()).toContain('calibrate=1')
    expect(await textOf(page, 'epoch')).toBe('0') // fewer rows to train on: a new model
    expect(await textOf(page, 'architecture')).toContain('240 train (48 held out to calibrate), 60 test rows')

    await playUntilEpoch(page, 30)
    expect(await page.getByTestId('calibration-results').isVisible()).toBe(true)
    expect(await textOf(page, 'calibration-note')).toBe('Fitted after epoch 30 on 48 held-out training rows; measured on the 60 test rows.')
    const temperature = await exactNumberOf(page, 'calibrated-temperature')
    expect(Number.isFinite(temperature)).toBe(true)
    expect(temperature).toBeGreaterThan(0)
    expect(await numberOf(page, 'calibrated-temperature')).toBeCloseTo(temperature, 4)
    for (const id of ['ece-before', 'ece-after']) {
      const shown = await textOf(page, id)
      expect(shown).toMatch(/^[01]\.\d{4}$/) // plain text like 0.0312
      expect(Number(shown)).toBeGreaterThanOrEqual(0)
      expect(Number(shown)).toBeLessThanOrEqual(1)
    }
    // T minimises the NLL on the held-out rows, which on the test rows usually, not always, means a lower NLL.
    for (const id of ['nll-before', 'nll-after']) expect(await exactNumberOf(page, id)).toBeGreaterThan(0)
    // Two reliability diagrams, before and after, each with the bars of its non-empty bins.
    const diagrams = page.getByTestId('reliability').locator('svg')
    expect(await diagrams.count()).toBe(2)
    expect(await diagrams.nth(1).locator('title').textContent()).toBe(`after (T = ${temperature.toFixed(3)})`)
    expect(await diagrams.nth(0).locator('g.bars rect').count()).toBeGreaterThan(0)

    const url = page.url()
    await page.reload()
    await page.getByTestId('epoch').waitFor()
    expect(page.url()).toBe(url)
    expect(await page.getByTestId('calibrate').isChecked()).toBe(true)
    await playUntilEpoch(page, 30, 0) // one epoch a frame: T is fitted after each one drawn
    expect(await exactNumberOf(page, 'calibrated-temperature')).toBe(temperature)

    await page.getByTestId('calibrate').uncheck()
    expect(page.url()).toContain('calibrate=0')
    expect(await textOf(page, 'calibration-note')).toMatch(/^Tick "Hold out a fifth/)
    expect(await page.getByTestId('calibration-results').isHidden()).toBe(true)
    expect(await textOf(page, 'architecture')).toContain('240 train, 60 test rows')
    expect(problems).toEqual([])
  })

  it('says why when no temperature can be fitted: every held-out row classified right', async () => {
    // `softgrad train --dataset spirals --seed 3 --hidden 16,16 --optimizer adam --lr 0.01 --epochs 60 --calibrate` stops with this error.
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&seed=3&hidden=16,16&calibrate=1')
    await playUntilEpoch(page, 60)
    expect(await textOf(page, 'calibration-note')).toMatch(/^No temperature after epoch 60: fitTemperature: the logits put the true class of every row first/)
    expect(await page.getByTestId('calibration-results').isHidden()).toBe(true)
    expect(problems).toEqual([])
  })

  it('an invalid calibrate in the URL keeps the default', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=moons&calibrate=yes')
    expect(await page.getByTestId('calibrate').isChecked()).toBe(false)
    expect(page.url()).toContain('calibrate=0')
    expect(await page.getByTestId('dataset').inputValue()).toBe('moons')
    expect(problems).toEqual([])
  })
})
