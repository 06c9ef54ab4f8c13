/** Model download: the page's .safetensors file is one `softgrad predict` reads, and it predicts what the page does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { decodeModel } from '../../src/browser.js'
import { launchChromium, openPlayground, playUntilEpoch, resultsDir, runCli } from './playground.js'

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

describe('the model download', () => {
  it('saves a .safetensors file that softgrad predict reads, predicting what the page predicts', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&seed=3&hidden=16,16')
    await playUntilEpoch(page, 60)

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-model').click()])
    expect(download.suggestedFilename()).toBe('spirals-epoch-60.safetensors')
    const modelFile = join(resultsDir, 'playground-model.safetensors')
    await download.saveAs(modelFile)

    // What the file says about itself: what the command line writes.
    const { metadata } = decodeModel(new Uint8Array(readFileSync(modelFile)))
    expect(metadata.featureNames).toEqual(['x1', 'x2'])
    expect(metadata.classes).toEqual(['class_0', 'class_1', 'class_2'])
    expect(metadata.label).toBe('class')
    expect(metadata.seed).toBe(3)
    expect(metadata.scaler).toMatchObject({ mean: expect.any(Array), scale: expect.any(Array) })
    expect(metadata.hyperparameters).toMatchObject({ hidden: [16, 16], optimizer: 'adam', epochs: 60, source: 'spirals' })

    // Points in a CSV whose columns the page names, in another order and with an id column before them.
    const featureNames = await page.evaluate(() => window.softgradPlayground!.featureNames())
    const csv = ['id,x2,x1', ...POINTS.map(([x1, x2], i) => `p${i},${x2},${x1}`)].join('\n') + '\n'
    const dataFile = join(resultsDir, 'playground-points.csv')
    writeFileSync(dataFile, csv)

    const cli = runCli(['predict', '--model', modelFile, '--data', dataFile])
    expect(cli.stderr).toBe('')
    expect(cli.status).toBe(0)
    const fromCli = parsePredictions(cli.stdout)
    expect(fromCli.header).toEqual(['class', 'p_class_0', 'p_class_1', 'p_class_2'])

    const rows = POINTS.map(([x1, x2]) => featureNames.map((name) => (name === 'x1' ? x1 : x2)))
    const fromPage = await page.evaluate((r) => window.softgradPlayground!.predict(r), rows)
    expect(fromCli.classes).toEqual(fromPage.classes)
    fromPage.probs.forEach((p, i) => p.forEach((value, k) => expect(fromCli.probs[i][k]).toBeCloseTo(value, 12)))
    expect(new Set(fromPage.classes).size).toBeGreaterThan(1) // a trained model, not a constant one
    expect(problems).toEqual([])
  })
})
