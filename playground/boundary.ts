/**
 * The decision boundary on a canvas: a coarse grid over the plane of the first two features,
 * each cell coloured by the class the network predicts there and paler where it is less sure,
 * scaled up smoothly; then the points on top in the colour of their true class (train points
 * edged in white, test points in black) and a ring around the selected point. A click selects
 * the nearest point. With more than two features the other features are held at their training
 * mean (0 once standardised), so the picture is a slice through the input space.
 */
import { softmax, tensor, type Tensor } from '../src/browser.js'
// NOTE: the plots' palette, so the page and the command line's SVGs colour classes alike.
import { PALETTE } from '../src/plot/svg.js'
import type { Experiment } from './experiment.js'
import type { Selection } from './state.js'
import { fitCanvas } from './canvas.js'

/** Grid cells per side: 40 × 40 = 1,600 predictions a frame, a few milliseconds. */
const RESOLUTION = 40
/** How near (in CSS pixels) a click must land to a point to select it. */
const CLICK_RADIUS = 12

/** The data's bounding box on the two plotted features, widened by a tenth on each side. */
export interface View {
  xRange: [number, number]
  yRange: [number, number]
  /** the plotted feature columns; y is null when there is only one feature */
  xColumn: number
  yColumn: number | null
}

/** '#4e79a7' → [78, 121, 167] */
function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function paddedRange(values: number[]): [number, number] {
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const pad = hi > lo ? (hi - lo) * 0.1 : 1
  return [lo - pad, hi + pad]
}

/** The view of an experiment's data: all its points, train and test. */
export function viewOf(experiment: Experiment): View {
  const { X } = experiment.data
  const d = X.shape[1]
  const yColumn = d > 1 ? 1 : null
  const column = (j: number) => Array.from({ length: X.shape[0] }, (_, i) => X.data[i * d + j])
  return { xRange: paddedRange(column(0)), yRange: yColumn === null ? [-1, 1] : paddedRange(column(yColumn)), xColumn: 0, yColumn }
}

/** The centres of the grid cells as raw feature rows, row by row from the top; other features at their mean. */
function gridRows(view: View, mean: readonly number[]): number[][] {
  const rows: number[][] = []
  for (let r = 0; r < RESOLUTION; r++) {
    const yValue = view.yRange[1] - ((r + 0.5) / RESOLUTION) * (view.yRange[1] - view.yRange[0])
    for (let c = 0; c < RESOLUTION; c++) {
      const row = mean.slice()
      row[view.xColumn] = view.xRange[0] + ((c + 0.5) / RESOLUTION) * (view.xRange[1] - view.xRange[0])
      if (view.yColumn !== null) row[view.yColumn] = yValue
      rows.push(row)
    }
  }
  return rows
}

/** The heatmap as RESOLUTION² pixels: the predicted class's colour, faded toward white as confidence drops to chance. */
function heatmapPixels(experiment: Experiment, grid: Tensor): ImageData {
  const probs = softmax(experiment.logits(grid))
  const predicted = probs.argmax(-1)
  const classes = probs.shape[1]
  const pixels = new ImageData(RESOLUTION, RESOLUTION)
  for (let cell = 0; cell < RESOLUTION * RESOLUTION; cell++) {
    const best = predicted[cell]
    const p = probs.data[cell * classes + best]
    const sure = classes === 1 ? 1 : (p - 1 / classes) / (1 - 1 / classes)
    const alpha = 0.15 + 0.6 * sure
    const [r, g, b] = rgb(PALETTE[best])
    pixels.data.set([255 + (r - 255) * alpha, 255 + (g - 255) * alpha, 255 + (b - 255) * alpha, 255], cell * 4)
  }
  return pixels
}

export class BoundaryView {
  private readonly canvas: HTMLCanvasElement
  private readonly legend: HTMLElement
  private readonly axes: HTMLElement
  /** the grid's pixels, drawn scaled up onto the visible canvas */
  private readonly grid = document.createElement('canvas')
  private experiment: Experiment | null = null
  private view: View | null = null
  /** the grid cells' centres as raw feature rows [RESOLUTION², features]: fixed for an experiment */
  private gridInputs: Tensor | null = null

  constructor(canvas: HTMLCanvasElement, legend: HTMLElement, axes: HTMLElement, onSelect: (selection: Selection) => void) {
    this.canvas = canvas
    this.legend = legend
    this.axes = axes
    this.grid.width = RESOLUTION
    this.grid.height = RESOLUTION
    canvas.addEventListener('click', (event) => {
      const picked = this.pointAt(event.offsetX, event.offsetY)
      if (picked !== null) onSelect(picked)
    })
  }

