/**
 * softgrad: a small, fast, readable neural-network framework that proves its own gradients.
 * Everything public is re-exported here; nothing else is public. The browser-safe core is
 * src/browser.ts (`softgrad/browser`); this entry adds what needs Node.
 *
 * @module
 */
export * from './browser.js'
export { loadCsv, loadCsvStream, loadFeatures, type ReadOptions } from './data/csv-file.js'
export { saveModel, loadModel } from './io/model-file.js'

// Node: `progress: true` in fit means a terminal progress bar.
import { setDefaultProgress } from './train/progress.js'
import { terminalProgress } from './train/terminal-progress.js'
setDefaultProgress(terminalProgress)
