/**
 * reliabilityDiagram: calibration as a picture (Guo et al. 2017, figure 1). Each confidence bin
 * is a bar as tall as the share of its rows the model got right; a calibrated model's bars reach
 * the diagonal. The shaded gap between a bar and the bin's mean confidence is what ECE averages.
 * Below, a strip shows how many rows each bin holds, since a tall gap over three rows matters
 * less than a small one over three hundred.
 */
import type { EceResult } from '../calibrate/ece.js'
import { drawAxes, legend, legendRowWidth, linearScale, niceTicks, type Frame, type LegendItem } from './axes.js'
import { PALETTE, attrs, formatValue, svgDocument, text } from './svg.js'

export interface ReliabilityDiagramOptions {
  /** default 'Reliability diagram' */
  title?: string
}

const ACCURACY_COLOR = PALETTE[0]
const GAP_COLOR = PALETTE[2]
const COUNT_COLOR = '#9c9c9c'

/**
 * reliabilityDiagram(ece(probs, y)) → an SVG string: accuracy per confidence bin against the
 * diagonal, the gaps shaded, the rows per bin below, and ECE and MCE under the title.
 */
export function reliabilityDiagram(result: EceResult, options: ReliabilityDiagramOptions = {}): string {
  if (result === null || typeof result !== 'object' || !Array.isArray(result.bins) || result.bins.length === 0) {
    throw new Error('reliabilityDiagram: pass the result of ece(probs, y), which has at least one bin')
  }
  const { bins } = result
  const total = bins.reduce((sum, bin) => sum + bin.count, 0)

  const main: Frame = { left: 80, top: 96, width: 420, height: 420 }
  // NOTE: 36 px between the frames: the count over the fullest bin sits above the strip, clear of the confidence ticks.
  const strip: Frame = { left: main.left, top: main.top + main.height + 36, width: main.width, height: 90 }
  const ticks = niceTicks(0, 1, { count: 6 })
  const x = linearScale(ticks.domain, [main.left, main.left + main.width])
  const y = linearScale(ticks.domain, [main.top + main.height, main.top])
  const mostRows = Math.max(1, ...bins.map((bin) => bin.count))
  const countTicks = niceTicks(0, mostRows, { count: 3, integer: true })
  const yCount = linearScale(countTicks.domain, [strip.top + strip.height, strip.top])

  const parts = [drawAxes(main, x, y, { xTicks: ticks, yTicks: ticks, yLabel: 'accuracy' })]
  const bars: string[] = []
  const gaps: string[] = []
  const counts: string[] = []
  for (const bin of bins) {
    const left = x(bin.lo)
    const width = x(bin.hi) - left
    if (bin.count > 0) {
      bars.push(`<rect${attrs({ x: left, y: y(bin.accuracy), width, height: y(0) - y(bin.accuracy), fill: ACCURACY_COLOR, stroke: 'white', 'stroke-width': 0.8 })}/>`)
      // the gap between what the model said (mean confidence) and what happened (accuracy)
      const top = Math.max(bin.accuracy, bin.confidence)
      const bottom = Math.min(bin.accuracy, bin.confidence)
      gaps.push(`<rect${attrs({
        x: left, y: y(top), width, height: y(bottom) - y(top),
        fill: GAP_COLOR, 'fill-opacity': 0.35, stroke: GAP_COLOR, 'stroke-width': 1,
      })}/>`)
    }
    const barTop = yCount(bin.count)
    counts.push(`<rect${attrs({ x: left, y: barTop, width, height: yCount(0) - barTop, fill: COUNT_COLOR, stroke: 'white', 'stroke-width': 0.8 })}/>`)
    if (bin.count > 0) counts.push(text(left + width / 2, barTop - 3, String(bin.count), { 'text-anchor': 'middle', 'font-size': width < 24 ? 8 : 10 }))
  }
  parts.push(
    `<g class="bars">\n${bars.join('\n')}\n</g>`,
    `<g class="gaps">\n${gaps.join('\n')}\n</g>`,
    `<line${attrs({ x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: '#444', 'stroke-width': 1.5, 'stroke-dasharray': '5 4' })}/>`,
  )

  // the strip of counts shares the confidence axis
  parts.push(drawAxes(strip, x, yCount, { xTicks: ticks, yTicks: countTicks, xLabel: 'confidence (top-class probability)', yLabel: 'rows', grid: false }))
  parts.push(`<g class="counts">\n${counts.join('\n')}\n</g>`)

  const width = main.left + main.width + 40
  const items: LegendItem[] = [
    { label: 'accuracy', color: ACCURACY_COLOR, mark: 'square' },
    { label: 'gap to confidence', color: GAP_COLOR, mark: 'square' },
    { label: 'perfect calibration', color: '#444', mark: 'dashed' },
  ]
  parts.push(legend(items, Math.max(10, (width - legendRowWidth(items)) / 2), 74, 'row'))
  const summary = `ECE ${formatValue(Number(result.ece.toFixed(4)))} · MCE ${formatValue(Number(result.mce.toFixed(4)))} · ${bins.length} bins · ${total} rows`
  parts.push(text(width / 2, 46, summary, { 'text-anchor': 'middle', 'font-size': 13, fill: '#444' }))
  return svgDocument(width, strip.top + strip.height + 56, parts.join('\n'), options.title ?? 'Reliability diagram')
}
