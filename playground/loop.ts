/**
 * The training loop: while playing, each animation frame trains minibatches until its time
 * budget (a few milliseconds) is spent, then the page redraws, so training never freezes the
 * page, however large a dropped CSV is. An epoch is a fixed sequence of batches, so how they
 * fall across frames changes nothing: epoch 100 is the same model whether it took 10 frames
 * or 1,000. A step that throws (the loss became NaN) ends training of that experiment: play
 * and step then only report the error again, until another experiment replaces it (Reset).
 */
import type { EpochRecord, Experiment } from './experiment.js'

export interface LoopEvents {
  /** after every frame of training, and after a step: redraw */
  onFrame(): void
  /** play or pause: relabel the button */
  onPlayingChange(playing: boolean): void
  /** training threw (e.g. the loss became NaN), now or before: the loop has paused */
  onError(error: unknown): void
}

export class TrainingLoop {
  experiment: Experiment
  playing = false
  /** pause once this epoch is done (null: play on) */
  pauseAt: number | null = null
  /** how long one frame may train, in milliseconds; at least one minibatch runs per frame */
  frameBudgetMs = 10
  private readonly events: LoopEvents
  private frameId: number | null = null
  /** what a training step of this experiment threw; it trains no more once set */
  private failed: { error: unknown } | null = null

  constructor(experiment: Experiment, events: LoopEvents) {
    this.experiment = experiment
    this.events = events
  }

  play(): void {
    if (this.playing) return
    if (this.saidFailed()) return
    this.playing = true
    this.events.onPlayingChange(true)
    this.frameId = requestAnimationFrame(this.frame)
  }

  pause(): void {
    if (!this.playing) return
    this.playing = false
    if (this.frameId !== null) cancelAnimationFrame(this.frameId)
    this.frameId = null
    this.events.onPlayingChange(false)
  }

  toggle(): void {
    if (this.playing) this.pause()
    else this.play()
  }

  /** Pause and train to the end of the epoch under way (a whole epoch when none is). */
  step(): void {
    this.pause()
    if (this.saidFailed()) return
    this.train(() => this.experiment.trainEpoch())
    this.events.onFrame()
  }

  /** True, and the error said again, when a step of this experiment threw: it trains no more. */
  private saidFailed(): boolean {
    if (this.failed !== null) this.events.onError(this.failed.error)
    return this.failed !== null
  }

  /** Train another experiment from its epoch 0; a playing loop goes on playing. */
  replace(experiment: Experiment): void {
    this.experiment = experiment
    this.failed = null
    this.events.onFrame()
  }

  /** One animation frame: minibatches until the budget is spent, then a redraw, then the next frame. */
  private readonly frame = (): void => {
    this.frameId = null
    const start = performance.now()
    do {
      if (!this.train(() => this.experiment.trainBatch())) break
    } while (this.playing && performance.now() - start < this.frameBudgetMs)
    this.events.onFrame()
    if (this.playing) this.frameId = requestAnimationFrame(this.frame)
  }

  /**
   * Run some training (a batch or the rest of an epoch, which returns the epoch's record when
   * it ended one); pause on an error or once epoch `pauseAt` is done. False: training must stop.
   */
  private train(work: () => EpochRecord | null): boolean {
    let ended: EpochRecord | null
    try {
      ended = work()
    } catch (e) {
      this.failed = { error: e }
      this.pause()
      this.events.onError(e)
      return false
    }
    if (ended !== null && this.pauseAt !== null && this.experiment.epoch >= this.pauseAt) {
      this.pauseAt = null
      this.pause()
    }
    return true
  }
}
