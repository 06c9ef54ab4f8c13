/**
 * CSV bytes → a classification dataset: X (the feature columns as float64), y (class indices)
 * and the names of both. Browser-safe: no `node:` module, no `Buffer` (csv-file.ts reads files).
 *
 *   const { X, y, classes, featureNames } = parseCsv(text, { label: 'species', source: 'iris.csv' })
 *
 * CsvReader takes the bytes in chunks that may end anywhere (inside a quoted value, a UTF-8
 * character or a CRLF) and keeps no text: each row goes into csv-table.ts's growing arrays as
 * it is parsed. parseCsv hands it a string in one chunk; loadCsv hands it a file, a chunk at a
 * time, with csv-parse's stream parser. Every error names the source, the line (1-based, the
 * header is line 1) and the column where one applies, quotes the bad value and says what to do.
 */
// NOTE: csv-parse's default `csv-parse/sync` entry calls Node's global `Buffer`, which a browser
// does not have; the browser ESM build ships its own Buffer polyfill and runs in both.
import { parse, type Options } from 'csv-parse/browser/esm/sync'
import type { Tensor } from '../tensor.js'
import { CsvTable, isBlank, type Table, type TableSpec } from './csv-table.js'

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

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t']

/** parseCsv('a,b,species\n1,2,setosa\n3,4,virginica', { label: 'species' }) → X [2, 2], y [0, 1] */
export function parseCsv(text: string, options: CsvOptions): CsvData {
  const source = options?.source ?? '<text>'
  checkOptions(text, options, source)
  const { X, y, classes, featureNames } = readText(text, { label: options.label }, options.delimiter, source)
  return { X, y: y!, classes, featureNames }
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
  const { X, y } = readText(text, options, options.delimiter, source)
  return y === undefined ? { X } : { X, y }
}

function readText(text: string, spec: TableSpec, delimiter: CsvDelimiter | undefined, source: string): Table {
  // NOTE: the browser build turns a string into bytes with a slow Buffer polyfill; TextEncoder
  // first makes digits.csv parse about twice as fast.
  const bytes = new TextEncoder().encode(text)
  const reader = new CsvReader(spec, { delimiter, source, again: () => [bytes] })
  reader.write(bytes)
  return reader.end()
}

function checkOptions(text: unknown, options: CsvOptions | undefined, source: string): void {
  if (typeof text !== 'string') {
    throw new Error(`${source}: parseCsv takes the CSV as a string, got ${text === null ? 'null' : typeof text}; decode bytes first, e.g. new TextDecoder().decode(bytes)`)
  }
  checkCsvOptions(options, source)
}

/** The label names a column and the delimiter is one of the three (loadCsv checks them too). */
export function checkCsvOptions(options: Omit<CsvOptions, 'source'> | undefined, source: string): asserts options is Omit<CsvOptions, 'source'> {
  if (typeof options?.label !== 'string' || options.label === '') {
    throw new Error(`${source}: the options must name the label column, e.g. { label: 'species' }`)
  }
  if (options.delimiter !== undefined && !DELIMITERS.includes(options.delimiter)) {
    throw new Error(`${source}: delimiter must be ',', ';' or '\\t', got ${JSON.stringify(options.delimiter)}; or leave it out to detect it`)
  }
}

/** csv-parse, fed in pieces: rows reach `on_record` as they are parsed, errors are thrown. */
export interface CsvParser {
  write(bytes: Uint8Array): void
  end(): void
}

export interface ReaderOptions {
  delimiter?: CsvDelimiter
  /** what errors call the bytes, usually the file's name */
  source: string
  /** the bytes again from the start, for the line an error quotes: the reader keeps no lines */
  again: () => Iterable<Uint8Array>
  /** the file's size in bytes, when known: from it and the first rows the reader estimates how many rows come */
  size?: number
  /** csv-parse as the caller has it: Node's stream parser in csv-file.ts; by default the sync one */
  parser?: (options: Options) => CsvParser
}

/**
 * CSV bytes in, in chunks; the table out (see csv-table.ts). On the way in the bytes are checked
 * to be UTF-8 (a UTF-8 byte-order mark is dropped), their line ends made '\n', the delimiter
 * detected from the first rows; then csv-parse splits them into rows.
 *
 *   const reader = new CsvReader({ label: 'species' }, { source: 'iris.csv', again })
 *   for (const chunk of chunks) reader.write(chunk)
 *   const { X, y, classes, featureNames } = reader.end()
 */
