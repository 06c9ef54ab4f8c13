/**
 * Backprop, step by step: forward to the last step and back, each step's op, rule and gradients
 * as traceBackward gives them in Node for the same URL and point, the step highlighted in the
 * network beside it, and after the last step every parameter's gradient, to 12 decimals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { join } from 'node:path'
import { launchChromium, openPlayground, playUntilEpoch, resultsDir, textOf } from './playground.js'
import { DECIMALS_12, SMALL_NETWORK, largestDifference, nodeModel } from './node-model.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

async function openBackprop(page: Page): Promise<void> {
  await page.getByTestId('backprop-panel').locator('summary').click()
  await page.getByTestId('backprop-position').filter({ hasText: '/' }).waitFor()
}

/** The full-precision numbers of the cells with a data-testid, by the tensor they belong to. */
async function cellsByName(page: Page, testId: string): Promise<Map<string, number[]>> {
  const cells = await page.getByTestId(testId).evaluateAll((elements) =>
    elements.map((e) => [e.getAttribute('data-name') ?? '', Number(e.getAttribute('data-value'))] as const))
  const byName = new Map<string, number[]>()
  for (const [name, value] of cells) byName.set(name, [...(byName.get(name) ?? []), value])
  return byName
}

/** Press a button and wait for the position it leads to. */
async function press(page: Page, button: 'backprop-next' | 'backprop-prev', position: string): Promise<void> {
  await page.getByTestId(button).click()
  expect(await textOf(page, 'backprop-position')).toBe(position)
}

const HASH = `${SMALL_NETWORK}&selected=train.17`

