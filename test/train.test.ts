import { describe, expect, it } from 'vitest'
import {
  nn, optim, toy, fit, evaluate, predict, Trainer, makeRng, tensor, accuracy, confusionMatrix, precisionRecall,
  type HistoryRow, type ProgressInfo,
} from '../src/index.js'

const spiralModel = (seed = 0) => {
  const rng = makeRng(seed)
  return new nn.Sequential(
    new nn.Linear(2, 16, { rng }), new nn.ReLU(),
    new nn.Linear(16, 16, { rng }), new nn.ReLU(),
    new nn.Linear(16, 3, { rng }),
  )
}

function trainSpirals(): { model: nn.Sequential; history: HistoryRow[] } {
  const data = toy.spirals({ n: 300, classes: 3, seed: 0 })
  const model = spiralModel()
  const history = fit(model, data, {
    epochs: 300,
    batchSize: 32,
    seed: 0,
    optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
  })
  return { model, history }
}

describe('fit', () => {
  it('trains a 2-16-16-3 MLP on 300 seeded spiral points to ≥ 97% training accuracy', () => {
    const { model, history } = trainSpirals()
    const data = toy.spirals({ n: 300, classes: 3, seed: 0 })
    expect(evaluate(model, data).accuracy).toBeGreaterThanOrEqual(0.97)
    expect(history).toHaveLength(300)
    expect(history[299].loss).toBeLessThan(history[0].loss)
  })

  it('the same seed gives a bit-identical history', () => {
    expect(trainSpirals().history).toEqual(trainSpirals().history)
  })

  it('another shuffling seed gives a different history', () => {
    const data = toy.spirals({ n: 90, seed: 1 })
    const a = fit(spiralModel(), data, { epochs: 3, seed: 1 })
    const b = fit(spiralModel(), data, { epochs: 3, seed: 2 })
    expect(a).not.toEqual(b)
  })

  it('records validation loss and accuracy and calls onEpoch with each row', () => {
    const data = toy.spirals({ n: 120, seed: 3 })
    const validation = toy.spirals({ n: 60, seed: 4 })
    const seen: number[] = []
    const history = fit(spiralModel(), data, { epochs: 4, validation, onEpoch: (row) => seen.push(row.epoch) })
    expect(seen).toEqual([1, 2, 3, 4])
    for (const row of history) {
      expect(row.valLoss).toBeGreaterThan(0)
      expect(row.valAccuracy).toBeGreaterThanOrEqual(0)
      expect(row.accuracy).toBeLessThanOrEqual(1)
    }
  })

  it('reports progress to a reporter and says nothing by default', () => {
    const calls: string[] = []
    const reporter = {
      start: (total: number) => calls.push(`start ${total}`),
      tick: (info: ProgressInfo) => calls.push(`tick ${info.epoch}/${info.epochs}`),
      stop: () => calls.push('stop'),
    }
    fit(spiralModel(), toy.spirals({ n: 30 }), { epochs: 2, progress: reporter })
    expect(calls).toEqual(['start 2', 'tick 1/2', 'tick 2/2', 'stop'])
  })

  it('a learning rate of 1e6 stops training with the epoch and step named', () => {
    // LeakyReLU keeps every unit alive, so the blow-up reaches Inf and then NaN within an
    // epoch. (With ReLU the units die first and float64 holds the huge loss: see the README.)
    const rng = makeRng(0)
    const model = new nn.Sequential(new nn.Linear(2, 16, { rng }), new nn.LeakyReLU(0.1), new nn.Linear(16, 16, { rng }), new nn.LeakyReLU(0.1), new nn.Linear(16, 3, { rng }))
    expect(() =>
      fit(model, toy.spirals({ n: 300, seed: 0 }), { epochs: 5, optimizer: new optim.SGD(model.parameters(), { lr: 1e6 }) }),
    ).toThrow(/^fit: the loss became NaN at epoch 1, step 6 \(lr 1000000\)\. Lower the learning rate/)
  })

  it('a Trainer runs one epoch at a time, as fit does', () => {
    const data = toy.spirals({ n: 60, seed: 5 })
    const trainer = new Trainer(spiralModel(), data, { seed: 7 })
    const rows = [trainer.epoch(), trainer.epoch()]
    expect(rows.map((r) => r.epoch)).toEqual([1, 2])
    expect(fit(spiralModel(), data, { seed: 7, epochs: 2 })).toEqual(rows)
  })

  it('Trainer.step trains one batch at a time and ends each epoch with the row epoch() gives', () => {
    const data = toy.spirals({ n: 70, seed: 5 }) // 70 rows, batches of 32: 3 steps an epoch
    const byEpoch = new Trainer(spiralModel(), data, { seed: 7 })
    const expected = [byEpoch.epoch(), byEpoch.epoch()]
    const model = spiralModel()
    const trainer = new Trainer(model, data, { seed: 7 })
    const returned = Array.from({ length: 6 }, () => trainer.step())
    expect(returned.map((r) => r?.epoch ?? null)).toEqual([null, null, 1, null, null, 2])
    expect(returned.filter((r) => r !== null)).toEqual(expected)
    expect(model.parameters().map((p) => Array.from(p.data))).toEqual(byEpoch.model.parameters().map((p) => Array.from(p.data)))
    // epoch() after a step finishes that epoch, not a new one
    trainer.step()
    expect(trainer.epoch().epoch).toBe(3)
    expect(trainer.history).toHaveLength(3)
  })

  it('trains on soft targets too', () => {
    const data = toy.spirals({ n: 60, seed: 6 })
    const soft = tensor(Float64Array.from({ length: 180 }, (_, k) => (data.y[Math.floor(k / 3)] === k % 3 ? 0.9 : 0.05)), { shape: [60, 3] })
    const history = fit(spiralModel(), { X: data.X, y: soft }, { epochs: 5 })
    expect(history[4].loss).toBeLessThan(history[0].loss)
  })

  it('rejects data whose shapes do not agree', () => {
    const data = toy.spirals({ n: 30 })
    expect(() => fit(spiralModel(), { X: data.X, y: data.y.subarray(0, 10) })).toThrow('fit: X has 30 rows but y has 10 labels')
    expect(() => fit(spiralModel(), data, { batchSize: 0 })).toThrow(/batchSize must be a whole number ≥ 1/)
  })
})

