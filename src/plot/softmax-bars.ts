/**
 * softmaxBars: the classic picture of temperature. One row of bars per class, one bar per
 * temperature, each the probability softmax(z / T) gives that class: a low T sharpens toward
 * the largest logit (hardmax), a high T flattens toward uniform.
 */
import { tensor } from '../creation.js'
import { softmax } from '../ops/index.js'
import { checkTemperature } from '../ops/checks.js'
import { drawAxes, legend, legendRowWidth, linearScale, niceTicks, type Frame, type LegendItem } from './axes.js'
import { PALETTE, attrs, formatValue, svgDocument, text, textWidth } from './svg.js'

/** In pixels: the thickness of one bar, the space above and below a class's bars, and the height of a class's name with its z under it. */
const BAR_HEIGHT = 16
const GROUP_GAP = 6
const NAME_HEIGHT = 32

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

  // One row a class, as in the p − y table beside it: a name never shares its width with its
  // neighbours', so ten or twenty classes stay as readable as three.
  const classes = logits.length
  const zLabels = logits.map((z) => `z = ${formatValue(z)}`)
  const labelWidth = Math.max(...names.map((name) => textWidth(name)), ...zLabels.map((label) => textWidth(label, 11)))
  const groupHeight = Math.max(BAR_HEIGHT * temperatures.length + 2 * GROUP_GAP, NAME_HEIGHT)
  const frame: Frame = { left: Math.max(80, Math.ceil(labelWidth) + 16), top: 80, width: 300, height: classes * groupHeight }
  const bottom = frame.top + frame.height
  const xTicks = niceTicks(0, 1, { count: 6 })
  const x = linearScale(xTicks.domain, [frame.left, frame.left + frame.width])
  const noYTicks = { values: [], step: 1, domain: [0, 1] as [number, number] }

  const bars: string[] = []
  const labels: string[] = []
  for (let c = 0; c < classes; c++) {
    const groupTop = frame.top + c * groupHeight
    const barsTop = groupTop + (groupHeight - BAR_HEIGHT * temperatures.length) / 2
    for (let t = 0; t < temperatures.length; t++) {
      const p = probs[t][c]
      const top = barsTop + t * BAR_HEIGHT
      bars.push(`<rect${attrs({ x: x(0), y: top + 1, width: x(p) - x(0), height: BAR_HEIGHT - 2, fill: PALETTE[t % PALETTE.length] })}/>`)
      labels.push(text(x(p) + 4, top + BAR_HEIGHT / 2 + 4, p.toFixed(3), { 'font-size': 11 }))
    }
    const middle = groupTop + groupHeight / 2
    labels.push(text(frame.left - 8, middle - 1, names[c], { 'text-anchor': 'end' }))
    labels.push(text(frame.left - 8, middle + 12, zLabels[c], { 'text-anchor': 'end', 'font-size': 11, fill: '#555' }))
  }

  const parts = [
    drawAxes(frame, x, () => 0, { xTicks, yTicks: noYTicks, xLabel: 'probability' }),
    `<g class="bars">\n${bars.join('\n')}\n</g>`,
    ...labels,
  ]
  const width = frame.left + frame.width + 44 // room for '1.000' past the longest bar
  const items: LegendItem[] = temperatures.map((T, t) => ({ label: `T = ${formatValue(T)}`, color: PALETTE[t % PALETTE.length], mark: 'square' }))
  parts.push(legend(items, Math.max(10, (width - legendRowWidth(items)) / 2), 52, 'row'))
  const title = options.title ?? `softmax(z / T) for z = [${logits.map(formatValue).join(', ')}]`
  return svgDocument(width, bottom + 50, parts.join('\n'), title)
}