export class CsvReader {
  readonly #spec: TableSpec
  readonly #options: ReaderOptions
  readonly #decoder = new TextDecoder('utf-8', { fatal: true })
  /** the file's first bytes, until there are 4 to tell its encoding by; null once told */
  #first: Uint8Array | null = new Uint8Array(0)
  /** the last chunk ended with a CR, so a LF that starts the next one ends the same line */
  #afterCr = false
  /** lines ended so far, for an encoding error's line */
  #lines = 0
  /** whether anything but spaces and line ends has come: else the file is empty */
  #seenText = false
  /** the chunks that come before the delimiter is known, and how many bytes detecting it needs */
  #head: Uint8Array[] = []
  #wanted = 65536
  #table: CsvTable | null = null
  #parser: CsvParser | null = null
  /** the line the previous row ended on */
  #lastLine = 0
  /** bytes given to csv-parse, and whether the table has room reserved by an estimate */
  #fed = 0
  #reserved = false

  constructor(spec: TableSpec, options: ReaderOptions) {
    this.#spec = spec
    this.#options = options
  }

  /** The next bytes of the file. */
  write(chunk: Uint8Array): void {
    this.#rows(this.#text(chunk, false), false)
  }

  /** The file is over: the last rows, then the table. */
  end(): Table {
    this.#rows(this.#text(new Uint8Array(0), true), true)
    this.#parse(() => this.#parser!.end())
    return this.#table!.finish()
  }

