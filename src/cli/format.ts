/** Text the command line prints: tables that line up in a terminal. */

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

export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`
}

/** Names as a sentence lists them: orList(['sgd', 'adam', 'adamw']) is 'sgd, adam or adamw'. */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
}
