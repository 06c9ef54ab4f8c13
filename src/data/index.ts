export { batches, type Batch, type BatchOptions } from './batches.js'
export * as toy from './toy.js'
export type { ToyData, ToyOptions } from './toy.js'
