/** Text the command line prints: tables that line up in a terminal. */
import { precisionRecall } from '../train/metrics.js'

/** A table with a header row, right-aligned numbers, left-aligned first column. */
export function table(header: string[], rows: string[][]): string {
  // A loop, not Math.max(...column): a table may have a row per class, and a spread of many overflows the stack.
  const widths = header.map((h) => h.length)
  for (const row of rows) for (let j = 0; j < widths.length; j++) widths[j] = Math.max(widths[j], row[j].length)
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ')
  return [line(header), ...rows.map(line)].join('\n')
}

/** confusion[true][predicted] with class names along both sides. */
export function confusionTable(confusion: number[][], classes: string[]): string {
  const header = ['true \\ predicted', ...classes]
  return table(header, confusion.map((row, i) => [classes[i], ...row.map(String)]))
}

/** Up to this many classes a report prints the confusion matrix; above, the matrix is too wide to read. */
export const MATRIX_CLASSES = 20

/**
 * The confusion part of a report, headed 'confusion matrix on `rows`:' up to 20 classes; above
 * that (500 classes make a 500 × 500 matrix, 1.5 MB of text) the `top` most frequent confusions.
 */
export function confusionReport(confusion: number[][], classes: string[], rows: string, top = 10): string {
  if (classes.length <= MATRIX_CLASSES) return `confusion matrix on ${rows}:\n${confusionTable(confusion, classes)}`
  const cells: { t: number; p: number; count: number }[] = []
  for (let t = 0; t < confusion.length; t++) {
    for (let p = 0; p < confusion.length; p++) if (t !== p && confusion[t][p] > 0) cells.push({ t, p, count: confusion[t][p] })
  }
  cells.sort((a, b) => b.count - a.count || a.t - b.t || a.p - b.p)
  const heading = `the most frequent confusions on ${rows} (${classes.length} classes are too many for a confusion matrix; --json prints it whole):`
  if (cells.length === 0) return `${heading}\nnone: every row is classified right`
  const shown = cells.slice(0, top).map(({ t, p, count }) => [classes[t], classes[p], String(count)])
  const more = cells.length > top ? `\n… and ${cells.length - top} more pairs of classes confused` : ''
  return `${heading}\n${table(['true', 'predicted', 'rows'], shown)}${more}`
}

/** Per-class precision, recall and rows from a confusion matrix, one line a class. */
export function classScoresTable(confusion: number[][], classes: string[]): string {
  const { precision, recall, support } = precisionRecall(confusion)
  return table(['class', 'precision', 'recall', 'rows'], classes.map((c, k) => [c, percent(precision[k]), percent(recall[k]), String(support[k])]))
}

/**
 * "warning: class 'b' has 1 row in x.csv; `why`" (`where` is 'in x.csv') for the classes with fewer than 2 rows (the
 * first few named), or null when every class has 2 or more.
 */
export function smallClassesWarning(counts: readonly number[], classes: readonly string[], where: string, why: string): string | null {
  const small = []
  for (let k = 0; k < counts.length; k++) if (counts[k] < 2) small.push(k)
  if (small.length === 0) return null
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`
  if (small.length === 1) return `warning: class '${classes[small[0]]}' has ${rows(counts[small[0]])} ${where}; ${why}`
  const named = small.slice(0, 5).map((k) => `'${classes[k]}' ${counts[k]}`).join(', ')
  const more = small.length > 5 ? `, and ${small.length - 5} more` : ''
  return `warning: ${small.length} classes have fewer than 2 rows ${where} (${named}${more}); ${why}`
}

export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`
}

/** Names as a sentence lists them: orList(['sgd', 'adam', 'adamw']) is 'sgd, adam or adamw'. */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}
