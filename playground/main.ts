/**
 * The playground's wiring: one state (read from the URL's hash), the controls that change it, the
 * training loop, and the views that draw it. A change to anything that decides the model
 * starts a new experiment from epoch 0; every change is written back to the URL. Whatever a
 * training step or a panel throws stops training and is said in the page, never left uncaught.
 */
import { DEFAULTS, changesTraining, readUrl, writeState, type PlaygroundState } from './state.js'
import { csvColumns, guessLabel, makeData, type CsvFile } from './data.js'
import { Experiment } from './experiment.js'
import { TrainingLoop } from './loop.js'
import { Controls, byTestId } from './controls.js'
import { BoundaryView } from './boundary.js'
import { drawCharts } from './charts.js'
import { drawSoftmaxPanel } from './softmax-panel.js'
import { drawCalibrationPanel } from './calibration-panel.js'
import { downloadModel, downloadOnnx } from './download.js'
import { watchCsvInput } from './csv-drop.js'
import { installTestHooks } from './test-hooks.js'
import { LazyPanel } from './lazy-panel.js'
import { showKernels, useUrlKernels } from './kernels.js'

/** Why the data could not be made: a CSV's located error, a URL naming a file it cannot carry, ... */
const dataError = byTestId<HTMLElement>('csv-error')
const trainingError = byTestId<HTMLElement>('training-error')
/** Why a download was refused or failed: a diverged model, an exporter that would not load, ... */
const downloadError = byTestId<HTMLElement>('download-error')
const playButton = byTestId<HTMLButtonElement>('play')

// The kernels the query asks for (?kernels=js|wasm), before anything trains; the hash is the experiment.
const kernelsRefused = useUrlKernels(location.search)
const url = readUrl(location.hash)
let state = url.state
let csv: CsvFile | null = null

function showError(element: HTMLElement, error: Error | null): void {
  element.hidden = error === null
  element.textContent = error?.message ?? ''
}

/** What was thrown, as words: an Error's message, or the thrown value itself. */
function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown)
}

/** Stop training and say why under the training buttons; each reason once, after any already there. */
function stopTraining(reason: string): void {
  loop.pause()
  const reasons = trainingError.hidden ? [] : (trainingError.textContent ?? '').split('\n')
  if (!reasons.includes(reason)) reasons.push(reason)
  showError(trainingError, new Error(reasons.join('\n')))
}

/** Draw one panel; what it throws stops training and is said in the page, and the other panels still draw. */
function drawPanel(name: string, drawIt: () => void): void {
  try {
    drawIt()
  } catch (e) {
    stopTraining(`Training stopped: the ${name} could not be drawn (${messageOf(e)}). Press Reset, or change a setting, to start again.`)
  }
}

/** The state's experiment, or null (and the reason shown) when its data cannot be made. */
function tryExperiment(next: PlaygroundState): Experiment | null {
  try {
    const experiment = new Experiment(next, makeData(next, csv))
    showError(dataError, null)
    return experiment
  } catch (e) {
    showError(dataError, e as Error)
    return null
  }
}

/**
 * The URL's experiment. A URL naming a CSV (which it cannot carry) falls back to toy data with
 * the same settings; settings whose data cannot be made at all, to the defaults.
 */
function firstExperiment(): Experiment {
  const experiment = tryExperiment(state)
  if (experiment !== null) return experiment
  const reason = dataError.textContent
  state = { ...state, dataset: DEFAULTS.dataset, csvName: '', label: '' }
  let fallback = tryExperiment(state)
  if (fallback === null) {
    state = { ...DEFAULTS }
    fallback = tryExperiment(state)!
  }
  showError(dataError, new Error(`${reason}; showing ${state.dataset} meanwhile`))
  return fallback
}

/** Apply a change to the state; returns false when its data could not be made (nothing changes then). */
function change(patch: Partial<PlaygroundState>): boolean {
  const next: PlaygroundState = { ...state, ...patch }
  const retrain = changesTraining(state, next)
  if (retrain && !('selected' in patch)) next.selected = null // new data: back to the first test point
  const experiment = retrain ? tryExperiment(next) : null
  if (retrain && experiment === null) {
    controls.show(state)
    return false
  }
  state = next
  history.replaceState(null, '', writeState(state))
  controls.show(state)
  if (experiment !== null) {
    showError(trainingError, null)
    loop.replace(experiment)
  } else draw()
  return true
}

function draw(): void {
  const experiment = loop.experiment
  const selected = experiment.resolve(state.selected)
  drawPanel('decision boundary', () => boundary.draw(experiment, selected))
  drawPanel('loss and accuracy panel', () => drawCharts(charts, experiment))
  drawPanel('softmax panel', () => drawSoftmaxPanel(softmaxPanel, experiment, selected, state.temperature))
  drawPanel('calibration panel', () => drawCalibrationPanel(calibrationPanel, experiment))
  const network = networkPanel.view
  if (network !== null) drawPanel('network view', () => network.draw(experiment, selected))
  const backprop = backpropPanel.view
  if (backprop !== null) drawPanel('backprop panel', () => backprop.draw(experiment, selected))
}

