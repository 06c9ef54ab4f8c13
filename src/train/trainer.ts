/**
 * Training: a Trainer runs one epoch at a time (so a page can train between animation frames);
 * fit runs all of them. Each step is the loop every example writes out by hand:
 *
 *   optimizer.zeroGrad() → logits = model.forward(X) → loss.forward(logits, y) → backward() → step()
 *
 * The loss is checked after every step: the moment it is NaN or Inf, training stops with an
 * error naming the epoch and the step.
 *
 * fit runs in one go, so nothing else runs until it returns: a click or a Ctrl-C waits. fitAsync
 * is the same loop with the same numbers, but it lets the event loop run between steps, so an
 * AbortSignal aborted by such an event stops it.
 */
import { Tensor, noGrad } from '../tensor.js'
import { recycleBuffers } from '../buffers.js'
import type { Module, StateDict } from '../nn/module.js'
import { SoftmaxCrossEntropy, type Loss } from '../nn/losses.js'
import { SGD } from '../optim/sgd.js'
import type { Optimizer } from '../optim/optimizer.js'
import type { LRScheduler } from '../optim/schedule.js'
import { clipGradNorm } from '../optim/clip.js'
import { makeRng, checkSeed, type Rng } from '../random.js'
import { batches, type Batch } from '../data/batches.js'
import { Softmax } from '../nn/softmax.js'
import { Sequential } from '../nn/sequential.js'
import { softmax } from '../ops/index.js'
import { accuracy, confusionMatrix } from './metrics.js'
import { resolveProgress, type ProgressReporter } from './progress.js'
import { formatShape } from '../shape.js'

export type Labels = Int32Array | readonly number[]

export interface Dataset {
  X: Tensor
  /** class indices, or a probability tensor [N, C] (soft targets) */
  y: Labels | Tensor
}

export interface HistoryRow {
  epoch: number
  /** the mean training loss over the epoch's batches, weighted by batch size */
  loss: number
  /** the fraction of training rows classified right during the epoch (running, as Keras reports) */
  accuracy: number
  valLoss?: number
  valAccuracy?: number
  /** the learning rate at the start of the epoch */
  lr: number
}

export type Monitor = 'valLoss' | 'valAccuracy' | 'loss' | 'accuracy'

export interface EarlyStoppingOptions {
  /** stop after this many epochs without improvement */
  patience: number
  /** what must improve: default 'valLoss' (lower is better; for accuracies higher is better) */
  monitor?: Monitor
  /** end with the weights of the best epoch (default true) */
  restoreBest?: boolean
}

export interface FitOptions {
  /** default nn.SoftmaxCrossEntropy() */
  loss?: Loss
  /** default optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }) */
  optimizer?: Optimizer
  /** default 10 */
  epochs?: number
  /** default 32; use the dataset size for full-batch training */
  batchSize?: number
  /** seeds the shuffling, a whole number from 0 to 4294967295; default 0 */
  seed?: number
  validation?: Dataset
  /** called after every epoch with its history row */
  onEpoch?: (row: HistoryRow) => void
  /** false (default), true (a terminal bar in Node), or your own reporter */
  progress?: boolean | ProgressReporter
  /** stop when the monitored number stops improving; see EarlyStoppingOptions */
  earlyStopping?: EarlyStoppingOptions
  /** a learning-rate schedule on the optimiser (a built-in one or your own LRScheduler), stepped
   * as its stepEvery says: after every batch ('batch', OneCycleLR), after every epoch ('epoch'),
   * or after every epoch with the validation loss, or the training loss without one ('metric',
   * ReduceLROnPlateau) */
  scheduler?: LRScheduler
  /** clip the gradients' total 2-norm to this before every step (torch's clip_grad_norm_) */
  clipGradNorm?: number
  /** stop before the next step once this is aborted: fit and fitAsync throw (reject with)
   * `signal.reason`, the progress bar stopped, the model left with its last step's weights.
   * NOTE: fit runs in one go, so only code it calls (onEpoch, a reporter) can abort it mid-run;
   * an event (Ctrl-C, a Stop button) reaches the signal only under fitAsync */
  signal?: AbortSignal
}

interface EpochRun {
  epoch: number
  /** the lr the epoch began with (its history row records it) */
  lr: number
  batches: Generator<Batch>
  next: Batch
  step: number
  lossSum: number
  right: number
  seen: number
}

