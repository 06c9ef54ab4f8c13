/**
 * CSV text → a classification dataset: X (the feature columns as float64), y (class indices)
 * and the names of both. Browser-safe: no `node:` module, no `Buffer` (csv-file.ts reads files).
 *
 *   const { X, y, classes, featureNames } = parseCsv(text, { label: 'species', source: 'iris.csv' })
 *
 * Every error names the source, the line (1-based, the header is line 1) and the column where
 * one applies, quotes the bad value and says what to do. Nothing is silently dropped or NaN.
 */
// NOTE: csv-parse's default `csv-parse/sync` entry calls Node's global `Buffer`, which a browser
// does not have; the browser ESM build ships its own Buffer polyfill and runs in both.
import { parse, type Options } from 'csv-parse/browser/esm/sync'
import { Tensor } from '../tensor.js'

export type CsvDelimiter = ',' | ';' | '\t'

export interface CsvOptions {
  /** the name of the column that holds the class label (names or numbers), wherever it stands */
  label: string
  /** detected among comma, semicolon and tab when not given */
  delimiter?: CsvDelimiter
  /** what errors call the text, usually its file name; default `<text>` */
  source?: string
}

export interface CsvData {
  /** the feature columns, [rows, features] */
  X: Tensor
  /** each row's class: an index into `classes` */
  y: Int32Array
  /** the distinct label values, sorted (numerically when all are numbers) */
  classes: string[]
  /** the feature columns' names, in file order */
  featureNames: string[]
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t']
const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }

/** A row as csv-parse split it, and the physical line it starts on. */
interface Row {
  fields: string[]
  line: number
}

/** A finite decimal number: `3`, `-0.5`, `.5`, `1e-3`, `+2E+10`. Not NaN, inf, hex or ''. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

function isNumber(text: string): boolean {
  return DECIMAL.test(text) && Number.isFinite(Number(text))
}

/** parseCsv('a,b,species\n1,2,setosa\n3,4,virginica', { label: 'species' }) → X [2, 2], y [0, 1] */
export function parseCsv(text: string, options: CsvOptions): CsvData {
  const source = options?.source ?? '<text>'
  checkOptions(text, options, source)
  const { names, rows, lines, delimiter } = readTable(text, options.delimiter, source)
  const labelColumn = findLabel(names, options.label, delimiter, source)
  if (names.length < 2) {
    throw new Error(
      `${source}, line 1: the only column is the label '${options.label}'; a dataset needs at least one feature column ` +
        `(is ${DELIMITER_NAMES[delimiter]} the right delimiter? pass { delimiter })`,
    )
  }
  if (rows.length === 1) {
    throw new Error(`${source}: the header (line 1) has no data rows after it; add one line per sample below it`)
  }

  const featureNames = names.filter((_, j) => j !== labelColumn)
  const n = rows.length - 1
  const width = featureNames.length
  const data = new Float64Array(n * width)
  const labels: string[] = []
  const at = (row: Row, j: number): string => `${source}, line ${lineOf(row, j)}, column '${names[j]}' (${j + 1})`
  for (let r = 0; r < n; r++) {
    const row = rows[r + 1]
    checkRowLength(row, names.length, delimiter, source, lines)
    let k = r * width
    for (let j = 0; j < names.length; j++) {
      const value = row.fields[j].trim() // spaces around a value are not part of it
      if (j === labelColumn) {
        if (value === '') throw new Error(`${at(row, j)}: the label is empty ""; every row needs a class label`)
        labels.push(value)
      } else {
        const x = DECIMAL.test(value) ? Number(value) : NaN
        if (!Number.isFinite(x)) throw numberError(value, at(row, j))
        data[k++] = x
      }
    }
  }

  const classes = sortClasses(new Set(labels))
  if (classes.length < 2) {
    throw new Error(
      `${source}, column '${options.label}' (${labelColumn + 1}): every row has the label ${JSON.stringify(classes[0])}, ` +
        `so there is only one class; classification needs at least 2 classes: check the label column or add rows of another class`,
    )
  }
  const index = new Map(classes.map((c, i) => [c, i]))
  const y = Int32Array.from(labels, (l) => index.get(l)!)
  return { X: new Tensor(data, [n, width]), y, classes, featureNames }
}

