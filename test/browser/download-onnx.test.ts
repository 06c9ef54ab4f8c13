/**
 * The ONNX download: the page's .onnx file is exportOnnx of the .safetensors file the page saves
 * at the same moment, byte for byte, with the scaler and the fitted temperature in the graph;
 * a model that cannot be saved is said in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { decodeModel, exportOnnx } from '../../src/browser.js'
import { isOnnxModel, onnxModelType } from '../../src/export/onnx.js'
import { exactNumberOf, launchChromium, openPlayground, playUntilEpoch, resultsDir, textOf } from './playground.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

/** Press the button `testId` and save what it downloads into test-results/ as `name`: its suggested name and bytes. */
async function download(page: Page, testId: string, name: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
  const file = join(resultsDir, name)
  await saved.saveAs(file)
  return { fileName: saved.suggestedFilename(), bytes: new Uint8Array(readFileSync(file)) }
}

interface Graph {
  graph: { node: Array<{ op_type: string }>; input: Array<{ name: string }>; output: Array<{ name: string }> }
  metadata_props: Array<{ key: string; value: string }>
}

describe('the ONNX download', () => {
  it('saves exportOnnx of the page\'s .safetensors model, byte for byte, with the scaler and the fitted temperature inside', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&seed=3&noise=0.5&hidden=16,16&calibrate=1')
    await playUntilEpoch(page, 30)
    const temperature = await exactNumberOf(page, 'calibrated-temperature')
    const safetensors = await download(page, 'download-model', 'playground-onnx-model.safetensors')
    const onnx = await download(page, 'download-onnx', 'playground-model.onnx')

    expect(safetensors.fileName).toBe('spirals-epoch-30.safetensors')
    expect(onnx.fileName).toBe('spirals-epoch-30.onnx')
    const { model, metadata } = decodeModel(safetensors.bytes)
    expect(metadata.temperature).toBe(temperature)
    expect(Buffer.from(onnx.bytes).equals(Buffer.from(exportOnnx(model, metadata)))).toBe(true)

    expect(isOnnxModel(onnx.bytes)).toBe(true)
    const type = onnxModelType()
    const graph = type.toObject(type.decode(onnx.bytes), { longs: Number, arrays: true }) as Graph
    const ops = graph.graph.node.map((n) => n.op_type)
    expect(ops.slice(0, 2)).toEqual(['Sub', 'Div']) // the scaler
    expect(ops.slice(-2)).toEqual(['Div', 'Softmax']) // softmax at T
    expect(ops.filter((op) => op === 'Gemm')).toHaveLength(3)
    expect(graph.graph.input.map((i) => i.name)).toEqual(['x'])
    expect(graph.graph.output.map((o) => o.name)).toEqual(['probs'])
    const props = Object.fromEntries(graph.metadata_props.map((p) => [p.key, p.value]))
    expect(Number(props.temperature)).toBe(temperature)
    expect(JSON.parse(props.classes)).toEqual(['class_0', 'class_1', 'class_2'])
    expect(JSON.parse(props.featureNames)).toEqual(['x1', 'x2'])
    expect(await page.getByTestId('download-error').isHidden()).toBe(true)
    expect(problems).toEqual([])
  })

  it('refuses a diverged model in words under the buttons, downloading nothing, with no page error or console error', async () => {
    const { page, problems } = await openPlayground(browser, '#dataset=spirals&optimizer=sgd&lr=10&hidden=64,64')
    await page.getByTestId('play').click()
    await page.getByTestId('training-error').waitFor({ state: 'visible', timeout: 60_000 })
    const downloads: string[] = []
    page.on('download', (d) => downloads.push(d.suggestedFilename()))

    for (const button of ['download-onnx', 'download-model']) {
      await page.getByTestId(button).click()
      await page.getByTestId('download-error').waitFor({ state: 'visible' })
      expect(await textOf(page, 'download-error')).toMatch(/^The model was not downloaded: its logits on the training points include (NaN|-?Infinity), so the loss has diverged\. Lower the learning rate and press Reset\.$/)
    }
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)))
    expect(downloads).toEqual([])
    expect(problems).toEqual([])
  })
})
