/**
 * A small handle on the page for the end-to-end tests (test/browser/), as
 * `window.softgradPlayground`: stop playing at an exact epoch, change how much one frame trains,
 * ask the live model for predictions, read every epoch's numbers, and find where a point is
 * drawn. The tests still press the page's real buttons and click its canvas; these only make
 * "epoch 100 exactly", "the page's predictions", "the first epoch at 90%" and "where to click"
 * observable.
 */
import { softmax, tensor } from '../src/browser.js'
import type { TrainingLoop } from './loop.js'
import type { BoundaryView } from './boundary.js'
import type { Selection } from './state.js'
import type { EpochRecord } from './experiment.js'

export interface PlaygroundHooks {
  /** the next time play runs, pause once this epoch is done */
  pauseAt(epoch: number): void
  /** how many milliseconds one animation frame may train (0: one epoch a frame) */
  setFrameBudget(ms: number): void
  /**
   * the live model on raw feature rows (in the order of featureNames): class names and
   * probabilities at `temperature`, by default the fitted one when calibrate is on (what the
   * downloaded model predicts) and 1 otherwise
   */
  predict(rows: number[][], temperature?: number): { classes: string[]; probs: number[][] }
  featureNames(): string[]
  /** every epoch's numbers so far, full precision, in order (epoch 1 first) */
  records(): EpochRecord[]
  /** where a point of the data is drawn on the boundary canvas, in CSS pixels: somewhere to click */
  pointOnScreen(selection: Selection): [number, number]
}

declare global {
  interface Window {
    softgradPlayground?: PlaygroundHooks
  }
}

export function installTestHooks(loop: TrainingLoop, boundary: BoundaryView): void {
  window.softgradPlayground = {
    pauseAt: (epoch) => {
      loop.pauseAt = epoch
    },
    setFrameBudget: (ms) => {
      loop.frameBudgetMs = ms
    },
    predict: (rows, temperature = loop.experiment.temperature ?? 1) => {
      const { data } = loop.experiment
      const probs = softmax(loop.experiment.logits(tensor(rows)), { temperature })
      const c = probs.shape[1]
      return {
        classes: Array.from(probs.argmax(-1), (k) => data.classes[k]),
        probs: rows.map((_, i) => Array.from(probs.data.subarray(i * c, (i + 1) * c))),
      }
    },
    featureNames: () => loop.experiment.data.featureNames.slice(),
    records: () => loop.experiment.records.map((record) => ({ ...record })),
    pointOnScreen: (selection) => boundary.toScreen(loop.experiment.point(selection).features),
  }
}
