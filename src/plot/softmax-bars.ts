/**
 * softmaxBars: the classic picture of temperature. One group of bars per class, one bar per
 * temperature, each the probability softmax(z / T) gives that class: a low T sharpens toward
 * the largest logit (hardmax), a high T flattens toward uniform.
 */
import { tensor } from '../creation.js'
import { softmax } from '../ops/index.js'
import { checkTemperature } from '../ops/checks.js'
import { drawAxes, legend, legendRowWidth, linearScale, niceTicks, type Frame, type LegendItem } from './axes.js'
import { PALETTE, attrs, formatValue, svgDocument, text } from './svg.js'

export interface SoftmaxBarsOptions {
  /** one name per logit (default 'class 0', 'class 1', ...) */
  classNames?: readonly string[]
  title?: string
}

/**
 * softmaxBars([4, 2, -1], [0.5, 1, 3]) → an SVG string: softmax(logits / T) for each T as
 * grouped bars, each labelled with its probability to 3 decimals (0.876 for T = 1).
 */
export function softmaxBars(logits: readonly number[], temperatures: readonly number[], options: SoftmaxBarsOptions = {}): string {
  if (logits.length === 0) throw new Error('softmaxBars: logits is empty; give at least one number')
  logits.forEach((z, i) => {
    if (typeof z !== 'number' || !Number.isFinite(z)) throw new Error(`softmaxBars: logits[${i}] is ${String(z)}; every logit must be a finite number`)
  })
  if (temperatures.length === 0) throw new Error('softmaxBars: temperatures is empty; give at least one, such as [0.5, 1, 3]')
  for (const T of temperatures) checkTemperature(T, 'softmaxBars')
  const names = options.classNames ?? logits.map((_, i) => `class ${i}`)
  if (names.length !== logits.length) throw new Error(`softmaxBars: ${names.length} classNames for ${logits.length} logits`)

  // probs[t][c]: the probability of class c at temperature t
  const z = tensor(logits.slice())
  const probs = temperatures.map((temperature) => Array.from(softmax(z, { temperature }).data))

  const classes = logits.length
  const groupWidth = Math.max(140, temperatures.length * 46 + 40)
  const gap = 20
  const barWidth = (groupWidth - 2 * gap) / temperatures.length
  const frame: Frame = { left: 80, top: 80, width: classes * groupWidth, height: 280 }
  const bottom = frame.top + frame.height
  const yTicks = niceTicks(0, 1, { count: 6 })
  const y = linearScale(yTicks.domain, [bottom, frame.top])
  const noXTicks = { values: [], step: 1, domain: [0, 1] as [number, number] }

  const bars: string[] = []
  const labels: string[] = []
  for (let c = 0; c < classes; c++) {
    const groupLeft = frame.left + c * groupWidth
    for (let t = 0; t < temperatures.length; t++) {
      const p = probs[t][c]
      const left = groupLeft + gap + t * barWidth
      const centre = left + barWidth / 2
      bars.push(`<rect${attrs({ x: left + 2, y: y(p), width: barWidth - 4, height: bottom - y(p), fill: PALETTE[t % PALETTE.length] })}/>`)
      labels.push(text(centre, y(p) - 5, p.toFixed(3), { 'text-anchor': 'middle', 'font-size': 11 }))
    }
    const middle = groupLeft + groupWidth / 2
    labels.push(text(middle, bottom + 18, names[c], { 'text-anchor': 'middle' }))
    labels.push(text(middle, bottom + 34, `z = ${formatValue(logits[c])}`, { 'text-anchor': 'middle', 'font-size': 11, fill: '#555' }))
  }

  const parts = [
    drawAxes(frame, () => 0, y, { xTicks: noXTicks, yTicks, yLabel: 'probability' }),
    `<g class="bars">\n${bars.join('\n')}\n</g>`,
    ...labels,
  ]
  const width = frame.left + frame.width + 30
  const items: LegendItem[] = temperatures.map((T, t) => ({ label: `T = ${formatValue(T)}`, color: PALETTE[t % PALETTE.length], mark: 'square' }))
  parts.push(legend(items, Math.max(10, (width - legendRowWidth(items)) / 2), 52, 'row'))
  const title = options.title ?? `softmax(z / T) for z = [${logits.map(formatValue).join(', ')}]`
  return svgDocument(width, bottom + 50, parts.join('\n'), title)
}