describe('evaluate and predict', () => {
  it('evaluate gives loss, accuracy and confusion[true][predicted]', () => {
    const model = new nn.Sequential(new nn.Linear(1, 2))
    const l = model.layers[0] as nn.Linear
    l.weight.data.set([1, -1])
    l.bias!.data.set([0, 0])
    const X = tensor([[1], [2], [-1], [3]])
    const result = evaluate(model, { X, y: [0, 0, 1, 1] }) // predictions 0, 0, 1, 0
    expect(result.accuracy).toBe(0.75)
    expect(result.confusion).toEqual([[2, 0], [1, 1]])
    expect(result.loss).toBeGreaterThan(0)
  })

  it('predict softmaxes the logits, honours a temperature, and does not softmax twice', () => {
    const model = new nn.Sequential(new nn.Linear(1, 3))
    const l = model.layers[0] as nn.Linear
    l.weight.data.set([4, 2, -1])
    l.bias!.data.set([0, 0, 0])
    const X = tensor([[1]])
    const p = predict(model, X).probs.data
    expect(p[0]).toBeCloseTo(0.8756, 4)
    expect(predict(model, X, { temperature: 3 }).probs.data[0]).toBeCloseTo(0.587, 3)
    const withSoftmax = new nn.Sequential(l, new nn.Softmax())
    expect(Array.from(predict(withSoftmax, X).probs.data)).toEqual(Array.from(p))
    expect(Array.from(predict(model, X).classes)).toEqual([0])
  })

  it('evaluate and predict run many rows a block at a time, with the numbers of one forward pass', () => {
    const data = toy.blobs({ n: 20000, classes: 3, seed: 1 })
    const model = spiralModel(2)
    const logits = model.forward(data.X)
    const probs = predict(model, data.X).probs
    expect(probs.shape).toEqual([20000, 3])
    expect(Array.from(probs.data)).toEqual(Array.from(logits.softmax(-1).data))
    const result = evaluate(model, data)
    expect(result.loss).toBe(new nn.CrossEntropyLoss().forward(logits, data.y).item())
    expect(result.confusion.flat().reduce((a, b) => a + b)).toBe(20000)
  })

  it('evaluate and predict use eval mode and restore the mode they found', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Dropout(0.9))
    const X = tensor([[1, 2], [3, 4]])
    const a = predict(model, X).probs.toArray()
    expect(predict(model, X).probs.toArray()).toEqual(a) // dropout off: deterministic
    expect(model.training).toBe(true)
  })
})