  /** Bytes → checked UTF-8 with '\n' line ends, the byte-order mark gone. */
  #text(chunk: Uint8Array, end: boolean): Uint8Array {
    const { source } = this.#options
    if (this.#first !== null) {
      chunk = join([this.#first, chunk])
      if (chunk.length < 4 && !end) {
        this.#first = chunk
        return new Uint8Array(0)
      }
      this.#first = null
      const encoding = otherEncoding(chunk)
      if (encoding !== null) {
        throw new Error(`${source} is ${encoding.name}; save it as UTF-8 (in a spreadsheet "CSV UTF-8", or iconv -f ${encoding.iconv} -t UTF-8)`)
      }
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3) // a UTF-8 byte-order mark
    }
    const bytes = toLf(chunk, this.#afterCr)
    if (chunk.length > 0) this.#afterCr = chunk[chunk.length - 1] === 13
    try {
      this.#decoder.decode(bytes, { stream: !end })
    } catch (e) {
      const line = this.#lines + 1 + countLf(bytes.subarray(0, firstBadByte(bytes)))
      throw new Error(
        `${source} is not UTF-8: line ${line}, ${this.#quote(line)}, has bytes that UTF-8 does not allow (shown as \ufffd); ` +
          `it may be Latin-1 or Windows-1252: save it as UTF-8 (in a spreadsheet "CSV UTF-8", or iconv -f WINDOWS-1252 -t UTF-8)`,
        { cause: e },
      )
    }
    const zero = bytes.indexOf(0)
    if (zero >= 0) {
      const line = this.#lines + 1 + countLf(bytes.subarray(0, zero))
      throw new Error(`${source} is not UTF-8 text: line ${line} has a zero byte, which text does not have (is it UTF-16, or not a CSV?); save it as UTF-8`)
    }
    this.#lines += countLf(bytes)
    this.#seenText ||= bytes.some((b) => b !== 32 && b !== 9 && b !== 10)
    return bytes
  }

  /** Text → rows: held back until the delimiter is known, then through csv-parse to the table. */
  #rows(bytes: Uint8Array, end: boolean): void {
    if (this.#parser !== null) return this.#feed(bytes)
    if (bytes.length > 0) this.#head.push(bytes)
    const held = this.#head.reduce((n, b) => n + b.length, 0)
    if (!end && (held < this.#wanted || !this.#seenText)) return
    const { source } = this.#options
    if (!this.#seenText) {
      throw new Error(`${source}: the file is empty; a CSV needs a header line naming the columns, then one line per sample`)
    }
    const head = join(this.#head)
    const delimiter = this.#options.delimiter ?? detectDelimiter(head, end)
    if (delimiter === null) {
      this.#head = [head]
      this.#wanted = 2 * held
      return
    }
    this.#head = []
    this.#table = new CsvTable(this.#spec, source, delimiter, this.#quote)
    // Row lengths are the table's to check (to name the line), so csv-parse relaxes them.
    const options: Options = { delimiter, relax_column_count: true, on_record: this.#onRecord }
    this.#parser = (this.#options.parser ?? wholeParser)(options)
    this.#feed(head)
  }

  #feed(bytes: Uint8Array): void {
    this.#parse(() => this.#parser!.write(bytes))
    this.#fed += bytes.length
    // With a file's size and its first thousand rows, room for all of its rows at once (and 5% more).
    const { size } = this.#options
    const rows = this.#table!.rows
    if (!this.#reserved && size !== undefined && rows >= 1000) {
      this.#table!.reserve(Math.ceil((rows * size) / this.#fed * 1.05))
      this.#reserved = true
    }
  }

  #onRecord = (fields: string[], context: { lines: number }): null => {
    this.#table!.row(fields, this.#lastLine + 1)
    this.#lastLine = context.lines
    return null
  }

  /** A step of csv-parse, its quote errors turned into ours (the table's errors pass as they are). */
  #parse(step: () => void): void {
    try {
      step()
    } catch (e) {
      throw typeof (e as { code?: unknown }).code === 'string' ? this.#quoteError(e) : e
    }
  }

  #quoteError(e: unknown): Error {
    const error = e as Error & { code?: string; lines?: number; index?: number }
    const { source } = this.#options
    const rowLine = this.#lastLine + 1
    const names = this.#table?.names ?? []
    const column = (j: number | undefined): string =>
      j === undefined ? '' : names[j] ? `, column '${names[j]}' (${j + 1})` : `, column ${j + 1}`
    const fix = 'wrap a value that holds a quote or a delimiter in quotes and double every quote inside it, e.g. "say ""hi"""'
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new Error(`${source}, line ${rowLine}${column(error.index)}: a quote opens in ${this.#quote(rowLine)} and is never closed; ${fix}`, { cause: e })
    }
    if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
      const line = error.lines ?? rowLine
      return new Error(`${source}, line ${line}${column(error.index)}: malformed quotes in ${this.#quote(line)}; ${fix}`, { cause: e })
    }
    return new Error(`${source}, line ${error.lines ?? rowLine}: ${error.message}`, { cause: e })
  }

  /** A physical line of the file, quoted for an error message (shortened when long). */
  #quote = (line: number): string => {
    const text = findLine(this.#options.again(), line)
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)
  }
}

/**
 * csv-parse's sync API, which parses one piece: the pieces are joined at the end. For text that
 * is in memory anyway (parseCsv, the browser); csv-file.ts streams a file through Node's parser.
 */
function wholeParser(options: Options): CsvParser {
  const pieces: Uint8Array[] = []
  return { write: (bytes) => void pieces.push(bytes), end: () => void parse(join(pieces), options) }
}

/**
 * The delimiter, when the caller does not give one. Each candidate (comma, semicolon, tab)
 * splits the header and the first data row, quote-aware through csv-parse; it is consistent
 * when the header has at least 2 fields and the data row has as many (or there is no data row).
 * The winner is the consistent candidate with the most header fields. If none is consistent,
 * it is the candidate with the most header fields, and the row-length check then names the
 * bad line. Ties go to the earlier candidate: comma, then semicolon, then tab. Null when `head`,
 * the file's first bytes, ends before two rows do: the reader then waits for more.
 */
function detectDelimiter(head: Uint8Array, whole: boolean): CsvDelimiter | null {
  // Up to the last line end: a row cut in two is no row.
  const text = whole ? head : head.subarray(0, head.lastIndexOf(10) + 1)
  let best: { delimiter: CsvDelimiter; fields: number; consistent: boolean } | null = null
  for (const delimiter of DELIMITERS) {
    const rows = firstRows(text, delimiter, whole)
    if (rows === 'more') return null
    const fields = rows === null ? 0 : rows[0].length
    const next = rows?.[1]
    const consistent = rows !== null && fields >= 2 && (next === undefined || isBlank(next) || next.length === fields)
    const better = best === null || (consistent && !best.consistent) || (consistent === best.consistent && fields > best.fields)
    if (better) best = { delimiter, fields, consistent }
  }
  return best!.delimiter
}

