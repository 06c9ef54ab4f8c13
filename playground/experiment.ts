/**
 * One training run: the data of a state, the network, its optimiser and a Trainer, and a record
 * of every epoch. Everything random is seeded from the state's seed (the data, the split, the
 * initial weights, the batch order), and an epoch is the Trainer's fixed sequence of batches,
 * so the same state gives the same numbers at every epoch, however the epochs are spread over
 * animation frames. It builds the network as `softgrad train` does, so the two agree; with
 * calibrate on it also holds out and calibrates as `softgrad train --calibrate` does.
 */
import {
  nn, optim, noGrad, evaluate, Trainer, tensor, trainTestSplit, temperatureScaling,
  type Tensor, type CalibrationReport,
} from '../src/browser.js'
import type { PlaygroundState, Selection } from './state.js'
import { splitData, type PlaygroundData, type SplitData } from './data.js'

/**
 * The numbers of one epoch, measured on the whole train and test sets after it. NOTE: with
 * calibrate on, "train" still counts the held-out rows, as the command line's trainAccuracy does.
 */
export interface EpochRecord {
  epoch: number
  trainLoss: number
  trainAccuracy: number
  testLoss: number
  testAccuracy: number
}

/** The rows held out of the training rows to fit the temperature on, and the rows trained on. */
export interface HeldOut {
  XFit: Tensor
  yFit: Int32Array
  XCalibrate: Tensor
  yCalibrate: Int32Array
}

/** Temperature scaling at one epoch: T fitted on the held-out rows, the test rows measured at T = 1 and at T. */
export type Calibration = CalibrationReport


export class Experiment {
  readonly state: PlaygroundState
  readonly data: PlaygroundData
  readonly split: SplitData
  /** with calibrate on: a fifth of the training rows held out to fit T on; null when off */
  readonly heldOut: HeldOut | null
  readonly sizes: number[]
  readonly model: nn.Sequential
  readonly trainer: Trainer
  readonly records: EpochRecord[] = []
  /** the untrained network's numbers, shown before the first epoch */
  readonly initial: EpochRecord
  /** the latest calibration (or why T could not be fitted) and its epoch, kept so a redraw does not refit */
  private calibrated: { epoch: number; result: Calibration | Error } | null = null

  constructor(state: PlaygroundState, data: PlaygroundData) {
    this.state = state
    this.data = data
    this.split = splitData(data, state)
    this.heldOut = state.calibrate ? holdOut(this.split, state.seed) : null
    this.sizes = [data.X.shape[1], ...state.hidden, data.classes.length]
    this.model = nn.mlp(this.sizes, { activation: state.activation, seed: state.seed })
    const optimizer = optim.optimizerByName(state.optimizer, this.model.parameters(), { lr: state.lr })
    const fitOn = this.heldOut === null ? { X: this.split.XTrainScaled, y: this.split.yTrain } : { X: this.heldOut.XFit, y: this.heldOut.yFit }
    this.trainer = new Trainer(this.model, fitOn, { optimizer, batchSize: state.batchSize, seed: state.seed })
    this.initial = this.measure(0)
  }

  /** The number of epochs trained so far. */
  get epoch(): number {
    return this.records.length
  }

  /** The latest epoch's numbers, or the untrained network's before the first. */
  get latest(): EpochRecord {
    return this.records[this.records.length - 1] ?? this.initial
  }

  /** Train the rest of the current epoch (one pass over the shuffled train rows) and record it. */
  trainEpoch(): EpochRecord {
    let record = this.trainBatch()
    while (record === null) record = this.trainBatch()
    return record
  }

  /** Train one minibatch; when it ends an epoch, record that epoch and return its record. */
  trainBatch(): EpochRecord | null {
    if (this.trainer.step() === null) return null
    const record = this.measure(this.trainer.epochsDone)
    this.records.push(record)
    return record
  }

  /**
   * Temperature scaling at the latest epoch, as `softgrad train --calibrate` does it after its
   * last epoch; null with calibrate off, an Error when T cannot be fitted (e.g. every held-out
   * row is classified right). Fitted once an epoch: redrawing the same epoch reuses it.
   */
  calibration(): Calibration | Error | null {
    if (this.heldOut === null) return null
    if (this.calibrated?.epoch !== this.epoch) {
      let result: Calibration | Error
      try {
        result = this.calibrateOn(this.heldOut)
      } catch (e) {
        result = e as Error
      }
      this.calibrated = { epoch: this.epoch, result }
    }
    return this.calibrated.result
  }

  /** The fitted temperature at the latest epoch, which predict and the downloaded model use; undefined when there is none. */
  get temperature(): number | undefined {
    const calibration = this.calibration()
    return calibration === null || calibration instanceof Error ? undefined : calibration.temperature
  }

  /** Fit T on the held-out rows, and measure the test rows at T = 1 and at the fitted T, as train.ts's calibrateOn does. */
  private calibrateOn({ XCalibrate, yCalibrate }: HeldOut): Calibration {
    const { XTestScaled, yTest } = this.split
    return temperatureScaling(this.scaledLogits(XCalibrate), yCalibrate, this.scaledLogits(XTestScaled), yTest)
  }

  private measure(epoch: number): EpochRecord {
    const { XTrainScaled, yTrain, XTestScaled, yTest } = this.split
    const train = evaluate(this.model, { X: XTrainScaled, y: yTrain })
    const test = evaluate(this.model, { X: XTestScaled, y: yTest })
    return { epoch, trainLoss: train.loss, trainAccuracy: train.accuracy, testLoss: test.loss, testAccuracy: test.accuracy }
  }

  /** The raw features and the class of a selected point. */
  point(selection: Selection): { features: number[]; label: number } {
    const X = selection.part === 'train' ? this.split.XTrain : this.split.XTest
    const y = selection.part === 'train' ? this.split.yTrain : this.split.yTest
    const d = X.shape[1]
    return { features: Array.from(X.data.subarray(selection.index * d, (selection.index + 1) * d)), label: y[selection.index] }
  }

  /** The selection if it still names a row, else the first test point. */
  resolve(selection: Selection | null): Selection {
    const rows = selection === null ? 0 : (selection.part === 'train' ? this.split.yTrain : this.split.yTest).length
    return selection !== null && selection.index < rows ? selection : { part: 'test', index: 0 }
  }

  /** The logits (before softmax) of raw feature rows, in eval mode, building no graph. */
  logits(rows: Tensor): Tensor {
    return this.scaledLogits(this.split.scaler.transform(rows))
  }

  /** The logits of rows already standardised. */
  private scaledLogits(scaled: Tensor): Tensor {
    this.model.eval()
    try {
      return noGrad(() => this.model.forward(scaled))
    } finally {
      this.model.train()
    }
  }

  /** The logits of one raw feature row, as plain numbers. */
  logitsOf(features: number[]): number[] {
    return Array.from(this.logits(tensor([features])).data)
  }
}

/** A fifth of the (standardised) training rows to calibrate on, with the seed and split `softgrad train --calibrate` uses. */
function holdOut(split: SplitData, seed: number): HeldOut {
  const held = trainTestSplit(split.XTrainScaled, split.yTrain, { testFraction: 0.2, seed })
  return { XFit: held.XTrain, yFit: held.yTrain, XCalibrate: held.XTest, yCalibrate: held.yTest }
}
