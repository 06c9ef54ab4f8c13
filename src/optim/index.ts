/** optim: optimisers (and, later, schedules), each a class used with `new`. */
export { SGD, type SGDOptions } from './sgd.js'
export type { Optimizer } from './optimizer.js'
