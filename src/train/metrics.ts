/** Classification metrics over class indices. */

/** The fraction of predictions equal to the labels, in [0, 1]. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) throw new Error(`accuracy: ${yTrue.length} labels but ${yPred.length} predictions`)
  if (yTrue.length === 0) return 0
  let right = 0
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++
  return right / yTrue.length
}

/** confusion[true][predicted]: counts, as scikit-learn lays it out. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`confusionMatrix: ${yTrue.length} labels but ${yPred.length} predictions`)
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0))
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]
    const p = yPred[i]
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
      throw new Error(`confusionMatrix: row ${i} has label ${t} and prediction ${p}, outside [0, ${numClasses})`)
    }
    m[t][p]++
  }
  return m
}

export interface ClassScores {
  /** of the rows predicted as this class, the fraction that are: TP / (TP + FP); 0 when none were predicted */
  precision: number[]
  /** of the rows of this class, the fraction found: TP / (TP + FN); 0 when the class has no rows */
  recall: number[]
  /** rows of each class */
  support: number[]
}

/** Per-class precision and recall from a confusion matrix. */
export function precisionRecall(confusion: number[][]): ClassScores {
  const c = confusion.length
  const precision: number[] = []
  const recall: number[] = []
  const support: number[] = []
  for (let k = 0; k < c; k++) {
    const tp = confusion[k][k]
    let predicted = 0
    let actual = 0
    for (let j = 0; j < c; j++) {
      predicted += confusion[j][k]
      actual += confusion[k][j]
    }
    precision.push(predicted === 0 ? 0 : tp / predicted)
    recall.push(actual === 0 ? 0 : tp / actual)
    support.push(actual)
  }
  return { precision, recall, support }
}

/**
 * The number of classes labels 0 … K−1 name: the largest label + 1 (0 for no labels).
 * A loop, not Math.max(...y): a spread puts every row on the stack and overflows near 120,000.
 */
export function classCount(y: ArrayLike<number>): number {
  let largest = -1
  for (let i = 0; i < y.length; i++) if (y[i] > largest) largest = y[i]
  return largest + 1
}

/** rowsPerClass([0, 2, 2], 3) → [1, 0, 2]: how many rows each class has. */
export function rowsPerClass(y: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0)
  for (let i = 0; i < y.length; i++) counts[y[i]]++
  return counts
}
