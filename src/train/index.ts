export { Trainer, fit, fitAsync, evaluate, predict, type Dataset, type HistoryRow, type FitOptions, type EarlyStoppingOptions, type Monitor, type Evaluation, type Prediction, type Labels } from './trainer.js'
export { accuracy, confusionMatrix, precisionRecall, type ClassScores } from './metrics.js'
export { setDefaultProgress, type ProgressReporter, type ProgressInfo } from './progress.js'