export class Trainer {
  readonly model: Module
  readonly data: Dataset
  readonly loss: Loss
  readonly optimizer: Optimizer
  readonly batchSize: number
  readonly validation: Dataset | undefined
  readonly history: HistoryRow[] = []
  /** true once early stopping has run out of patience */
  stopped = false
  private readonly rng: Rng
  private readonly earlyStopping: Required<EarlyStoppingOptions> | null
  readonly scheduler: LRScheduler | undefined
  readonly clip: number | undefined
  private best: { value: number; epoch: number; state: StateDict } | null = null
  /** the epoch under way between step() calls: its shuffled batches, the next one, the sums */
  private running: EpochRun | null = null

  constructor(model: Module, data: Dataset, options: FitOptions = {}) {
    checkDataset(data, 'fit')
    if (options.validation !== undefined) checkDataset(options.validation, 'fit (validation)')
    const { batchSize = 32, seed = 0 } = options
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fit: batchSize must be a whole number ≥ 1, got ${batchSize}`)
    this.model = model
    this.data = data
    this.loss = options.loss ?? new SoftmaxCrossEntropy()
    this.optimizer = options.optimizer ?? new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
    this.batchSize = batchSize
    this.validation = options.validation
    this.rng = makeRng(checkSeed(seed, 'fit'))
    this.earlyStopping = checkEarlyStopping(options.earlyStopping, options.validation !== undefined)
    this.scheduler = options.scheduler
    if (this.scheduler !== undefined && this.scheduler.optimizer !== this.optimizer) {
      throw new Error('fit: the scheduler was built on a different optimiser than the one fit steps; pass the same one to both')
    }
    if (this.scheduler !== undefined && !['batch', 'epoch', 'metric'].includes(this.scheduler.stepEvery)) {
      throw new Error(`fit: the scheduler ${this.scheduler.kind} has stepEvery ${JSON.stringify(this.scheduler.stepEvery)}; ` +
        `give it stepEvery 'batch', 'epoch' or 'metric' to say when fit calls its step()`)
    }
    this.clip = options.clipGradNorm
    if (this.clip !== undefined && !(this.clip > 0)) throw new Error(`fit: clipGradNorm must be a number > 0, got ${this.clip}`)
  }

  /** The number of epochs run so far. */
  get epochsDone(): number {
    return this.history.length
  }

  /** Run the rest of the current epoch (all of a new one) and return its history row. */
  epoch(): HistoryRow {
    let row = this.step()
    while (row === null) row = this.step()
    return row
  }

  /**
   * Train on the next minibatch. Returns the epoch's history row when this batch ended an
   * epoch, and null otherwise. An epoch taken in steps gives the very numbers epoch() gives, so
   * a page can train a few batches per animation frame however large the data set is.
   */
  step(): HistoryRow | null {
    const run = (this.running ??= this.startEpoch())
    const batch = run.next
    const { model, loss, optimizer } = this
    run.step++
    // Zeroed in place, and the step's arrays recycled: the loop reuses the same memory every step.
    optimizer.zeroGrad({ setToNone: false })
    const { l, right } = recycleBuffers(() => {
      const logits = model.forward(batch.X)
      const value = loss.forward(logits, batch.y)
      const l = value.item()
      if (!Number.isFinite(l)) {
        throw new Error(
          `fit: the loss became ${l} at epoch ${run.epoch}, step ${run.step} (lr ${optimizer.lr}). ` +
            `Lower the learning rate, or check the data for NaN or huge values`,
        )
      }
      value.backward()
      return { l, right: countRight(logits, batch.y) }
    })
    if (this.clip !== undefined) clipGradNorm(optimizer.params, this.clip)
    optimizer.step()
    if (this.scheduler?.stepEvery === 'batch') this.scheduler.step()
    const rows = batch.index.length
    run.lossSum += l * rows
    run.seen += rows
    run.right += right

    const after = run.batches.next()
    if (!after.done) {
      run.next = after.value
      return null
    }
    this.running = null
    return this.endEpoch(run)
  }

  private startEpoch(): EpochRun {
    this.model.train()
    const it = batches(this.data.X, this.data.y, { batchSize: this.batchSize, rng: this.rng })
    const first = it.next()
    if (first.done) throw new Error('fit: the data set has no rows') // checkDataset rules this out
    return { epoch: this.history.length + 1, lr: this.optimizer.lr, batches: it, next: first.value, step: 0, lossSum: 0, right: 0, seen: 0 }
  }

  private endEpoch({ epoch, lr, lossSum, right, seen }: EpochRun): HistoryRow {
    const row: HistoryRow = { epoch, loss: lossSum / seen, accuracy: right / seen, lr }
    if (this.validation !== undefined) {
      const v = evaluate(this.model, this.validation, { loss: this.loss })
      row.valLoss = v.loss
      row.valAccuracy = v.accuracy
    }
    this.history.push(row)
    if (this.scheduler?.stepEvery === 'metric') this.scheduler.step(row.valLoss ?? row.loss)
    else if (this.scheduler?.stepEvery === 'epoch') this.scheduler.step()
    this.watch(row)
    return row
  }

  /** Early stopping's bookkeeping: remember the best epoch's weights; stop when patience runs out. */
  private watch(row: HistoryRow): void {
    const es = this.earlyStopping
    if (es === null) return
    const value = row[es.monitor]!
    const higherIsBetter = es.monitor === 'accuracy' || es.monitor === 'valAccuracy'
    const better = this.best === null || (higherIsBetter ? value > this.best.value : value < this.best.value)
    if (better) this.best = { value, epoch: row.epoch, state: this.model.stateDict() }
    else if (row.epoch - this.best!.epoch >= es.patience) this.stopped = true
  }

  /** With early stopping and restoreBest, put the best epoch's weights back; returns that epoch. */
  restoreBest(): number | null {
    if (this.earlyStopping?.restoreBest !== true || this.best === null) return null
    this.model.loadStateDict(this.best.state)
    return this.best.epoch
  }
}

function checkEarlyStopping(options: EarlyStoppingOptions | undefined, hasValidation: boolean): Required<EarlyStoppingOptions> | null {
  if (options === undefined) return null
  const { patience, monitor = 'valLoss', restoreBest = true } = options
  if (!Number.isInteger(patience) || patience < 1) throw new Error(`fit: earlyStopping.patience must be a whole number ≥ 1, got ${patience}`)
  if (!['valLoss', 'valAccuracy', 'loss', 'accuracy'].includes(monitor)) {
    throw new Error(`fit: earlyStopping.monitor must be 'valLoss', 'valAccuracy', 'loss' or 'accuracy', got ${String(monitor)}`)
  }
  if (monitor.startsWith('val') && !hasValidation) {
    throw new Error(`fit: earlyStopping monitors ${monitor}, which needs validation data: pass { validation: { X, y } } or monitor 'loss'`)
  }
  return { patience, monitor, restoreBest }
}

/**
 * fit(model, { X, y }, { epochs: 100, optimizer }) trains the model in place and returns the
 * history, one row per epoch. Reproducible: the same seed gives a bit-identical history.
 */
export function fit(model: Module, data: Dataset, options: FitOptions = {}): HistoryRow[] {
  const steps = fitSteps(model, data, options)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/** How long fitAsync trains before it lets the event loop run. */
const SLICE_MS = 50

/**
 * await fitAsync(model, { X, y }, { epochs: 100, signal }) is fit, but every 50 ms it lets the
 * event loop run (a timer, a Ctrl-C handler, a click), so aborting `signal` stops it: it
 * rejects with `signal.reason`. The same seed gives the same history as fit.
 *
 *   const stop = new AbortController()
 *   process.once('SIGINT', () => stop.abort())
 *   const history = await fitAsync(model, data, { epochs: 1000, signal: stop.signal })
 */
export async function fitAsync(model: Module, data: Dataset, options: FitOptions = {}): Promise<HistoryRow[]> {
  const steps = fitSteps(model, data, options)
  let sliceStart = performance.now()
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0)) // a macrotask: pending events run first
      sliceStart = performance.now()
    }
  }
}

/** fit's loop, one `yield` after every training step: fit runs it straight through, fitAsync pauses on some yields. */
function* fitSteps(model: Module, data: Dataset, options: FitOptions): Generator<void, HistoryRow[]> {
  const { epochs = 10, signal } = options
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a whole number ≥ 0, got ${epochs}`)
  const trainer = new Trainer(model, data, options)
  const reporter = resolveProgress(options.progress)
  reporter?.start(epochs)
  try {
    for (let e = 0; e < epochs && !trainer.stopped; e++) {
      let row: HistoryRow | null = null
      while (row === null) {
        signal?.throwIfAborted()
        row = trainer.step()
        yield
      }
      reporter?.tick({ ...row, epochs })
      options.onEpoch?.(row)
    }
  } finally {
    reporter?.stop() // also when a step throws or the signal aborts: the terminal gets its cursor back
  }
  trainer.restoreBest()
  return trainer.history
}

