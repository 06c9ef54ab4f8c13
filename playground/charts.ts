/**
 * The charts: loss and accuracy per epoch, on the train rows (solid) and the test rows
 * (dashed), each on a canvas of its own; and the latest numbers as text. Accuracies are
 * fractions in [0, 1] written to 4 decimals, losses too until they grow past 10⁴ (then 5.7e+253);
 * `data-value` keeps the full number.
 */
import { PALETTE } from '../src/plot/svg.js'
import { decimate } from '../src/plot/curves.js'
import type { EpochRecord, Experiment } from './experiment.js'
import { fitCanvas } from './canvas.js'
import { formatNumber } from './format.js'

const TRAIN_COLOR = PALETTE[0]
const TEST_COLOR = PALETTE[1]
/** A chart's margins in CSS pixels: room for the axis numbers (the left one widens for a long top value). */
const MARGIN = { left: 38, right: 8, top: 8, bottom: 20 }

interface Series {
  values: Array<readonly [number, number]>
  color: string
  dashed: boolean
}

/** The [epoch, value] points of one column of the records (decimated: a screen is only so wide). */
function series(records: readonly EpochRecord[], pick: (r: EpochRecord) => number, color: string, dashed: boolean): Series {
  const points = records.map((r) => [r.epoch, pick(r)] as const).filter(([, v]) => Number.isFinite(v))
  return { values: decimate(points, 600), color, dashed }
}

/** Draw some lines on a canvas, from epoch 0 to the last, with the value axis from 0 to `top`. */
function drawChart(canvas: HTMLCanvasElement, title: string, lines: Series[], top: number, epochs: number): void {
  const ratio = fitCanvas(canvas)
  const context = canvas.getContext('2d')!
  context.setTransform(ratio, 0, 0, ratio, 0, 0)
  context.font = '11px sans-serif'
  const topLabel = formatTop(top)
  const left = Math.max(MARGIN.left, Math.ceil(context.measureText(topLabel).width) + 8)
  const width = canvas.clientWidth - left - MARGIN.right
  const height = canvas.clientHeight - MARGIN.top - MARGIN.bottom
  const x = (epoch: number) => left + (epoch / Math.max(1, epochs)) * width
  const y = (value: number) => MARGIN.top + (1 - Math.min(value, top) / top) * height

  context.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight)
  context.strokeStyle = '#999'
  context.lineWidth = 1
  context.strokeRect(left, MARGIN.top, width, height)
  context.fillStyle = '#444'
  context.textAlign = 'right'
  context.fillText(topLabel, left - 4, MARGIN.top + 9)
  context.fillText('0', left - 4, MARGIN.top + height)
  context.textAlign = 'left'
  context.fillText(title, left, canvas.clientHeight - 5)
  context.textAlign = 'center'
  context.fillText(`epoch ${epochs}`, left + width / 2, canvas.clientHeight - 5)

  for (const line of lines) {
    context.strokeStyle = line.color
    context.lineWidth = 2
    context.setLineDash(line.dashed ? [5, 4] : [])
    context.beginPath()
    line.values.forEach(([epoch, value], i) => (i === 0 ? context.moveTo(x(epoch), y(value)) : context.lineTo(x(epoch), y(value))))
    context.stroke()
  }
  context.setLineDash([])
}

function finiteOr0(value: number): number {
  return Number.isFinite(value) ? value : 0
}

/** The value axis's top: 0.0010, 0.69, 12, 5.7e+253. */
function formatTop(value: number): string {
  return value >= 10 ? formatNumber(value, 0) : value.toPrecision(2)
}

/** Put a number in an element: `digits` decimals (exponent form once large) as text, the whole number in data-value. */
export function showNumber(element: HTMLElement, value: number, digits: number): void {
  element.textContent = formatNumber(value, digits)
  element.dataset.value = String(value)
}

export interface ChartElements {
  lossChart: HTMLCanvasElement
  accuracyChart: HTMLCanvasElement
  epoch: HTMLElement
  trainLoss: HTMLElement
  testLoss: HTMLElement
  trainAccuracy: HTMLElement
  testAccuracy: HTMLElement
  architecture: HTMLElement
}

/** '2 → 16 → 16 → 3 · relu · adam lr 0.01 · batch 32 · 240 train (48 held out to calibrate), 60 test rows' */
function describeExperiment(experiment: Experiment): string {
  const { state, sizes, split, heldOut } = experiment
  const held = heldOut === null ? '' : ` (${heldOut.yCalibrate.length} held out to calibrate)`
  return `${sizes.join(' → ')} · ${state.activation} · ${state.optimizer} lr ${state.lr} · batch ${state.batchSize} · ` +
    `${split.yTrain.length} train${held}, ${split.yTest.length} test rows`
}

/** Redraw both charts and the numbers from the experiment's records. */
export function drawCharts(elements: ChartElements, experiment: Experiment): void {
  const records = [experiment.initial, ...experiment.records]
  const latest = experiment.latest
  elements.epoch.textContent = String(experiment.epoch)
  elements.architecture.textContent = describeExperiment(experiment)
  showNumber(elements.trainLoss, latest.trainLoss, 4)
  showNumber(elements.testLoss, latest.testLoss, 4)
  showNumber(elements.trainAccuracy, latest.trainAccuracy, 4)
  showNumber(elements.testAccuracy, latest.testAccuracy, 4)

  // NOTE: a loop, not Math.max(...losses): a long run has more epochs than a call may have arguments.
  let lossTop = 1e-3
  for (const r of records) lossTop = Math.max(lossTop, finiteOr0(r.trainLoss), finiteOr0(r.testLoss))
  drawChart(elements.lossChart, 'loss', [
    series(records, (r) => r.trainLoss, TRAIN_COLOR, false),
    series(records, (r) => r.testLoss, TEST_COLOR, true),
  ], lossTop, experiment.epoch)
  drawChart(elements.accuracyChart, 'accuracy', [
    series(records, (r) => r.trainAccuracy, TRAIN_COLOR, false),
    series(records, (r) => r.testAccuracy, TEST_COLOR, true),
  ], 1, experiment.epoch)
}
