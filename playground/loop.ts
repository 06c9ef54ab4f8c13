/**
 * The training loop: while playing, each animation frame trains whole epochs until its time
 * budget (a few milliseconds) is spent, then the page redraws, so training never freezes the
 * page. Epochs are the unit of work, so how they fall across frames changes nothing: epoch 100
 * is the same model whether it took 10 frames or 100.
 */
import type { Experiment } from './experiment.js'

export interface LoopEvents {
  /** after every frame of training, and after a step: redraw */
  onFrame(): void
  /** play or pause: relabel the button */
  onPlayingChange(playing: boolean): void
  /** training threw (e.g. the loss became NaN): the loop has paused */
  onError(error: Error): void
}

export class TrainingLoop {
  experiment: Experiment
  playing = false
  /** pause once this epoch is done (null: play on) */
  pauseAt: number | null = null
  /** how long one frame may train, in milliseconds; at least one epoch runs per frame */
  frameBudgetMs = 10
  private readonly events: LoopEvents
  private frameId: number | null = null

  constructor(experiment: Experiment, events: LoopEvents) {
    this.experiment = experiment
    this.events = events
  }

  play(): void {
    if (this.playing) return
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

  /** Pause and train exactly one epoch. */
  step(): void {
    this.pause()
    this.trainOneEpoch()
    this.events.onFrame()
  }

  /** Train another experiment from its epoch 0; a playing loop goes on playing. */
  replace(experiment: Experiment): void {
    this.experiment = experiment
    this.events.onFrame()
  }

  /** One animation frame: epochs until the budget is spent, then a redraw, then the next frame. */
  private readonly frame = (): void => {
    this.frameId = null
    const start = performance.now()
    do {
      if (!this.trainOneEpoch()) break
    } while (this.playing && performance.now() - start < this.frameBudgetMs)
    this.events.onFrame()
    if (this.playing) this.frameId = requestAnimationFrame(this.frame)
  }

  /** Train one epoch; pause on an error or at `pauseAt`. Returns false when training must stop. */
  private trainOneEpoch(): boolean {
    try {
      this.experiment.trainEpoch()
    } catch (e) {
      this.pause()
      this.events.onError(e as Error)
      return false
    }
    if (this.pauseAt !== null && this.experiment.epoch >= this.pauseAt) {
      this.pauseAt = null
      this.pause()
    }
    return true
  }
}
