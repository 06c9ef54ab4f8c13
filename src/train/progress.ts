/**
 * Progress reporting for fit. train/ imports nothing from Node: the terminal bar lives in
 * src/train/terminal-progress.ts, which src/index.ts installs as the default for Node.
 */

export interface ProgressInfo {
  epoch: number
  epochs: number
  loss: number
  accuracy: number
  valLoss?: number
  valAccuracy?: number
}

export interface ProgressReporter {
  start(totalEpochs: number): void
  tick(info: ProgressInfo): void
  stop(): void
}

let makeDefault: (() => ProgressReporter | null) | null = null

/** Install what `progress: true` means (index.ts does, for Node's terminal). */
export function setDefaultProgress(factory: (() => ProgressReporter | null) | null): void {
  makeDefault = factory
}

/** The reporter to use for fit's `progress` option, or null for none. */
export function resolveProgress(progress: boolean | ProgressReporter | undefined): ProgressReporter | null {
  if (progress === undefined || progress === false) return null
  if (progress === true) return makeDefault?.() ?? null
  return progress
}