describe('backprop, step by step', () => {
  it('loads only when opened, then steps to the end and back, each step with its op, rule and gradients as in Node', async () => {
    const { page, problems } = await openPlayground(browser, HASH)
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    await playUntilEpoch(page, 3)
    expect(requested.filter((url) => /backprop-panel/.test(url))).toEqual([])
    await openBackprop(page)
    expect(requested.some((url) => /assets\/backprop-panel-[\w-]+\.js$/.test(url))).toBe(true)

    const { steps } = nodeModel(HASH, 3)
    const n = steps.length
    expect(steps.map((s) => s.op)).toEqual(['softmaxCrossEntropy', 'linear', 'tanh', 'linear', 'tanh', 'linear'])
    expect(await textOf(page, 'backprop-position')).toBe(`1 / ${n}`)
    expect(await page.getByTestId('backprop-prev').isDisabled()).toBe(true)
    for (const [k, step] of steps.entries()) {
      if (k > 0) await press(page, 'backprop-next', `${k + 1} / ${n}`)
      expect(await textOf(page, 'backprop-op')).toBe(step.op)
      expect(await textOf(page, 'backprop-rule')).toBe(step.rule)
      // The upstream gradient and each input's gradient, cell by cell, as the trace in Node.
      const shown = await cellsByName(page, 'backprop-grad')
      const expected = new Map([[step.output.name, [step.upstream].flat(3) as number[]]])
      for (const input of step.inputs) if (input.grad !== null) expected.set(input.name, [input.grad].flat(3) as number[])
      expect([...shown.keys()].sort()).toEqual([...expected.keys()].sort())
      for (const [name, values] of expected) {
        expect(largestDifference(shown.get(name)!, values), `step ${k + 1}, ∂L/∂${name}`).toBeLessThan(DECIMALS_12)
      }
    }
    expect(await page.getByTestId('backprop-next').isDisabled()).toBe(true)
    await page.getByTestId('backprop-next').click({ force: true }) // a disabled button: nothing moves
    expect(await textOf(page, 'backprop-position')).toBe(`${n} / ${n}`)
    for (let k = n - 1; k >= 1; k--) {
      await press(page, 'backprop-prev', `${k} / ${n}`)
      expect(await textOf(page, 'backprop-op')).toBe(steps[k - 1].op)
    }
    expect(await page.getByTestId('backprop-prev').isDisabled()).toBe(true)
    // Stepping only looks: training did not move.
    expect(await textOf(page, 'epoch')).toBe('3')
    expect(problems).toEqual([])
  })

  it('after the last step the parameters\' gradients equal traceBackward\'s in Node to 12 decimals', async () => {
    // The page as it opens (spirals, 16-16 relu, Adam), a clicked test point, after 5 epochs.
    const hash = '#selected=test.7'
    const { page, problems } = await openPlayground(browser, hash)
    await playUntilEpoch(page, 5)
    await openBackprop(page)
    const { steps, gradients } = nodeModel(hash, 5)
    // At step 1 no parameter has its gradient yet: the loss's step hands ∂L/∂logits only.
    expect((await cellsByName(page, 'backprop-leaf')).size).toBe(0)
    for (let k = 2; k <= steps.length; k++) await press(page, 'backprop-next', `${k} / ${steps.length}`)

    const leaves = await cellsByName(page, 'backprop-leaf')
    const parameters = ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']
    expect([...leaves.keys()]).toEqual(parameters)
    for (const name of parameters) {
      expect(leaves.get(name)!.length, name).toBe(gradients.get(name)!.length)
      expect(largestDifference(leaves.get(name)!, gradients.get(name)!), `${name}.grad`).toBeLessThan(DECIMALS_12)
    }
    expect(problems).toEqual([])
  })

  it('highlights the step in the network beside it: a linear step at its layer, coloured by its ∂L/∂w', async () => {
    const { page, problems } = await openPlayground(browser, HASH)
    await playUntilEpoch(page, 3)
    await openBackprop(page)
    const { steps, gradients } = nodeModel(HASH, 3)
    const layers = page.getByTestId('backprop-network').locator('g.layer')
    const faded = () => layers.evaluateAll((gs) => gs.map((g) => g.classList.contains('faded')))
    const valuesOf = (layer: number) => layers.nth(layer).locator('line').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-value')))

    const circlesOf = (column: number) => page.getByTestId('backprop-network').locator(`g.column[data-column="${column}"] circle`)
      .evaluateAll((circles) => circles.map((c) => Number(c.getAttribute('data-value'))))
    // Step 1, the loss: at the logits' column, its circles p − y; no layer's lines are known yet (grey, no value).
    expect(await faded()).toEqual([true, true, true])
    expect(await page.getByTestId('backprop-network').locator('g.column:not(.faded)').getAttribute('data-column')).toBe('3')
    expect(largestDifference(await circlesOf(3), [steps[0].inputs[0].grad].flat(3) as number[])).toBeLessThan(DECIMALS_12)
    expect(new Set(await valuesOf(2))).toEqual(new Set(['']))
    // Step 2, the last linear layer: its lines are highlighted and carry ∂L/∂(4.weight).
    await press(page, 'backprop-next', '2 / 6')
    expect(await faded()).toEqual([true, true, false])
    const last = (await valuesOf(2)).map(Number)
    // Drawn row by row of the weight [2 classes, 4 neurons]: line `to·4 + from` is weight [to, from].
    expect(largestDifference(last, gradients.get('4.weight')!)).toBeLessThan(DECIMALS_12)
    expect(new Set(await valuesOf(0))).toEqual(new Set(['']))
    // Step 3, tanh: the column of the second hidden layer, its circles ∂L/∂(tanh's input).
    await press(page, 'backprop-next', '3 / 6')
    expect(await faded()).toEqual([true, true, true])
    expect(await page.getByTestId('backprop-network').locator('g.column:not(.faded)').getAttribute('data-column')).toBe('2')
    expect(largestDifference(await circlesOf(2), [steps[2].inputs[0].grad].flat(3) as number[])).toBeLessThan(DECIMALS_12)
    expect(problems).toEqual([])
  })

  it('takes a screenshot of a linear step on the page as it opens (test-results/backprop.png)', async () => {
    const { page, problems } = await openPlayground(browser, '#hidden=6,5&selected=test.7')
    await playUntilEpoch(page, 20)
    await openBackprop(page)
    await press(page, 'backprop-next', '2 / 6')
    await press(page, 'backprop-next', '3 / 6')
    await press(page, 'backprop-next', '4 / 6')
    expect(await textOf(page, 'backprop-op')).toBe('linear')
    await page.getByTestId('backprop-panel').screenshot({ path: join(resultsDir, 'backprop.png') })
    expect(problems).toEqual([])
  })
})