export interface Evaluation {
  loss: number
  accuracy: number
  /** confusion[true][predicted] */
  confusion: number[][]
}

/** evaluate(model, { X, y }) → { loss, accuracy, confusion }, in eval mode, building no graph. */
export function evaluate(model: Module, data: Dataset, { loss = new SoftmaxCrossEntropy() }: { loss?: Loss } = {}): Evaluation {
  checkDataset(data, 'evaluate')
  const wasTraining = model.training
  model.eval()
  try {
    return noGrad(() => {
      const logits = forwardInBlocks(model, data.X)
      const yTrue = data.y instanceof Tensor ? data.y.argmax(-1) : data.y
      const yPred = logits.argmax(-1)
      return {
        loss: loss.forward(logits, data.y).item(),
        accuracy: accuracy(yTrue, yPred),
        confusion: confusionMatrix(yTrue, yPred, logits.shape[logits.shape.length - 1]),
      }
    })
  } finally {
    model.train(wasTraining)
  }
}

export interface Prediction {
  /** [N, C] class probabilities */
  probs: Tensor
  /** the most probable class of each row */
  classes: Int32Array
}

/**
 * predict(model, X) → { probs, classes }: softmax of the logits at `temperature` (default: the
 * model's calibratedTemperature when it has one, else 1), in eval mode. A model that already
 * ends in nn.Softmax is not softmaxed twice.
 */
