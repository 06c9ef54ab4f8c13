/**
 * decisionBoundary: what a 2-D classifier predicts everywhere around its data. A grid of cells
 * over the data's bounding box is coloured by the predicted class, paler where the model is
 * less sure (the top probability), and the data points sit on top in the colour of their true
 * class, so a misclassified point is a dot of one colour on a field of another.
 */
import { Tensor, noGrad } from '../tensor.js'
import { formatShape } from '../shape.js'
import { drawAxes, legend, linearScale, niceTicks, type Frame, type LegendItem, type Ticks } from './axes.js'
import { PALETTE, attrs, svgDocument, text, textWidth } from './svg.js'

export interface DecisionBoundaryOptions {
  /** grid cells per side (default 100, so 10,000 cells) */
  resolution?: number
  /** one name per class, for the legend (default '0', '1', ...) */
  classNames?: readonly string[]
  title?: string
  /** the margin around the data, as a fraction of its range on each axis (default 0.1) */
  padding?: number
}

/** How many shades of confidence the background has; equal shades next to each other merge into one rect. */
const LEVELS = 8
const FRAME: Frame = { left: 70, top: 50, width: 480, height: 480 }

/** The background opacity of a confidence level: 0 is a coin toss between the classes, LEVELS − 1 is certain. */
function opacity(level: number): number {
  return 0.1 + (0.5 * level) / (LEVELS - 1)
}

/** Quantise the top probability p of C classes into 0..LEVELS−1, from chance (1/C) to certain (1). */
function confidenceLevel(p: number, classes: number): number {
  const chance = 1 / classes
  const t = classes === 1 ? 1 : (p - chance) / (1 - chance)
  return Math.min(LEVELS - 1, Math.max(0, Math.floor(t * LEVELS)))
}

/** [lo, hi] of column `col` of an [N, 2] tensor, widened by `padding` of its range on each side. */
function paddedRange(X: Tensor, col: number, padding: number): [number, number] {
  let lo = Infinity
  let hi = -Infinity
  for (let i = col; i < X.data.length; i += 2) {
    lo = Math.min(lo, X.data[i])
    hi = Math.max(hi, X.data[i])
  }
  const pad = hi > lo ? (hi - lo) * padding : Math.max(Math.abs(lo) * 0.1, 1) // one point, or all on a line
  return [lo - pad, hi + pad]
}

/** Ticks at nice values inside [lo, hi]; the axis spans exactly [lo, hi], the box the grid covers. */
function ticksInside([lo, hi]: [number, number]): Ticks {
  const nice = niceTicks(lo, hi, { count: 6 })
  return { values: nice.values.filter((v) => v >= lo && v <= hi), step: nice.step, domain: [lo, hi] }
}

function checkInputs(X: Tensor, y: Int32Array, options: DecisionBoundaryOptions): void {
  if (!(X instanceof Tensor) || X.shape.length !== 2 || X.shape[1] !== 2) {
    const got = X instanceof Tensor ? formatShape(X.shape) : typeof X
    throw new Error(`decisionBoundary: X must be [N, 2], one 2-D point a row, got ${got}. Draw two features at a time, or project the data to 2-D first`)
  }
  const n = X.shape[0]
  if (n < 1) throw new Error('decisionBoundary: X has no rows; there is nothing to draw')
  if (y.length !== n) throw new Error(`decisionBoundary: X has ${n} rows but y has ${y.length} labels`)
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) throw new Error(`decisionBoundary: X[${i >> 1}, ${i & 1}] is ${X.data[i]}; every coordinate must be a finite number`)
  }
  const { resolution = 100, padding = 0.1 } = options
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1000) {
    throw new Error(`decisionBoundary: resolution must be a whole number of cells per side from 2 to 1000, got ${resolution}`)
  }
  if (!(padding >= 0) || !Number.isFinite(padding)) throw new Error(`decisionBoundary: padding must be a finite fraction ≥ 0, got ${padding}`)
}

/** The centres of a resolution × resolution grid over the box, row by row from the top: an [cells, 2] tensor. */
function gridPoints([x0, x1]: [number, number], [y0, y1]: [number, number], resolution: number): Tensor {
  const data = new Float64Array(resolution * resolution * 2)
  const dx = (x1 - x0) / resolution
  const dy = (y1 - y0) / resolution
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const k = (row * resolution + col) * 2
      data[k] = x0 + (col + 0.5) * dx
      data[k + 1] = y1 - (row + 0.5) * dy // row 0 is the top of the picture, the largest y
    }
  }
  return new Tensor(data, [resolution * resolution, 2])
}

/**
 * The background: each row of cells becomes runs of equal class and confidence level, one rect
 * a run, grouped by colour and shade so a rect carries only its place. Edges are rounded once so
 * neighbouring rects share them exactly.
 */