/** A dropped or chosen CSV: offer it, pick its label column, and train on it. */
function loadCsv(file: CsvFile): void {
  const columns = csvColumns(file.text)
  const label = file.name === state.csvName && columns.includes(state.label) ? state.label : guessLabel(file, columns)
  const previous = csv
  csv = file
  controls.setCsvOption(file.name)
  controls.setLabelColumns(columns)
  if (change({ dataset: 'csv', csvName: file.name, label })) return
  // A bad file changes nothing: the previous data keeps training.
  csv = previous
  controls.setCsvOption(previous?.name ?? null)
  controls.setLabelColumns(previous === null ? [] : csvColumns(previous.text))
  controls.show(state)
}

async function drawGraph(button: HTMLButtonElement): Promise<void> {
  button.disabled = true
  try {
    const { drawLossGraph, showGraph } = await import('./graph.js') // with Graphviz: loaded only when asked for
    const experiment = loop.experiment
    showGraph(byTestId('graph'), await drawLossGraph(experiment, experiment.resolve(state.selected)))
  } catch (e) {
    showError(trainingError, e as Error)
  } finally {
    button.disabled = false
  }
}

const controls = new Controls(change)
const boundary = new BoundaryView(byTestId('boundary'), byTestId('legend'), byTestId('axes'), (selected) => change({ selected }))
const charts = {
  lossChart: byTestId<HTMLCanvasElement>('loss-chart'),
  accuracyChart: byTestId<HTMLCanvasElement>('accuracy-chart'),
  epoch: byTestId('epoch'),
  trainLoss: byTestId('train-loss'),
  testLoss: byTestId('test-loss'),
  trainAccuracy: byTestId('train-accuracy'),
  testAccuracy: byTestId('test-accuracy'),
  architecture: byTestId('architecture'),
}
const softmaxPanel = {
  point: byTestId('selected-point'),
  temperatureLabel: byTestId('temperature-value'),
  bars: byTestId('softmax-bars'),
  table: byTestId<HTMLTableElement>('p-minus-y'),
}
const calibrationPanel = {
  note: byTestId('calibration-note'),
  results: byTestId('calibration-results'),
  temperature: byTestId('calibrated-temperature'),
  eceBefore: byTestId('ece-before'),
  eceAfter: byTestId('ece-after'),
  nllBefore: byTestId('nll-before'),
  nllAfter: byTestId('nll-after'),
  diagrams: byTestId('reliability'),
}
// The network view and backprop load their code when first opened: the page opens without it.
const sayPanelError = (e: unknown) => showError(trainingError, e as Error)
const networkPanel = new LazyPanel(byTestId('network-panel'), () => import('./network-view.js').then((m) => m.mountNetworkView(draw)), draw, sayPanelError)
const backpropPanel = new LazyPanel(byTestId('backprop-panel'), () => import('./backprop-panel.js').then((m) => m.mountBackpropPanel()), draw, sayPanelError)
const loop = new TrainingLoop(firstExperiment(), {
  onFrame: draw,
  onPlayingChange: (playing) => {
    playButton.textContent = playing ? 'Pause' : 'Play'
  },
  onError: (error) => stopTraining(`Training stopped. ${messageOf(error)}`),
})

playButton.addEventListener('click', () => loop.toggle())
byTestId('step').addEventListener('click', () => loop.step())
byTestId('reset').addEventListener('click', () => {
  loop.pause()
  showError(trainingError, null)
  loop.replace(new Experiment(state, loop.experiment.data))
})
/** Run a download; what it throws (now or once its code has loaded) is said under the buttons. */
async function download(save: () => void | Promise<void>): Promise<void> {
  showError(downloadError, null)
  try {
    await save()
  } catch (e) {
    showError(downloadError, new Error(messageOf(e)))
  }
}
byTestId('download-model').addEventListener('click', () => void download(() => downloadModel(loop.experiment)))
byTestId('download-onnx').addEventListener('click', () => void download(() => downloadOnnx(loop.experiment)))
byTestId<HTMLButtonElement>('draw-graph').addEventListener('click', (event) => drawGraph(event.currentTarget as HTMLButtonElement))
watchCsvInput(byTestId('csv-input'), loadCsv, (error) => showError(dataError, error))
window.addEventListener('resize', draw)
installTestHooks(loop, boundary)

history.replaceState(null, '', writeState(state))
controls.show(state)
for (const refusal of url.refusals) controls.showUrlRefusal(refusal)
showError(byTestId('kernels-refused'), kernelsRefused === null ? null : new Error(kernelsRefused))
showKernels(byTestId('kernels'))
draw()