describe('metrics', () => {
  it('accuracy, confusion matrix, per-class precision and recall', () => {
    const yTrue = [0, 0, 1, 1, 2, 2]
    const yPred = [0, 1, 1, 1, 2, 0]
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 15)
    const m = confusionMatrix(yTrue, yPred, 3)
    expect(m).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]])
    const { precision, recall, support } = precisionRecall(m)
    expect(precision).toEqual([0.5, 2 / 3, 1])
    expect(recall).toEqual([0.5, 1, 0.5])
    expect(support).toEqual([2, 2, 2])
  })
})

describe('early stopping', () => {
  // A small noisy problem that overfits: validation loss falls, then rises.
  const data = toy.moons({ n: 60, noise: 0.35, seed: 11 })
  const validation = toy.moons({ n: 200, noise: 0.35, seed: 12 })
  const big = () => {
    const rng = makeRng(3)
    return new nn.Sequential(new nn.Linear(2, 64, { rng }), new nn.ReLU(), new nn.Linear(64, 64, { rng }), new nn.ReLU(), new nn.Linear(64, 2, { rng }))
  }

  it('with restoreBest, the returned model’s validation loss equals the best in the history', () => {
    const model = big()
    const history = fit(model, data, { epochs: 400, batchSize: 60, validation, earlyStopping: { patience: 15 }, optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }) })
    expect(history.length).toBeLessThan(400) // it stopped early
    const best = Math.min(...history.map((r) => r.valLoss!))
    const last = history[history.length - 1].valLoss!
    expect(last).toBeGreaterThan(best)
    expect(evaluate(model, validation).loss).toBeCloseTo(best, 12)
  })

  it('stops after `patience` epochs without improvement, and can keep the last weights', () => {
    const model = big()
    const history = fit(model, data, { epochs: 400, batchSize: 60, validation, earlyStopping: { patience: 5, restoreBest: false } })
    const bestEpoch = history.reduce((b, r) => (r.valLoss! < b.valLoss! ? r : b)).epoch
    expect(history.length).toBe(bestEpoch + 5)
    expect(evaluate(model, validation).loss).toBeCloseTo(history[history.length - 1].valLoss!, 12)
  })

  it('monitors accuracy upward, and asks for validation data when it monitors a validation number', () => {
    const history = fit(big(), data, { epochs: 50, batchSize: 60, earlyStopping: { patience: 3, monitor: 'accuracy' } })
    expect(history.length).toBeLessThanOrEqual(50)
    expect(() => fit(big(), data, { epochs: 2, earlyStopping: { patience: 3 } })).toThrow(/earlyStopping monitors valLoss, which needs validation data/)
    expect(() => fit(big(), data, { epochs: 2, earlyStopping: { patience: 0 } })).toThrow(/patience must be a whole number ≥ 1/)
  })

  it('the history records the learning rate of every epoch', () => {
    const model = big()
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.05 })
    const history = fit(model, data, { epochs: 3, optimizer, onEpoch: () => (optimizer.lr /= 2) })
    expect(history.map((r) => r.lr)).toEqual([0.05, 0.025, 0.0125])
  })
})