/** A parsed CSV: the header's names and every row with its line; errors name the source. */
interface Table {
  names: string[]
  /** rows[0] is the header */
  rows: Row[]
  lines: string[]
  delimiter: CsvDelimiter
}

function readTable(text: string, delimiterOption: CsvDelimiter | undefined, source: string): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // a UTF-8 byte-order mark
  if (text.trim() === '') {
    throw new Error(`${source}: the file is empty; a CSV needs a header line naming the columns, then one line per sample`)
  }
  // NOTE: csv-parse counts a CRLF inside a quoted value as two lines; with every line end made
  // '\n' its line numbers are the file's. A label that holds a quoted CRLF reads as '\n'.
  text = text.replace(/\r\n?/g, '\n')
  const lines = text.split('\n')
  const delimiter = delimiterOption ?? detectDelimiter(text)
  const rows = readRows(text, delimiter, source, lines)
  while (rows.length > 1 && isBlank(rows[rows.length - 1].fields)) rows.pop() // trailing blank lines
  return { names: readHeader(rows[0], source, lines), rows, lines, delimiter }
}

export interface FeatureOptions {
  /** the columns to read, in this order (a model's feature names) */
  featureNames: readonly string[]
  /** a label column to read too, when the file has it */
  label?: string
  /** the classes the labels must be among (a model's classes); y indexes into them */
  classes?: readonly string[]
  delimiter?: CsvDelimiter
  source?: string
}

/**
 * The named feature columns of a CSV, wherever they stand, for a model that was trained on
 * them; other columns are ignored. When `label` names a column the file has, its values are
 * read as indices into `classes` (an unknown class is an error naming line and column).
 *
 *   parseFeatures(text, { featureNames: ['x1', 'x2'] }) → { X: [rows, 2] }
 */
export function parseFeatures(text: string, options: FeatureOptions): { X: Tensor; y?: Int32Array } {
  const source = options.source ?? '<text>'
  if (typeof text !== 'string') throw new Error(`${source}: parseFeatures takes the CSV as a string, got ${typeof text}`)
  const { names, rows, lines, delimiter } = readTable(text, options.delimiter, source)
  const columns = options.featureNames.map((name) => {
    const j = names.indexOf(name)
    if (j < 0) {
      throw new Error(
        `${source}, line 1: there is no column '${name}', which the model needs; it needs ${options.featureNames.map((f) => `'${f}'`).join(', ')} ` +
          `and the file has ${names.map((f) => `'${f}'`).join(', ')}`,
      )
    }
    return j
  })
  const labelColumn = options.label === undefined ? -1 : names.indexOf(options.label)
  const classIndex = new Map((options.classes ?? []).map((c, i) => [c, i]))
  if (rows.length === 1) throw new Error(`${source}: the header (line 1) has no data rows after it; add one line per sample below it`)
  const n = rows.length - 1
  const width = columns.length
  const data = new Float64Array(n * width)
  const y = labelColumn >= 0 ? new Int32Array(n) : undefined
  const at = (row: Row, j: number): string => `${source}, line ${lineOf(row, j)}, column '${names[j]}' (${j + 1})`
  for (let r = 0; r < n; r++) {
    const row = rows[r + 1]
    checkRowLength(row, names.length, delimiter, source, lines)
    columns.forEach((j, k) => {
      const value = row.fields[j].trim()
      const x = DECIMAL.test(value) ? Number(value) : NaN
      if (!Number.isFinite(x)) throw numberError(value, at(row, j))
      data[r * width + k] = x
    })
    if (y !== undefined) {
      const value = row.fields[labelColumn].trim()
      const c = classIndex.get(value)
      if (c === undefined) {
        throw new Error(
          `${at(row, labelColumn)}: the label ${JSON.stringify(value)} is not one of the model's classes ` +
            `${[...classIndex.keys()].map((k) => JSON.stringify(k)).join(', ')}`,
        )
      }
      y[r] = c
    }
  }
  return y === undefined ? { X: new Tensor(data, [n, width]) } : { X: new Tensor(data, [n, width]), y }
}

