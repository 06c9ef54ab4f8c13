/** Model download: the page's .safetensors file is one `softgrad predict` reads, and it predicts what the page does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { decodeModel } from '../../src/browser.js'
import { exactNumberOf, launchChromium, openPlayground, playUntilEpoch, resultsDir, runCli } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** A 5 × 5 grid of points over the spirals' square. */
const POINTS = Array.from({ length: 25 }, (_, i) => [-1 + (i % 5) * 0.5, -1 + Math.floor(i / 5) * 0.5])

/** predict's CSV on stdout: the class and p_<class> columns of each row. */
function parsePredictions(stdout: string): { header: string[]; classes: string[]; probs: number[][] } {
  const [header, ...rows] = stdout.trim().split('\n').map((line) => line.split(','))
  return { header, classes: rows.map((r) => r[0]), probs: rows.map((r) => r.slice(1).map(Number)) }
}

/**
 * Download the page's model as `name`, and predict POINTS with it both ways: `softgrad predict`
 * on a CSV whose columns the page names (in another order, with an id column before them), and
 * the page's live model.
 */
async function downloadAndPredict(page: Page, name: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-model').click()])
  const modelFile = join(resultsDir, name)
  await download.saveAs(modelFile)
  const { metadata } = decodeModel(new Uint8Array(readFileSync(modelFile)))

  const featureNames = await page.evaluate(() => window.softgradPlayground!.featureNames())
  const csv = ['id,x2,x1', ...POINTS.map(([x1, x2], i) => `p${i},${x2},${x1}`)].join('\n') + '\n'
  const dataFile = join(resultsDir, 'playground-points.csv')
  writeFileSync(dataFile, csv)
  const cli = runCli(['predict', '--model', modelFile, '--data', dataFile])
  expect(cli.stderr).toBe('')
  expect(cli.status).toBe(0)

  const rows = POINTS.map(([x1, x2]) => featureNames.map((name) => (name === 'x1' ? x1 : x2)))
  const fromPage = await page.evaluate((r) => window.softgradPlayground!.predict(r), rows)
  return { fileName: download.suggestedFilename(), metadata, rows, fromCli: parsePredictions(cli.stdout), fromPage }
}

describe('the model download', () => {
  it('saves a .safetensors file that softgrad predict reads, predicting what the page predicts', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&seed=3&hidden=16,16')
    await playUntilEpoch(page, 60)
    const { fileName, metadata, fromCli, fromPage } = await downloadAndPredict(page, 'playground-model.safetensors')
    expect(fileName).toBe('spirals-epoch-60.safetensors')

    // What the file says about itself: what the command line writes.
    expect(metadata.featureNames).toEqual(['x1', 'x2'])
    expect(metadata.classes).toEqual(['class_0', 'class_1', 'class_2'])
    expect(metadata.label).toBe('class')
    expect(metadata.seed).toBe(3)
    expect(metadata.scaler).toMatchObject({ mean: expect.any(Array), scale: expect.any(Array) })
    expect(metadata.hyperparameters).toMatchObject({ hidden: [16, 16], optimizer: 'adam', epochs: 60, source: 'spirals' })
    expect(metadata.temperature).toBeUndefined()

    expect(fromCli.header).toEqual(['class', 'p_class_0', 'p_class_1', 'p_class_2'])
    expect(fromCli.classes).toEqual(fromPage.classes)
    fromPage.probs.forEach((p, i) => p.forEach((value, k) => expect(fromCli.probs[i][k]).toBeCloseTo(value, 12)))
    expect(new Set(fromPage.classes).size).toBeGreaterThan(1) // a trained model, not a constant one
    expect(problems).toEqual([])
  })

  it('with calibrate on, the file carries the fitted T and softgrad predict gives the page\'s calibrated probabilities', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&seed=3&noise=0.5&hidden=16,16&calibrate=1')
    await playUntilEpoch(page, 40)
    const temperature = await exactNumberOf(page, 'calibrated-temperature')
    const { metadata, rows, fromCli, fromPage } = await downloadAndPredict(page, 'playground-calibrated.safetensors')

    expect(metadata.temperature).toBe(temperature)
    expect(Math.abs(Math.log(temperature))).toBeGreaterThan(0.1) // far enough from 1 to change the probabilities
    expect(fromCli.classes).toEqual(fromPage.classes)
    fromPage.probs.forEach((p, i) => p.forEach((value, k) => expect(fromCli.probs[i][k]).toBeCloseTo(value, 12)))

    // At T = 1 the page's probabilities are others: predict really divided the logits by T.
    const atOne = await page.evaluate((r) => window.softgradPlayground!.predict(r, 1).probs, rows)
    const largestGap = Math.max(...atOne.flatMap((p, i) => p.map((value, k) => Math.abs(value - fromCli.probs[i][k]))))
    expect(largestGap).toBeGreaterThan(0.01)
    expect(problems).toEqual([])
  })
})