  /** Draw the experiment's boundary and points; the legend and axis names change only with the experiment. */
  draw(experiment: Experiment, selected: Selection): void {
    if (experiment !== this.experiment) {
      this.experiment = experiment
      this.view = viewOf(experiment)
      this.gridInputs = tensor(gridRows(this.view, experiment.split.scaler.toJSON().mean))
      this.showLegend(experiment)
    }
    fitCanvas(this.canvas)
    const context = this.canvas.getContext('2d')!
    this.grid.getContext('2d')!.putImageData(heatmapPixels(experiment, this.gridInputs!), 0, 0)
    context.imageSmoothingEnabled = true
    context.drawImage(this.grid, 0, 0, this.canvas.width, this.canvas.height)
    this.drawPoints(context, experiment, 'train')
    this.drawPoints(context, experiment, 'test')
    this.drawRing(context, experiment, selected)
  }

  /** Where a raw feature row lands on the canvas, in CSS pixels from its top left corner. */
  toScreen(features: ArrayLike<number>): [number, number] {
    const view = this.view!
    const x = ((features[view.xColumn] - view.xRange[0]) / (view.xRange[1] - view.xRange[0])) * this.canvas.clientWidth
    const yValue = view.yColumn === null ? 0 : features[view.yColumn]
    const y = ((view.yRange[1] - yValue) / (view.yRange[1] - view.yRange[0])) * this.canvas.clientHeight
    return [x, y]
  }

  private drawPoints(context: CanvasRenderingContext2D, experiment: Experiment, part: 'train' | 'test'): void {
    const ratio = this.canvas.width / this.canvas.clientWidth
    const rows = (part === 'train' ? experiment.split.yTrain : experiment.split.yTest).length
    const radius = rows > 1000 ? 2.5 : 4
    context.lineWidth = 1.5 * ratio
    context.strokeStyle = part === 'train' ? 'white' : 'black'
    for (let index = 0; index < rows; index++) {
      const { features, label } = experiment.point({ part, index })
      const [x, y] = this.toScreen(features)
      context.beginPath()
      context.arc(x * ratio, y * ratio, radius * ratio, 0, 2 * Math.PI)
      context.fillStyle = PALETTE[label]
      context.fill()
      context.stroke()
    }
  }

  private drawRing(context: CanvasRenderingContext2D, experiment: Experiment, selected: Selection): void {
    const ratio = this.canvas.width / this.canvas.clientWidth
    const [x, y] = this.toScreen(experiment.point(selected).features)
    context.beginPath()
    context.arc(x * ratio, y * ratio, 9 * ratio, 0, 2 * Math.PI)
    context.lineWidth = 2.5 * ratio
    context.strokeStyle = '#111'
    context.stroke()
  }

  /** The point nearest a click, if one is within CLICK_RADIUS pixels. */
  private pointAt(x: number, y: number): Selection | null {
    const experiment = this.experiment
    if (experiment === null) return null
    let best: Selection | null = null
    let bestDistance = CLICK_RADIUS
    for (const part of ['train', 'test'] as const) {
      const rows = (part === 'train' ? experiment.split.yTrain : experiment.split.yTest).length
      for (let index = 0; index < rows; index++) {
        const [px, py] = this.toScreen(experiment.point({ part, index }).features)
        const distance = Math.hypot(px - x, py - y)
        if (distance < bestDistance) {
          bestDistance = distance
          best = { part, index }
        }
      }
    }
    return best
  }

  /** One colour swatch a class, and which features the axes show. */
  private showLegend(experiment: Experiment): void {
    const { classes, featureNames } = experiment.data
    this.legend.replaceChildren(
      ...classes.map((name, k) => {
        const item = document.createElement('li')
        const swatch = document.createElement('span')
        swatch.className = 'swatch'
        swatch.style.background = PALETTE[k]
        item.append(swatch, name)
        return item
      }),
    )
    const view = this.view!
    const yName = view.yColumn === null ? '(none)' : featureNames[view.yColumn]
    const others = featureNames.length > 2 ? `; the other ${featureNames.length - 2} features at their training mean` : ''
    this.axes.textContent = `→ ${featureNames[view.xColumn]}   ↑ ${yName}${others}. White edge: train point; black edge: test point.`
  }
}