function checkOptions(text: unknown, options: CsvOptions | undefined, source: string): void {
  if (typeof text !== 'string') {
    throw new Error(`${source}: parseCsv takes the CSV as a string, got ${text === null ? 'null' : typeof text}; decode bytes first, e.g. new TextDecoder().decode(bytes)`)
  }
  if (typeof options?.label !== 'string' || options.label === '') {
    throw new Error(`${source}: the options must name the label column, e.g. { label: 'species' }`)
  }
  if (options.delimiter !== undefined && !DELIMITERS.includes(options.delimiter)) {
    throw new Error(`${source}: delimiter must be ',', ';' or '\\t', got ${JSON.stringify(options.delimiter)}; or leave it out to detect it`)
  }
}

/**
 * The delimiter, when the caller does not give one. Each candidate (comma, semicolon, tab)
 * splits the header and the first data row, quote-aware through csv-parse; it is consistent
 * when the header has at least 2 fields and the data row has as many (or there is no data row).
 * The winner is the consistent candidate with the most header fields. If none is consistent,
 * it is the candidate with the most header fields, and the row-length check then names the
 * bad line. Ties go to the earlier candidate: comma, then semicolon, then tab.
 */
function detectDelimiter(text: string): CsvDelimiter {
  let best: { delimiter: CsvDelimiter; fields: number; consistent: boolean } | null = null
  for (const delimiter of DELIMITERS) {
    const rows = firstRows(text, delimiter)
    const fields = rows === null ? 0 : rows[0].length
    const next = rows?.[1]
    const consistent = rows !== null && fields >= 2 && (next === undefined || isBlank(next) || next.length === fields)
    const better = best === null || (consistent && !best.consistent) || (consistent === best.consistent && fields > best.fields)
    if (better) best = { delimiter, fields, consistent }
  }
  return best!.delimiter
}

/**
 * The first two rows split by `delimiter`, or null when its quotes do not parse. Only a prefix
 * of the text is parsed (cut at a line end, doubled until two whole rows fit), so detecting the
 * delimiter of a large file costs little.
 */
function firstRows(text: string, delimiter: CsvDelimiter): string[][] | null {
  for (let size = 4096; ; size *= 2) {
    const lineEnd = text.indexOf('\n', size)
    const whole = lineEnd < 0
    const end = whole ? text.length : lineEnd + 1
    const rows: string[][] = []
    try {
      parseText(whole ? text : text.slice(0, end), { delimiter, to: 2, on_record: (fields: string[]) => (rows.push(fields), null) })
    } catch {
      if (whole) return null // a quote that only makes sense with another delimiter
      continue // or a quoted value cut at the end of the prefix
    }
    if (whole || rows.length === 2) return rows
  }
}

/** All rows, each with the line it starts on; csv-parse's quote errors turned into ours. */
function readRows(text: string, delimiter: CsvDelimiter, source: string, lines: string[]): Row[] {
  const rows: Row[] = []
  let lastLine = 0 // the line the previous row ended on
  try {
    parseText(text, {
      delimiter,
      on_record: (fields: string[], context: { lines: number }) => {
        rows.push({ fields, line: lastLine + 1 })
        lastLine = context.lines
        return null
      },
    })
  } catch (e) {
    throw quoteError(e, rows, lastLine + 1, source, lines)
  }
  return rows
}

/**
 * csv-parse on a string; rows reach `on_record`. Row lengths are ours to check (to name the
 * line), so csv-parse relaxes them. NOTE: the browser build turns a string into bytes with a
 * slow Buffer polyfill; TextEncoder first makes digits.csv parse about twice as fast.
 */
function parseText(text: string, options: Options): void {
  parse(new TextEncoder().encode(text), { ...options, relax_column_count: true })
}

function quoteError(e: unknown, rows: Row[], rowLine: number, source: string, lines: string[]): Error {
  const error = e as Error & { code?: string; lines?: number; index?: number }
  const names = rows.length > 0 ? rows[0].fields.map((s) => s.trim()) : []
  const column = (j: number | undefined): string =>
    j === undefined ? '' : names[j] ? `, column '${names[j]}' (${j + 1})` : `, column ${j + 1}`
  const fix = 'wrap a value that holds a quote or a delimiter in quotes and double every quote inside it, e.g. "say ""hi"""'
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new Error(`${source}, line ${rowLine}${column(error.index)}: a quote opens in ${quoteLine(lines, rowLine)} and is never closed; ${fix}`, { cause: e })
  }
  if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    const line = error.lines ?? rowLine
    return new Error(`${source}, line ${line}${column(error.index)}: malformed quotes in ${quoteLine(lines, line)}; ${fix}`, { cause: e })
  }
  return new Error(`${source}, line ${error.lines ?? rowLine}: ${error.message}`, { cause: e })
}