function drawCells(probs: Tensor, resolution: number, frame: Frame): string {
  const classes = probs.shape[1]
  const edge = (start: number, size: number, i: number): number => Math.round((start + (size * i) / resolution) * 100) / 100
  const cell = new Int32Array(resolution) // class * LEVELS + level of each cell in the row, −1 for no prediction
  const runs: string[][] = Array.from({ length: classes * LEVELS }, () => []) // by class * LEVELS + level
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const offset = (row * resolution + col) * classes
      let best = -1
      for (let c = 0; c < classes; c++) {
        const p = probs.data[offset + c]
        if (Number.isFinite(p) && (best < 0 || p > probs.data[offset + best])) best = c
      }
      cell[col] = best < 0 ? -1 : best * LEVELS + confidenceLevel(probs.data[offset + best], classes)
    }
    const top = edge(frame.top, frame.height, row)
    const height = edge(frame.top, frame.height, row + 1) - top
    for (let start = 0; start < resolution; ) {
      let end = start + 1
      while (end < resolution && cell[end] === cell[start]) end++
      if (cell[start] >= 0) {
        const left = edge(frame.left, frame.width, start)
        const width = edge(frame.left, frame.width, end) - left
        runs[cell[start]].push(`<rect${attrs({ x: left, y: top, width, height })}/>`)
      }
      start = end
    }
  }
  const groups: string[] = []
  runs.forEach((rects, key) => {
    if (rects.length === 0) return
    const shade = attrs({ fill: PALETTE[Math.floor(key / LEVELS)], 'fill-opacity': opacity(key % LEVELS) })
    groups.push(`<g${shade}>\n${rects.join('\n')}\n</g>`)
  })
  return `<g class="cells" shape-rendering="crispEdges">\n${groups.join('\n')}\n</g>`
}

/**
 * decisionBoundary((X) => predict(model, X).probs, data.X, data.y, { classNames: ['a', 'b', 'c'] })
 * → an SVG string of the predicted class over the plane with the points on top. predictFn is
 * called once, with every grid cell's centre as an [cells, 2] tensor, and returns [cells, C].
 */
export function decisionBoundary(
  predictFn: (X: Tensor) => Tensor,
  X: Tensor,
  y: Int32Array,
  options: DecisionBoundaryOptions = {},
): string {
  checkInputs(X, y, options)
  const { resolution = 100, padding = 0.1, title = 'Decision boundary' } = options
  const xRange = paddedRange(X, 0, padding)
  const yRange = paddedRange(X, 1, padding)
  const grid = gridPoints(xRange, yRange, resolution)
  const probs = noGrad(() => predictFn(grid))

  const cells = resolution * resolution
  if (!(probs instanceof Tensor) || probs.shape.length !== 2 || probs.shape[0] !== cells || probs.shape[1] < 1) {
    const got = probs instanceof Tensor ? formatShape(probs.shape) : typeof probs
    throw new Error(`decisionBoundary: predictFn must return probabilities [${cells}, C] for the [${cells}, 2] grid, got ${got}`)
  }
  const classes = probs.shape[1]
  if (classes > PALETTE.length) throw new Error(`decisionBoundary: draws up to ${PALETTE.length} classes (one colour each), the model has ${classes}`)
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] >= 0 && y[i] < classes)) throw new Error(`decisionBoundary: y[${i}] is ${y[i]}, but the model predicts ${classes} classes (0 to ${classes - 1})`)
  }
  const names = options.classNames ?? Array.from({ length: classes }, (_, c) => String(c))
  if (names.length !== classes) throw new Error(`decisionBoundary: ${names.length} classNames for a model with ${classes} classes`)

  const x = linearScale(xRange, [FRAME.left, FRAME.left + FRAME.width])
  const yScale = linearScale(yRange, [FRAME.top + FRAME.height, FRAME.top])
  const radius = y.length > 1000 ? 2 : 3.5
  const points = ['<g class="points" stroke="#222" stroke-width="0.8">']
  for (let i = 0; i < y.length; i++) {
    points.push(`<circle${attrs({ cx: x(X.data[2 * i]), cy: yScale(X.data[2 * i + 1]), r: radius, fill: PALETTE[y[i]] })}/>`)
  }
  points.push('</g>')

  const legendX = FRAME.left + FRAME.width + 24
  const items: LegendItem[] = names.map((label, c) => ({ label, color: PALETTE[c], mark: 'dot' }))
  const noteY = FRAME.top + 10 + 20 * classes + 14
  const width = Math.max(700, legendX + 22 + Math.max(...names.map((n) => textWidth(n)), textWidth('paler: less sure', 11)) + 16)
  const body = [
    drawCells(probs, resolution, FRAME),
    drawAxes(FRAME, x, yScale, { xTicks: ticksInside(xRange), yTicks: ticksInside(yRange), xLabel: 'x₁', yLabel: 'x₂', grid: false }),
    points.join('\n'),
    legend(items, legendX, FRAME.top + 10),
    text(legendX, noteY, 'field: predicted class', { 'font-size': 11, fill: '#555' }),
    text(legendX, noteY + 16, 'paler: less sure', { 'font-size': 11, fill: '#555' }),
    text(legendX, noteY + 32, 'dots: true class', { 'font-size': 11, fill: '#555' }),
  ]
  return svgDocument(Math.ceil(width), FRAME.top + FRAME.height + 60, body.join('\n'), title)
}