export function predict(model: Module, X: Tensor, options: { temperature?: number } = {}): Prediction {
  const temperature = options.temperature ?? model.calibratedTemperature ?? 1
  const wasTraining = model.training
  model.eval()
  try {
    return noGrad(() => {
      const out = forwardInBlocks(model, X)
      const probs = endsInSoftmax(model) ? out : softmax(out, { temperature })
      return { probs, classes: probs.argmax(-1) }
    })
  } finally {
    model.train(wasTraining)
  }
}

/** Rows a forward pass takes at once in evaluate and predict. */
const BLOCK_ROWS = 8192

/**
 * model.forward(X), a block of rows at a time, the outputs copied into one tensor: a million
 * rows never hold a million rows of every hidden layer at once, only of the output. Each row's
 * numbers are the same as in one pass (a layer's output for a row depends on that row alone).
 */
function forwardInBlocks(model: Module, X: Tensor): Tensor {
  const n = X.shape[0]
  if (n <= BLOCK_ROWS) return model.forward(X)
  const width = X.size / n
  let out: Float64Array | null = null
  let outShape: number[] = []
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - start)
    const block = model.forward(new Tensor(X.data.subarray(start * width, (start + rows) * width), [rows, ...X.shape.slice(1)]))
    const outWidth = block.size / rows
    if (out === null) {
      out = new Float64Array(n * outWidth)
      outShape = [n, ...block.shape.slice(1)]
    }
    out.set(block.data, start * outWidth)
  }
  return new Tensor(out!, outShape)
}

/** Does the model's output already sum to 1: is its last layer (through Sequentials) a Softmax? predict and exportOnnx ask. */
export function endsInSoftmax(model: Module): boolean {
  if (model instanceof Softmax) return true
  if (model instanceof Sequential && model.layers.length > 0) return endsInSoftmax(model.layers[model.layers.length - 1])
  return false
}

function countRight(logits: Tensor, y: Labels | Tensor): number {
  const pred = logits.argmax(-1)
  const truth = y instanceof Tensor ? y.argmax(-1) : y
  let right = 0
  for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) right++
  return right
}

function checkDataset(data: Dataset, op: string): void {
  if (!(data?.X instanceof Tensor) || data.X.shape.length !== 2) {
    throw new Error(`${op}: X must be a [N, features] tensor${data?.X instanceof Tensor ? `, got ${formatShape(data.X.shape)}` : ''}`)
  }
  const n = data.y instanceof Tensor ? data.y.shape[0] : data.y?.length
  if (n !== data.X.shape[0]) throw new Error(`${op}: X has ${data.X.shape[0]} rows but y has ${n} labels`)
}