/** The first two rows split by `delimiter`; null when its quotes do not parse; 'more' when the text may end too soon to say. */
function firstRows(text: Uint8Array, delimiter: CsvDelimiter, whole: boolean): string[][] | null | 'more' {
  const rows: string[][] = []
  try {
    parse(text, { delimiter, to: 2, relax_column_count: true, on_record: (fields: string[]) => (rows.push(fields), null) })
  } catch (e) {
    // A quote that only makes sense with another delimiter, or a quoted value cut at the end of the text.
    return !whole && (e as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED' ? 'more' : null
  }
  return rows.length < 2 && !whole ? 'more' : rows
}

/**
 * The encoding of a file that is not UTF-8 but UTF-16 or UTF-32, told by its first bytes: a
 * byte-order mark, or the zero bytes those put beside every ASCII character. Null for UTF-8.
 */
function otherEncoding(b: Uint8Array): { name: string; iconv: string } | null {
  const [b0, b1, b2, b3] = b
  const utf32 = b2 === 0 && b3 === 0
  if ((b0 === 0xff && b1 === 0xfe) || (b0 !== 0 && b1 === 0)) {
    return utf32 ? { name: 'UTF-32 (little-endian)', iconv: 'UTF-32LE' } : { name: 'UTF-16 (little-endian)', iconv: 'UTF-16LE' }
  }
  if (b0 === 0 && b1 === 0 && ((b2 === 0xfe && b3 === 0xff) || (b2 === 0 && b3 !== 0))) return { name: 'UTF-32 (big-endian)', iconv: 'UTF-32BE' }
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0 && b1 !== 0)) return { name: 'UTF-16 (big-endian)', iconv: 'UTF-16BE' }
  return null
}

/** CRLF and a lone CR made LF: csv-parse counts a CRLF inside a quoted value as two lines. */
function toLf(bytes: Uint8Array, afterCr: boolean): Uint8Array {
  if (bytes.indexOf(13) < 0 && !(afterCr && bytes[0] === 10)) return bytes
  const out = new Uint8Array(bytes.length)
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (b === 10 && (i > 0 ? bytes[i - 1] === 13 : afterCr)) continue // the LF of a CRLF
    out[n++] = b === 13 ? 10 : b
  }
  return out.subarray(0, n)
}

function countLf(bytes: Uint8Array): number {
  let n = 0
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++
  return n
}

/** Where in `bytes` a UTF-8 decoder first fails: the shortest prefix it rejects, by bisection. */
function firstBadByte(bytes: Uint8Array): number {
  const decodes = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true })
      return true
    } catch {
      return false
    }
  }
  if (decodes(bytes.length)) return 0 // it failed on a character begun in the chunk before
  let ok = 0
  let bad = bytes.length
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1
    if (decodes(mid)) ok = mid
    else bad = mid
  }
  return bad - 1
}

/** Line `n` (1-based) of the bytes, read again from the start, line ends as the reader makes them; at most 400 bytes of it. */
function findLine(chunks: Iterable<Uint8Array>, n: number): string {
  const kept: Uint8Array[] = []
  let size = 0
  let line = 1
  let afterCr = false
  for (const chunk of chunks) {
    const bytes = toLf(chunk, afterCr)
    if (chunk.length > 0) afterCr = chunk[chunk.length - 1] === 13
    let at = 0
    while (line < n && at < bytes.length) {
      const lf = bytes.indexOf(10, at)
      if (lf < 0) at = bytes.length
      else (line++, (at = lf + 1))
    }
    if (line < n) continue
    const lf = bytes.indexOf(10, at)
    const piece = bytes.subarray(at, Math.min(lf < 0 ? bytes.length : lf, at + 400 - size))
    kept.push(piece)
    size += piece.length
    if (lf >= 0 || size >= 400) break
  }
  const text = new TextDecoder().decode(join(kept))
  return n === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text // a UTF-8 byte-order mark
}

function join(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of pieces) (out.set(p, at), (at += p.length))
  return out
}