describe('fit with a schedule and gradient clipping', () => {
  const data = toy.spirals({ n: 96, seed: 21 })

  it('steps an epoch schedule once per epoch, and the history records its lr', () => {
    const model = spiralModel()
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 })
    const scheduler = new optim.StepLR(optimizer, { stepSize: 2, gamma: 0.5 })
    const history = fit(model, data, { epochs: 5, optimizer, scheduler })
    expect(history.map((r) => r.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025])
  })

  it('steps OneCycleLR once per batch', () => {
    const model = spiralModel()
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 })
    const scheduler = new optim.OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 3 * 3 })
    fit(model, data, { epochs: 3, batchSize: 32, optimizer, scheduler }) // 96 rows: 3 batches an epoch
    expect(() => scheduler.step()).toThrow() // all 9 steps used, as in torch
  })

  it('steps ReduceLROnPlateau with the validation loss', () => {
    const model = spiralModel()
    // lr 1e-6: the validation loss moves by far less than the 1e-4 relative threshold
    const optimizer = new optim.SGD(model.parameters(), { lr: 1e-6 })
    const scheduler = new optim.ReduceLROnPlateau(optimizer, { patience: 1, factor: 0.5 })
    const history = fit(model, data, { epochs: 4, optimizer, scheduler, validation: data })
    expect(history.map((r) => r.lr)).toEqual([1e-6, 1e-6, 1e-6, 5e-7])
  })

  it('clips the gradients’ total norm before each step', () => {
    const model = spiralModel()
    const norms: number[] = []
    const sgd = new optim.SGD(model.parameters(), { lr: 0.1 })
    const spy = {
      get lr() { return sgd.lr },
      set lr(v: number) { sgd.lr = v },
      params: sgd.params,
      step() {
        norms.push(Math.sqrt(sgd.params.reduce((s, p) => s + p.grad!.data.reduce((a, g) => a + g * g, 0), 0)))
        sgd.step()
      },
      zeroGrad: () => sgd.zeroGrad(),
      stateDict: () => sgd.stateDict(),
      loadStateDict: (s: ReturnType<typeof sgd.stateDict>) => sgd.loadStateDict(s),
    }
    fit(model, data, { epochs: 2, optimizer: spy, clipGradNorm: 0.05 })
    expect(norms.length).toBe(6)
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.05 + 1e-12)
    expect(() => fit(model, data, { epochs: 1, clipGradNorm: 0 })).toThrow(/clipGradNorm must be a number > 0/)
  })

  it('steps a schedule of your own as its stepEvery says: a per-batch warm-up', () => {
    /** lr = base · min(1, (k + 1)/warmup) after k batches: a linear warm-up, stepped every batch. */
    class LinearWarmup implements optim.LRScheduler {
      readonly kind = 'LinearWarmup'
      readonly stepEvery = 'batch'
      lr = 0
      private steps = 0
      constructor(readonly optimizer: optim.Optimizer, readonly base: number, readonly warmup: number) {
        this.setLr()
      }
      step(): void {
        this.steps++
        this.setLr()
      }
      private setLr(): void {
        this.lr = this.optimizer.lr = this.base * Math.min(1, (this.steps + 1) / this.warmup)
      }
      stateDict(): optim.SchedulerState {
        return { kind: this.kind, lastEpoch: this.steps, lr: this.lr }
      }
      loadStateDict(state: optim.SchedulerState): void {
        this.steps = state.lastEpoch
        this.setLr()
      }
    }
    const model = spiralModel()
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.5 })
    const scheduler = new LinearWarmup(optimizer, 0.5, 8)
    const history = fit(model, data, { epochs: 4, batchSize: 32, optimizer, scheduler }) // 3 batches an epoch
    expect(history.map((r) => r.lr)).toEqual([0.0625, 0.25, 0.4375, 0.5])
    expect(scheduler.stateDict().lastEpoch).toBe(12)
  })

  it('steps your own epoch and metric schedules once an epoch, the metric one with the validation loss', () => {
    const recording = (stepEvery: 'batch' | 'epoch' | 'metric', optimizer: optim.Optimizer) => {
      const calls: Array<number | undefined> = []
      const scheduler: optim.LRScheduler = {
        kind: `every ${stepEvery}`, stepEvery, optimizer, lr: optimizer.lr,
        step: (metric?: number) => void calls.push(metric),
        stateDict: () => ({ kind: `every ${stepEvery}`, lastEpoch: calls.length, lr: optimizer.lr }),
        loadStateDict: () => {},
      }
      return { scheduler, calls }
    }
    for (const stepEvery of ['batch', 'epoch', 'metric'] as const) {
      const model = spiralModel()
      const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 })
      const { scheduler, calls } = recording(stepEvery, optimizer)
      const history = fit(model, data, { epochs: 2, batchSize: 32, optimizer, scheduler, validation: data })
      const expected = { batch: Array(6).fill(undefined), epoch: [undefined, undefined], metric: history.map((r) => r.valLoss) }
      expect(calls, stepEvery).toEqual(expected[stepEvery])
    }
  })

  it('rejects a schedule that does not say when it steps', () => {
    const model = spiralModel()
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 })
    const scheduler = { ...new optim.StepLR(optimizer, { stepSize: 2 }), kind: 'Mine', stepEvery: undefined } as unknown as optim.LRScheduler
    expect(() => fit(model, data, { epochs: 1, optimizer, scheduler })).toThrow(
      "fit: the scheduler Mine has stepEvery undefined; give it stepEvery 'batch', 'epoch' or 'metric' to say when fit calls its step()",
    )
  })

  it('rejects a scheduler built on another optimiser', () => {
    const model = spiralModel()
    const other = new optim.SGD(model.parameters(), { lr: 0.1 })
    expect(() => fit(model, data, { epochs: 1, scheduler: new optim.ExponentialLR(other, { gamma: 0.9 }) })).toThrow(/different optimiser/)
  })
})
