/** The whole state in the URL: the controls write it, a reload restores it, and the same URL trains the same model. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { exactNumberOf, launchChromium, openPlayground, playUntilEpoch, runCli, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** Settings far from the defaults, by control: a 5-class spiral that is not learnt perfectly by epoch 100. */
const SETTINGS = {
  dataset: 'spirals',
  classes: '5',
  points: '400',
  noise: '0.3',
  'train-fraction': '0.7',
  seed: '7',
  hidden: '12,8',
  activation: 'tanh',
  optimizer: 'sgd',
  lr: '0.05',
  'batch-size': '16',
  temperature: '2',
}
/** The same settings as the URL spells them. */
const IN_URL = ['dataset=spirals', 'classes=5', 'points=400', 'noise=0.3', 'trainFraction=0.7', 'seed=7', 'hidden=12,8',
  'activation=tanh', 'optimizer=sgd', 'lr=0.05', 'batchSize=16', 'temperature=2']

interface CliReport {
  testAccuracy: number
  trainAccuracy: number
  testLoss: number
  temperature?: number
  eceBefore?: number
  eceAfter?: number
  nllBefore?: number
  nllAfter?: number
}

/** `softgrad train --json` with SETTINGS as flags, for 100 epochs, and `extra` flags. */
function trainWithCli(extra: string[]): CliReport {
  const cli = runCli([
    'train', '--dataset', 'spirals', '--classes', '5', '--n', '400', '--noise', '0.3', '--test-fraction', '0.3', '--seed', '7',
    '--hidden', '12,8', '--activation', 'tanh', '--optimizer', 'sgd', '--lr', '0.05', '--batch-size', '16', '--epochs', '100', '--json',
    ...extra,
  ])
  expect(cli.stderr).toBe('')
  return JSON.parse(cli.stdout) as CliReport
}

async function setControls(page: Page): Promise<void> {
  for (const [id, value] of Object.entries(SETTINGS)) {
    const control = page.getByTestId(id)
    const tag = await control.evaluate((element) => element.tagName)
    if (tag === 'SELECT') await control.selectOption(value)
    else if ((await control.getAttribute('type')) === 'range') {
      await control.evaluate((input: HTMLInputElement, v) => {
        input.value = v
        input.dispatchEvent(new Event('input', { bubbles: true }))
      }, value)
    } else await control.fill(value)
  }
}

async function controlValues(page: Page): Promise<Record<string, string>> {
  const values: Record<string, string> = {}
  for (const id of Object.keys(SETTINGS)) values[id] = await page.getByTestId(id).inputValue()
  return values
}

/** What the page shows at the end of a run: the shown numbers and the exact ones behind them. */
async function outcome(page: Page): Promise<Record<string, string | number>> {
  return {
    epoch: await textOf(page, 'epoch'),
    testAccuracy: await textOf(page, 'test-accuracy'),
    trainAccuracy: await textOf(page, 'train-accuracy'),
    exactTestAccuracy: await exactNumberOf(page, 'test-accuracy'),
    exactTestLoss: await exactNumberOf(page, 'test-loss'),
    exactTrainLoss: await exactNumberOf(page, 'train-loss'),
  }
}