/** A physical line of the file, quoted for an error message (shortened when long). */
function quoteLine(lines: string[], line: number): string {
  const text = lines[line - 1] ?? ''
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)
}

function isBlank(fields: string[]): boolean {
  return fields.length === 1 && fields[0].trim() === ''
}

/** The line field j of a row is on: a quoted field before it may hold line breaks. */
function lineOf(row: Row, j: number): number {
  let line = row.line
  for (let i = 0; i < j; i++) line += row.fields[i].split('\n').length - 1
  return line
}

/** The column names; a header is required, so a first line of numbers is an error. */
function readHeader(header: Row, source: string, lines: string[]): string[] {
  const names = header.fields.map((s) => s.trim())
  if (isBlank(header.fields)) {
    throw new Error(`${source}, line 1: the line is blank ""; the first line must be the header naming the columns: remove the blank lines above it`)
  }
  if (names.every(isNumber)) {
    throw new Error(
      `${source}, line 1: ${quoteLine(lines, 1)} is not a header, every field is a number; ` +
        `the first line must name the columns (e.g. "sepal_length,sepal_width,species"): add one`,
    )
  }
  names.forEach((name, j) => {
    if (name === '') {
      throw new Error(`${source}, line 1, column ${j + 1}: the column has no name ""; give every column a name in the header`)
    }
    const first = names.indexOf(name)
    if (first !== j) {
      throw new Error(`${source}, line 1, column '${name}' (${j + 1}): column ${first + 1} has the same name; every column needs a name of its own`)
    }
  })
  return names
}

function findLabel(names: string[], label: string, delimiter: CsvDelimiter, source: string): number {
  const j = names.indexOf(label)
  if (j >= 0) return j
  const shown = names.slice(0, 20).map((s) => `'${s}'`).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '')
  const other = names.find((s) => s.toLowerCase() === label.toLowerCase())
  let hint = other === undefined ? '' : ` (did you mean '${other}'? names are case-sensitive)`
  if (names.length === 1) hint += `; with one column, is ${DELIMITER_NAMES[delimiter]} the right delimiter? pass { delimiter }`
  else if (names.some(isNumber)) hint += '; line 1 holds numbers: is it a header naming the columns?'
  throw new Error(`${source}, line 1: there is no column '${label}' to use as the label; the columns are ${shown}${hint}`)
}

function checkRowLength(row: Row, expected: number, delimiter: CsvDelimiter, source: string, lines: string[]): void {
  const found = row.fields.length
  if (found === expected) return
  if (isBlank(row.fields)) {
    throw new Error(`${source}, line ${row.line}: the line is blank ""; blank lines may only come at the end of the file: remove it`)
  }
  throw new Error(
    `${source}, line ${row.line}: expected ${expected} fields, as in the header, but found ${found} in ${quoteLine(lines, row.line)}; ` +
      `look for a missing or extra ${DELIMITER_NAMES[delimiter]}, or quote a value that contains one`,
  )
}

/** Why `value` is not a feature value, and what to do. */
function numberError(value: string, at: string): Error {
  if (value === '') {
    return new Error(`${at}: the value is empty ""; every feature value must be a finite number: fill it in or remove the row`)
  }
  const special = /^[+-]?(nan|inf|infinity)$/i.test(value) || DECIMAL.test(value) // NaN, inf, 1e999
  const hint = special
    ? ': fill in or remove missing and infinite values before loading'
    : /^[+-]?\d+,\d+$/.test(value)
      ? ` (a decimal comma? write ${value.replace(',', '.')})`
      : ''
  return new Error(`${at}: ${JSON.stringify(value)} is not ${special ? 'a finite number' : 'a number'}; every feature value must be a finite number${hint}`)
}

/** Sorted label values: numerically when all are numbers ('2' < '10'), else plain a < b. */
function sortClasses(labels: Set<string>): string[] {
  const classes = [...labels]
  const plain = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  if (classes.every(isNumber)) return classes.sort((a, b) => Number(a) - Number(b) || plain(a, b))
  return classes.sort(plain)
}
