/** CSV input: a good file (chosen or dropped) trains; a bad one shows the command line's located error and changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, numberOf, openPlayground, playUntilEpoch, resultsDir, root, runCli, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** Drop a file on the page as a user does: a drop event whose DataTransfer holds it. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(([n, t]) => {
    const transfer = new DataTransfer()
    transfer.items.add(new File([t], n, { type: 'text/csv' }))
    return transfer
  }, [name, text] as const)
  await page.locator('body').dispatchEvent('dragover', { dataTransfer })
  await page.locator('body').dispatchEvent('drop', { dataTransfer })
}

/** Four classes in four quadrants, the label column between the features, separated by semicolons. */
function quadrantsCsv(): string {
  const lines = ['width;kind;height']
  for (let i = 0; i < 80; i++) {
    const x = ((i * 37) % 80) / 40 - 1 + 0.01
    const y = ((i * 53) % 80) / 40 - 1 + 0.01
    lines.push(`${x.toFixed(3)};${x < 0 ? (y < 0 ? 'sw' : 'nw') : y < 0 ? 'se' : 'ne'};${y.toFixed(3)}`)
  }
  return lines.join('\n') + '\n'
}

describe('CSV input', () => {
  it('trains on a CSV chosen with the file input (iris)', async () => {
    const { page, problems } = await openPlayground(browser)
    await page.getByTestId('csv-input').setInputFiles(join(root, 'datasets/iris.csv'))
    await expect.poll(() => page.getByTestId('dataset').inputValue()).toBe('csv')
    expect(await page.getByTestId('dataset').locator('option:checked').textContent()).toBe('CSV: iris.csv')
    expect(await page.getByTestId('label').inputValue()).toBe('species')
    expect(await page.getByTestId('csv-error').isHidden()).toBe(true)
    expect(await page.getByTestId('legend').locator('li').allTextContents()).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(await textOf(page, 'architecture')).toMatch(/^4 → 16 → 16 → 3 /)
    expect(await textOf(page, 'axes')).toContain('sepal_length')
    expect(page.url()).toContain('dataset=csv&csvName=iris.csv&label=species')

    await playUntilEpoch(page, 100)
    expect(await numberOf(page, 'test-accuracy')).toBeGreaterThanOrEqual(0.9)
    expect(problems).toEqual([])
  })

  it('trains on a CSV dropped on the page, finding the label column that is not last', async () => {
    const { page, problems } = await openPlayground(browser)
    await dropFile(page, 'quadrants.csv', quadrantsCsv())
    await expect.poll(() => page.getByTestId('dataset').inputValue()).toBe('csv')
    expect(await page.getByTestId('label').inputValue()).toBe('kind')
    expect(await page.getByTestId('csv-error').isHidden()).toBe(true)
    expect(await page.getByTestId('legend').locator('li').allTextContents()).toEqual(['ne', 'nw', 'se', 'sw'])
    expect(await page.getByTestId('axes').textContent()).toContain('width')

    // A label that leaves names among the features is refused, with the line and column, and changes nothing.
    await page.getByTestId('label').selectOption('height')
    expect(await textOf(page, 'csv-error')).toContain('quadrants.csv, line 2, column \'kind\' (2)')
    expect(await page.getByTestId('label').inputValue()).toBe('kind')
    expect(page.url()).toContain('label=kind')

    await playUntilEpoch(page, 100)
    expect(await numberOf(page, 'train-accuracy')).toBeGreaterThanOrEqual(0.9)
    expect(problems).toEqual([])
  })

  it('shows a bad CSV\'s error as the command line words it (file, line, column), and keeps training what it had', async () => {
    const bad = 'x1,x2,class\n0.1,0.2,a\n0.3,0.4,b\n0.5,abc,a\n0.7,0.8,b\n'
    writeFileSync(join(resultsDir, 'bad.csv'), bad)
    const { page, problems } = await openPlayground(browser)
    await page.getByTestId('csv-input').setInputFiles(join(resultsDir, 'bad.csv'))
    const error = page.getByTestId('csv-error')
    await error.waitFor({ state: 'visible' })
    const message = (await error.textContent()) ?? ''
    expect(message).toContain('bad.csv, line 4, column \'x2\' (2)')
    expect(message).toContain('"abc"')

    // The same words the command line prints for the same file.
    const cli = runCli(['train', '--data', 'bad.csv', '--label', 'class'], resultsDir)
    expect(cli.status).toBe(2)
    expect(cli.stderr.trim()).toBe(`softgrad train: ${message}`)

    // Nothing changed: still spirals, and it still trains.
    expect(await page.getByTestId('dataset').inputValue()).toBe('spirals')
    expect(await page.getByTestId('dataset').locator('option[value="csv"]').count()).toBe(0)
    expect(page.url()).not.toContain('csv')
    await playUntilEpoch(page, 30)
    expect(await numberOf(page, 'test-accuracy')).toBeGreaterThan(0.5)
    expect(problems).toEqual([])
  })

  it('a URL naming a CSV (which it cannot carry) asks for the file again and shows toy data meanwhile', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=csv&csvName=iris.csv&label=species&seed=4')
    const error = page.getByTestId('csv-error')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toContain('iris.csv')
    expect(await error.textContent()).toContain('drop it on the page again')
    expect(await page.getByTestId('dataset').inputValue()).toBe('spirals')
    expect(await page.getByTestId('seed').inputValue()).toBe('4') // the rest of the URL stands
    await page.getByTestId('csv-input').setInputFiles(join(root, 'datasets/iris.csv'))
    await expect.poll(() => page.getByTestId('dataset').inputValue()).toBe('csv')
    expect(await error.isHidden()).toBe(true)
    expect(problems).toEqual([])
  })
})
