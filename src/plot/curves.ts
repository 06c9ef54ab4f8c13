/**
 * lossCurves: a training history as two panels side by side, the loss per epoch and the
 * accuracy per epoch, each with a line for the training data and, when the rows have
 * valLoss / valAccuracy, a dashed line for the validation data.
 */
import type { HistoryRow } from '../train/trainer.js'

/** What the curves read of a history row (fit's rows, or any loop's `{ epoch, loss, accuracy }`). */
export type CurveRow = Pick<HistoryRow, 'epoch' | 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>
import { drawAxes, legend, legendRowWidth, linearScale, niceTicks, type Frame, type LegendItem, type Ticks } from './axes.js'
import { PALETTE, attrs, num, svgDocument, text } from './svg.js'

/** [epoch, value] */
type Point = readonly [number, number]

/** A line never has more points than this; a screen has fewer pixels across anyway. */
export const MAX_POINTS_PER_LINE = 1000

const WIDTH = 900
const HEIGHT = 410
const TRAIN_COLOR = PALETTE[0]
const VALIDATION_COLOR = PALETTE[1]

/** One column of the history as points. NaN and ±Infinity are left out: they have no place on an axis. */
function column(history: readonly CurveRow[], pick: (row: CurveRow) => number | undefined): Point[] {
  const points: Point[] = []
  for (const row of history) {
    const value = pick(row)
    if (value !== undefined && Number.isFinite(value) && Number.isFinite(row.epoch)) points.push([row.epoch, value])
  }
  return points
}

/**
 * decimate(points, 1000): at most `maxPoints` points. The first and last are kept; the rest are
 * cut into buckets and each bucket keeps its lowest and highest point, so a spike survives.
 */
export function decimate(points: readonly Point[], maxPoints = MAX_POINTS_PER_LINE): Point[] {
  if (points.length <= maxPoints) return points.slice()
  const inner = points.length - 2
  const buckets = Math.floor((maxPoints - 2) / 2)
  const out: Point[] = [points[0]]
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets)
    const end = 1 + Math.floor(((b + 1) * inner) / buckets)
    let lo = start
    let hi = start
    for (let i = start + 1; i < end; i++) {
      if (points[i][1] < points[lo][1]) lo = i
      if (points[i][1] > points[hi][1]) hi = i
    }
    if (lo === hi) out.push(points[lo])
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]) // in epoch order
  }
  out.push(points[points.length - 1])
  return out
}

interface Line {
  points: Point[]
  color: string
  dashed: boolean
}

/** A polyline through the points, or a dot when there is only one (a polyline of one point is invisible). */
function drawLine(line: Line, x: (v: number) => number, y: (v: number) => number): string {
  const { points, color, dashed } = line
  if (points.length === 0) return ''
  if (points.length === 1) return `<circle${attrs({ cx: x(points[0][0]), cy: y(points[0][1]), r: 3.5, fill: color })}/>`
  const coords = decimate(points).map(([e, v]) => `${num(x(e))},${num(y(v))}`).join(' ')
  return `<polyline${attrs({
    fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round',
    'stroke-dasharray': dashed ? '6 4' : undefined,
  })} points="${coords}"/>`
}

/** One panel: axes and its lines. */
function panel(frame: Frame, xTicks: Ticks, yTicks: Ticks, lines: Line[], heading: string, yLabel: string): string {
  const x = linearScale(xTicks.domain, [frame.left, frame.left + frame.width])
  const y = linearScale(yTicks.domain, [frame.top + frame.height, frame.top])
  const parts = [drawAxes(frame, x, y, { xTicks, yTicks, xLabel: 'epoch', yLabel, heading })]
  for (const line of lines) parts.push(drawLine(line, x, y))
  if (lines.every((line) => line.points.length === 0)) {
    parts.push(text(frame.left + frame.width / 2, frame.top + frame.height / 2, 'no finite values', { 'text-anchor': 'middle', fill: '#888' }))
  }
  return parts.join('\n')
}

/** The lowest and highest values over some lines, or undefined when they have no points. */
function extent(lines: readonly Line[], axis: 0 | 1): [number, number] | undefined {
  let lo = Infinity
  let hi = -Infinity
  for (const line of lines) {
    for (const p of line.points) {
      lo = Math.min(lo, p[axis])
      hi = Math.max(hi, p[axis])
    }
  }
  return lo <= hi ? [lo, hi] : undefined
}

/**
 * lossCurves(fit(model, data, { epochs: 100 })) → an SVG string: loss and accuracy per epoch,
 * training and validation. NaN and ±Infinity are skipped; long histories are decimated.
 */
export function lossCurves(history: readonly CurveRow[], options: { title?: string } = {}): string {
  const hasValidation = history.some((row) => row.valLoss !== undefined || row.valAccuracy !== undefined)
  const lossLines: Line[] = [{ points: column(history, (r) => r.loss), color: TRAIN_COLOR, dashed: false }]
  const accuracyLines: Line[] = [{ points: column(history, (r) => r.accuracy), color: TRAIN_COLOR, dashed: false }]
  if (hasValidation) {
    lossLines.push({ points: column(history, (r) => r.valLoss), color: VALIDATION_COLOR, dashed: true })
    accuracyLines.push({ points: column(history, (r) => r.valAccuracy), color: VALIDATION_COLOR, dashed: true })
  }

  const epochs = extent([...lossLines, ...accuracyLines], 0) ?? [1, 1]
  const xTicks = niceTicks(epochs[0], epochs[1], { count: 6, integer: true })
  // The loss axis starts at 0 (or below, for a loss that goes negative) so curves are not exaggerated.
  const losses = extent(lossLines, 1) ?? [0, 1]
  const lossTicks = niceTicks(Math.min(0, losses[0]), losses[1], { count: 6 })
  const accuracyTicks = niceTicks(0, 1, { count: 6 })

  const top = 80
  const size = { width: 340, height: 270 }
  const items: LegendItem[] = [{ label: 'train', color: TRAIN_COLOR, mark: 'line' }]
  if (hasValidation) items.push({ label: 'validation', color: VALIDATION_COLOR, mark: 'dashed' })
  const body = [
    legend(items, (WIDTH - legendRowWidth(items)) / 2, 50, 'row'),
    panel({ left: 80, top, ...size }, xTicks, lossTicks, lossLines, 'Loss', 'loss'),
    panel({ left: 530, top, ...size }, xTicks, accuracyTicks, accuracyLines, 'Accuracy', 'accuracy'),
  ]
  return svgDocument(WIDTH, HEIGHT, body.join('\n'), options.title ?? 'Training history')
}
