/**
 * Axes: map data to pixels (a linear scale), choose tick values a person would choose
 * ("nice numbers": steps of 1, 2 or 5 times a power of ten, Heckbert 1990), draw the frame,
 * the grid, the ticks and the labels, and a legend.
 */
import { attrs, escapeXml, num, text, textWidth } from './svg.js'

/** The rectangle, in pixels, that a panel's data is drawn in. */
export interface Frame {
  left: number
  top: number
  width: number
  height: number
}

/** linearScale([0, 10], [50, 450])(5) → 250. A zero-width domain maps everything to the middle. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2
  const k = (r1 - r0) / (d1 - d0)
  return (v) => r0 + (v - d0) * k
}

/** niceNumber(0.23) → 0.2: the 1, 2, 5 or 10 times a power of ten closest to x. */
function niceNumber(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x))
  const f = x / power
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * power
}

export interface Ticks {
  /** the tick values, evenly spaced, covering [min, max] */
  values: number[]
  step: number
  /** where the axis starts and ends: the outer ticks */
  domain: [number, number]
}

/**
 * niceTicks(0.03, 2.4) → values [0, 0.5, 1, 1.5, 2, 2.5]: about `count` ticks at nice steps.
 * `integer` keeps the step at 1 or more (epochs). An empty range is widened around its value.
 */
export function niceTicks(min: number, max: number, { count = 5, integer = false }: { count?: number; integer?: boolean } = {}): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1]
  if (max < min) [min, max] = [max, min]
  // NOTE: a range lost in float rounding (1e300 to 1e300 + ε) counts as empty, so the tick loop stays short.
  if (max - min <= Math.max(Math.abs(min), Math.abs(max)) * 1e-12) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1
    ;[min, max] = integer ? [min - 1, max + 1] : [min - pad, max + pad]
  }
  let step = niceNumber((max - min) / (count - 1))
  if (integer) step = Math.max(1, Math.round(step))
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  const values: number[] = []
  const first = Math.floor(min / step)
  const last = Math.ceil(max / step)
  for (let i = first; i <= last; i++) {
    // toFixed removes float noise such as 0.30000000000000004
    const v = Number((i * step).toFixed(Math.min(decimals, 100)))
    if (Number.isFinite(v)) values.push(v)
  }
  // NOTE: near ±1.8e308 the outer tick can overflow; the domain then ends at the data itself.
  const domain: [number, number] = [Math.min(values[0] ?? min, min), Math.max(values[values.length - 1] ?? max, max)]
  return { values, step, domain }
}

/** formatTick(0.2, 0.2) → '0.2', formatTick(3e7, 1e7) → '3e+7': as many decimals as the step needs. */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0'
  if (step >= 1e6 || step < 1e-4) return value.toExponential(Math.max(0, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(step))))
  return value.toFixed(Math.max(0, -Math.floor(Math.log10(step))))
}

export interface AxesOptions {
  xTicks: Ticks
  yTicks: Ticks
  xLabel?: string
  yLabel?: string
  /** a heading above the frame */
  heading?: string
  /** light grid lines at every tick (default true) */
  grid?: boolean
}

/** The frame, grid, ticks, tick labels and axis labels of one panel. */
export function drawAxes(frame: Frame, x: (v: number) => number, y: (v: number) => number, options: AxesOptions): string {
  const { left, top, width, height } = frame
  const bottom = top + height
  const right = left + width
  const { xTicks, yTicks, grid = true } = options
  const parts: string[] = ['<g class="axes">']
  if (grid) {
    parts.push('<g stroke="#e6e6e6" stroke-width="1">')
    for (const v of xTicks.values) parts.push(`<line${attrs({ x1: x(v), y1: top, x2: x(v), y2: bottom })}/>`)
    for (const v of yTicks.values) parts.push(`<line${attrs({ x1: left, y1: y(v), x2: right, y2: y(v) })}/>`)
    parts.push('</g>')
  }
  parts.push(`<rect${attrs({ x: left, y: top, width, height, fill: 'none', stroke: '#444' })}/>`)
  parts.push('<g stroke="#444">')
  for (const v of xTicks.values) parts.push(`<line${attrs({ x1: x(v), y1: bottom, x2: x(v), y2: bottom + 5 })}/>`)
  for (const v of yTicks.values) parts.push(`<line${attrs({ x1: left - 5, y1: y(v), x2: left, y2: y(v) })}/>`)
  parts.push('</g>')
  for (const v of xTicks.values) parts.push(text(x(v), bottom + 18, formatTick(v, xTicks.step), { 'text-anchor': 'middle', 'font-size': 11 }))
  for (const v of yTicks.values) parts.push(text(left - 8, y(v) + 4, formatTick(v, yTicks.step), { 'text-anchor': 'end', 'font-size': 11 }))
  if (options.xLabel) parts.push(text(left + width / 2, bottom + 38, options.xLabel, { 'text-anchor': 'middle' }))
  if (options.yLabel) {
    const cx = left - 48
    const cy = top + height / 2
    parts.push(text(cx, cy, options.yLabel, { 'text-anchor': 'middle', transform: `rotate(-90 ${num(cx)} ${num(cy)})` }))
  }
  if (options.heading) parts.push(text(left + width / 2, top - 10, options.heading, { 'text-anchor': 'middle', 'font-weight': 'bold' }))
  parts.push('</g>')
  return parts.join('\n')
}

export interface LegendItem {
  label: string
  color: string
  /** the swatch: a line (solid or dashed), a square, or a dot with a dark edge */
  mark: 'line' | 'dashed' | 'square' | 'dot'
}

/** The swatch of one legend entry, 16 px wide, centred vertically on y. */
function swatch(item: LegendItem, x: number, y: number): string {
  switch (item.mark) {
    case 'line':
    case 'dashed':
      return `<line${attrs({ x1: x, y1: y, x2: x + 16, y2: y, stroke: item.color, 'stroke-width': 2.5, 'stroke-dasharray': item.mark === 'dashed' ? '5 3' : undefined })}/>`
    case 'square':
      return `<rect${attrs({ x: x + 2, y: y - 6, width: 12, height: 12, fill: item.color })}/>`
    case 'dot':
      return `<circle${attrs({ cx: x + 8, cy: y, r: 5, fill: item.color, stroke: '#222', 'stroke-width': 0.8 })}/>`
  }
}

/** The width in pixels that legend(items, …, 'row') takes, for centring it. */
export function legendRowWidth(items: readonly LegendItem[]): number {
  return items.reduce((w, item) => w + 16 + 6 + textWidth(item.label) + 18, -18)
}

/** A legend from (x, y): entries in a column (one per 20 px) or in a row. */
export function legend(items: readonly LegendItem[], x: number, y: number, layout: 'column' | 'row' = 'column'): string {
  const parts = ['<g class="legend">']
  let cx = x
  let cy = y
  for (const item of items) {
    parts.push(swatch(item, cx, cy), `<text${attrs({ x: cx + 22, y: cy + 4 })}>${escapeXml(item.label)}</text>`)
    if (layout === 'row') cx += 16 + 6 + textWidth(item.label) + 18
    else cy += 20
  }
  parts.push('</g>')
  return parts.join('\n')
}
