/**
 * One training run: the data of a state, the network, its optimiser and a Trainer, and a record
 * of every epoch. Everything random is seeded from the state's seed (the data, the split, the
 * initial weights, the batch order), and an epoch is the Trainer's fixed sequence of batches,
 * so the same state gives the same numbers at every epoch, however the epochs are spread over
 * animation frames. It builds the network as `softgrad train` does, so the two agree.
 */
import {
  nn, optim, noGrad, evaluate, Trainer, tensor,
  type Tensor,
} from '../src/browser.js'
import type { OptimizerName, PlaygroundState, Selection } from './state.js'
import { splitData, type PlaygroundData, type SplitData } from './data.js'

/** The numbers of one epoch, measured on the whole train and test sets after it. */
export interface EpochRecord {
  epoch: number
  trainLoss: number
  trainAccuracy: number
  testLoss: number
  testAccuracy: number
}

/** SGD gets momentum 0.9 and RMSprop none, the command line's defaults. */
export const MOMENTUM: Record<OptimizerName, number> = { sgd: 0.9, adam: 0, adamw: 0, rmsprop: 0 }

export class Experiment {
  readonly state: PlaygroundState
  readonly data: PlaygroundData
  readonly split: SplitData
  readonly sizes: number[]
  readonly model: nn.Sequential
  readonly trainer: Trainer
  readonly records: EpochRecord[] = []
  /** the untrained network's numbers, shown before the first epoch */
  readonly initial: EpochRecord

  constructor(state: PlaygroundState, data: PlaygroundData) {
    this.state = state
    this.data = data
    this.split = splitData(data, state)
    this.sizes = [data.X.shape[1], ...state.hidden, data.classes.length]
    this.model = nn.mlp(this.sizes, { activation: state.activation, seed: state.seed })
    const optimizer = optim.optimizerByName(state.optimizer, this.model.parameters(), { lr: state.lr, momentum: MOMENTUM[state.optimizer] })
    this.trainer = new Trainer(this.model, { X: this.split.XTrainScaled, y: this.split.yTrain }, { optimizer, batchSize: state.batchSize, seed: state.seed })
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

  /** Train one epoch (one pass over the shuffled train rows) and record it. */
  trainEpoch(): EpochRecord {
    this.trainer.epoch()
    const record = this.measure(this.trainer.epochsDone)
    this.records.push(record)
    return record
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
    const scaled = this.split.scaler.transform(rows)
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
