/**
 * A CSV's rows → a dataset, one row at a time: the header names the columns, each row's values
 * go straight into growing float64 arrays and its label into a class map, so no row is kept.
 * The one place rows become X and y: parseCsv feeds it a string's rows, loadCsv a file's, chunk
 * by chunk (csv.ts). Browser-safe.
 *
 * Every error names the source, the line (1-based, the header is line 1) and the column where
 * one applies, quotes the bad value and says what to do. Nothing is silently dropped or NaN.
 */
import { Tensor } from '../tensor.js'
import { GrowingArray } from './growing-array.js'
import type { CsvDelimiter } from './csv.js'

export const DELIMITER_NAMES: Record<CsvDelimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }

/** What to read: every column but the label (a dataset to train on), or a model's named columns. */
export type TableSpec =
  | { label: string }
  | { featureNames: readonly string[]; label?: string; classes?: readonly string[] }

/** The table read: X [rows, features]; y when there is a label column; the classes y indexes. */
export interface Table {
  X: Tensor
  y?: Int32Array
  classes: string[]
  featureNames: string[]
}

/** A finite decimal number: `3`, `-0.5`, `.5`, `1e-3`, `+2E+10`. Not NaN, inf, hex or ''. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

export function isNumber(text: string): boolean {
  return DECIMAL.test(text) && Number.isFinite(Number(text))
}

export function isBlank(fields: string[]): boolean {
  return fields.length === 1 && fields[0].trim() === ''
}

export class CsvTable {
  /** the header's names, once line 1 is read */
  names: string[] | null = null
  /** the columns read into X, in X's order */
  #columns: number[] = []
  #labelColumn = -1
  /** label → class number: the model's classes, or each new label as it first appears */
  #classIndex = new Map<string, number>()
  #values = new GrowingArray()
  #labels = new GrowingArray()
  #rows = 0
  /** blank lines seen and not yet followed by a row: fine at the end of the file, an error before a row */
  #blankLine = 0

  /**
   * @param quote the text of a physical line, quoted for an error message
   */
  constructor(
    readonly spec: TableSpec,
    readonly source: string,
    readonly delimiter: CsvDelimiter,
    readonly quote: (line: number) => string,
  ) {
    if ('featureNames' in spec) spec.classes?.forEach((c, i) => this.#classIndex.set(c, i))
  }

  /** One row as csv-parse split it, and the physical line it starts on. */
  row(fields: string[], line: number): void {
    if (isBlank(fields)) {
      if (this.#blankLine === 0) this.#blankLine = line
      return
    }
    if (this.#blankLine !== 0) {
      const blank = this.#blankLine
      if (blank === 1) {
        throw new Error(`${this.source}, line 1: the line is blank ""; the first line must be the header naming the columns: remove the blank lines above it`)
      }
      throw new Error(`${this.source}, line ${blank}: the line is blank ""; blank lines may only come at the end of the file: remove it`)
    }
    if (this.names === null) return this.#header(fields)
    const names = this.names
    if (fields.length !== names.length) {
      throw new Error(
        `${this.source}, line ${line}: expected ${names.length} fields, as in the header, but found ${fields.length} in ${this.quote(line)}; ` +
          `look for a missing or extra ${DELIMITER_NAMES[this.delimiter]}, or quote a value that contains one`,
      )
    }
    for (const j of this.#columns) {
      const value = fields[j].trim() // spaces around a value are not part of it
      const x = DECIMAL.test(value) ? Number(value) : NaN
      if (!Number.isFinite(x)) throw numberError(value, this.#at(fields, line, j))
      this.#values.push(x)
    }
    if (this.#labelColumn >= 0) this.#labels.push(this.#classOf(fields, line))
    this.#rows++
  }

  /** Rows read so far. */
  get rows(): number {
    return this.#rows
  }

  /** Room for about `rows` rows in all, so the values need not be copied into one array at the end. */
  reserve(rows: number): void {
    this.#values.reserve(rows * this.#columns.length)
  }

  /** The dataset, once every row is in. */
  finish(): Table {
    if (this.names === null) {
      throw new Error(`${this.source}: the file is empty; a CSV needs a header line naming the columns, then one line per sample`)
    }
    if (this.#rows === 0) throw new Error(`${this.source}: the header (line 1) has no data rows after it; add one line per sample below it`)
    const featureNames = this.#columns.map((j) => this.names![j])
    const X = new Tensor(this.#values.take(), [this.#rows, featureNames.length])
    const known = 'featureNames' in this.spec
    if (this.#labelColumn < 0) return { X, classes: known ? [...this.#classIndex.keys()] : [], featureNames }
    const labels = this.#labels.take()
    if (known) return { X, y: Int32Array.from(labels), classes: [...this.#classIndex.keys()], featureNames }

    // Labels were numbered as they first appeared; the classes are sorted, so renumber.
    const seen = [...this.#classIndex.keys()]
    const classes = sortClasses(seen)
    if (classes.length < 2) {
      throw new Error(
        `${this.source}, column '${this.names[this.#labelColumn]}' (${this.#labelColumn + 1}): every row has the label ${JSON.stringify(classes[0])}, ` +
          `so there is only one class; classification needs at least 2 classes: check the label column or add rows of another class`,
      )
    }
    const sorted = new Map(classes.map((c, i) => [c, i]))
    const renumber = seen.map((c) => sorted.get(c)!)
    return { X, y: Int32Array.from(labels, (id) => renumber[id]), classes, featureNames }
  }

  /** Line 1: the names, checked, and the columns to read. */
  #header(fields: string[]): void {
    const names = readHeader(fields, this.source, this.quote)
    const spec = this.spec
    if ('featureNames' in spec) {
      this.#columns = spec.featureNames.map((name) => {
        const j = names.indexOf(name)
        if (j < 0) {
          throw new Error(
            `${this.source}, line 1: there is no column '${name}', which the model needs; it needs ${spec.featureNames.map((f) => `'${f}'`).join(', ')} ` +
              `and the file has ${names.map((f) => `'${f}'`).join(', ')}`,
          )
        }
        return j
      })
      this.#labelColumn = spec.label === undefined ? -1 : names.indexOf(spec.label)
    } else {
      this.#labelColumn = findLabel(names, spec.label, this.delimiter, this.source)
      if (names.length < 2) {
        throw new Error(
          `${this.source}, line 1: the only column is the label '${spec.label}'; a dataset needs at least one feature column ` +
            `(is ${DELIMITER_NAMES[this.delimiter]} the right delimiter? pass { delimiter })`,
        )
      }
      this.#columns = names.map((_, j) => j).filter((j) => j !== this.#labelColumn)
    }
    this.names = names
  }

  /** The class number of a row's label: a new one for a new label, or the model's. */
  #classOf(fields: string[], line: number): number {
    const j = this.#labelColumn
    const value = fields[j].trim()
    const c = this.#classIndex.get(value)
    if (c !== undefined) return c
    if ('featureNames' in this.spec) {
      throw new Error(
        `${this.#at(fields, line, j)}: the label ${JSON.stringify(value)} is not one of the model's classes ` +
          `${[...this.#classIndex.keys()].map((k) => JSON.stringify(k)).join(', ')}`,
      )
    }
    if (value === '') throw new Error(`${this.#at(fields, line, j)}: the label is empty ""; every row needs a class label`)
    this.#classIndex.set(value, this.#classIndex.size)
    return this.#classIndex.size - 1
  }

  /** `file, line L, column 'name' (j+1)`: a quoted value before column j may hold line breaks. */
  #at(fields: string[], line: number, j: number): string {
    for (let i = 0; i < j; i++) line += fields[i].split('\n').length - 1
    return `${this.source}, line ${line}, column '${this.names![j]}' (${j + 1})`
  }
}

/** The column names; a header is required, so a first line of numbers is an error. */
function readHeader(fields: string[], source: string, quote: (line: number) => string): string[] {
  const names = fields.map((s) => s.trim())
  if (names.every(isNumber)) {
    throw new Error(
      `${source}, line 1: ${quote(1)} is not a header, every field is a number; ` +
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
function sortClasses(labels: string[]): string[] {
  const classes = [...labels]
  const plain = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  if (classes.every(isNumber)) return classes.sort((a, b) => Number(a) - Number(b) || plain(a, b))
  return classes.sort(plain)
}