describe('the state in the URL', () => {
  let url = ''

  it('the controls write every setting into the URL, and a reload restores them', async () => {
    const { page, problems } = await openPlayground(browser)
    await setControls(page)
    url = page.url()
    for (const part of IN_URL) expect(decodeURIComponent(url)).toContain(part)
    await page.reload()
    await page.getByTestId('epoch').waitFor()
    expect(page.url()).toBe(url)
    expect(await controlValues(page)).toEqual(SETTINGS)
    expect(await textOf(page, 'epoch')).toBe('0')
    expect(problems).toEqual([])
  })

  it('the same URL trains the same model: the epoch-100 numbers are identical after a reload, however the frames slice it', async () => {
    const { page, problems } = await openPlayground(browser, new URL(url).hash)
    await playUntilEpoch(page, 100) // the default budget: several epochs a frame
    const first = await outcome(page)

    await page.reload()
    await page.getByTestId('epoch').waitFor()
    expect(await controlValues(page)).toEqual(SETTINGS)
    await playUntilEpoch(page, 100, 0) // one epoch a frame
    const second = await outcome(page)

    process.stdout.write(`epoch-100 test accuracy: ${first.testAccuracy} before the reload, ${second.testAccuracy} after\n`)
    expect(first.epoch).toBe('100')
    expect(second).toEqual(first)
    // Not a trivial model: the test accuracy is neither chance nor perfect.
    expect(first.exactTestAccuracy).toBeGreaterThan(0.3)
    expect(first.exactTestAccuracy).toBeLessThan(1)
    expect(problems).toEqual([])
  })

  it('the page trains the very model `softgrad train` trains from the same settings', async () => {
    const { page, problems } = await openPlayground(browser, new URL(url).hash)
    await playUntilEpoch(page, 100)
    const report = trainWithCli([])
    expect(await exactNumberOf(page, 'test-accuracy')).toBe(report.testAccuracy)
    expect(await exactNumberOf(page, 'train-accuracy')).toBe(report.trainAccuracy)
    expect(await exactNumberOf(page, 'test-loss')).toBeCloseTo(report.testLoss, 12)
    expect(problems).toEqual([])
  })

  it('with calibrate=1 the page holds out, trains and calibrates as `softgrad train --calibrate` does', async () => {
    const hash = new URL(url).hash
    expect(hash).toContain('calibrate=0')
    const { page, problems } = await openPlayground(browser, hash.replace('calibrate=0', 'calibrate=1'))
    expect(await page.getByTestId('calibrate').isChecked()).toBe(true)
    await playUntilEpoch(page, 100)
    const report = trainWithCli(['--calibrate'])
    const page100 = {
      testAccuracy: await exactNumberOf(page, 'test-accuracy'),
      trainAccuracy: await exactNumberOf(page, 'train-accuracy'),
      testLoss: await exactNumberOf(page, 'test-loss'),
      temperature: await exactNumberOf(page, 'calibrated-temperature'),
      eceBefore: await exactNumberOf(page, 'ece-before'),
      eceAfter: await exactNumberOf(page, 'ece-after'),
      nllBefore: await exactNumberOf(page, 'nll-before'),
      nllAfter: await exactNumberOf(page, 'nll-after'),
    }
    process.stdout.write(`calibrate=1, epoch 100: page ${JSON.stringify(page100)}\n`)
    expect(page100.testAccuracy).toBe(report.testAccuracy)
    expect(page100.trainAccuracy).toBe(report.trainAccuracy)
    for (const key of ['testLoss', 'temperature', 'eceBefore', 'eceAfter', 'nllBefore', 'nllAfter'] as const) {
      expect(page100[key], key).toBeCloseTo(report[key]!, 12)
    }
    // Trained on four fifths of the training rows: not the model of the run without --calibrate.
    expect(page100.testLoss).not.toBeCloseTo(trainWithCli([]).testLoss, 3)
    expect(problems).toEqual([])
  })

  it('a URL with a value out of range keeps the default for it and the rest of the URL, and says why under the control', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=moons&lr=-3&hidden=8,oops&seed=5&batchSize=0')
    expect(await page.getByTestId('dataset').inputValue()).toBe('moons')
    expect(await page.getByTestId('seed').inputValue()).toBe('5')
    expect(await page.getByTestId('lr').inputValue()).toBe('0.01')
    expect(await page.getByTestId('hidden').inputValue()).toBe('16,16')
    expect(page.url()).toContain('lr=0.01')
    expect(await textOf(page, 'lr-refused')).toBe("The URL's lr=-3 was not used. The learning rate must be a number from 0.000001 to 10; -3 is too small.")
    expect(await textOf(page, 'hidden-refused')).toBe("The URL's hidden=8,oops was not used. Each hidden layer size must be a whole number from 1 to 256; oops is not a number.")
    expect(await textOf(page, 'batch-size-refused')).toBe("The URL's batchSize=0 was not used. The batch size must be a whole number from 1 to 10000; 0 is too small.")
    expect(await page.getByTestId('seed-refused').isHidden()).toBe(true)
    expect(problems).toEqual([])
  })

  it('an invalid entry in a control is marked and changes nothing', async () => {
    const { page, problems } = await openPlayground(browser)
    const before = page.url()
    await page.getByTestId('hidden').fill('16,,x')
    expect(await page.getByTestId('hidden').getAttribute('aria-invalid')).toBe('true')
    expect(page.url()).toBe(before)
    await page.getByTestId('hidden').fill('4')
    expect(await page.getByTestId('hidden').getAttribute('aria-invalid')).toBe('false')
    expect(page.url()).toContain('hidden=4&')
    expect(await textOf(page, 'architecture')).toMatch(/^2 → 4 → 3 /)
    expect(problems).toEqual([])
  })
})
