/**
 * Reading a CSV file (Node only): the file is read a chunk at a time and each chunk goes through
 * csv-parse's stream parser into CsvReader (csv.ts), so memory holds the numbers, not the text:
 * a 600 MB file loads in about the memory of its values. The browser half is csv.ts.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Parser, type Options } from 'csv-parse'
import { CsvReader, checkCsvOptions, type CsvData, type CsvOptions, type CsvParser, type FeatureOptions } from './csv.js'
import type { TableSpec, Table } from './csv-table.js'
import type { Tensor } from '../tensor.js'

export interface ReadOptions {
  /** called after each chunk with the bytes read so far and the file's size (the CLI shows it) */
  onProgress?: (bytesRead: number, bytes: number) => void
  /** bytes read at a time; default 1 MiB */
  chunkSize?: number
}

/** loadCsv('datasets/iris.csv', { label: 'species' }) → { X [150, 4], y, classes, featureNames } */
export function loadCsv(path: string, options: Omit<CsvOptions, 'source'> & ReadOptions): CsvData {
  checkCsvOptions(options, path)
  const { X, y, classes, featureNames } = readFile(path, 'loadCsv', { label: options.label }, options)
  return { X, y: y!, classes, featureNames }
}

/** loadFeatures('new.csv', { featureNames: metadata.featureNames }) → { X } (see parseFeatures) */
export function loadFeatures(path: string, options: Omit<FeatureOptions, 'source'> & ReadOptions): { X: Tensor; y?: Int32Array } {
  const { X, y } = readFile(path, 'loadFeatures', options, options)
  return y === undefined ? { X } : { X, y }
}

/**
 * loadCsv without blocking: the file comes through a read stream, so other work (a progress
 * display, a server's requests) runs between its chunks.
 *
 *   const { X, y, classes } = await loadCsvStream('big.csv', { label: 'species' })
 */
export async function loadCsvStream(path: string, options: Omit<CsvOptions, 'source'> & ReadOptions): Promise<CsvData> {
  checkCsvOptions(options, path)
  const file = await open(path).catch((e: unknown) => {
    throw openError(e, path, 'loadCsvStream')
  })
  try {
    const { size } = await file.stat()
    const reader = newReader(path, { label: options.label }, options, size)
    let read = 0
    for await (const chunk of file.createReadStream({ highWaterMark: options.chunkSize ?? CHUNK })) {
      reader.write(chunk)
      read += chunk.length
      options.onProgress?.(read, size)
    }
    const { X, y, classes, featureNames } = reader.end()
    return { X, y: y!, classes, featureNames }
  } finally {
    await file.close()
  }
}

const CHUNK = 1 << 20

/** The file through a CsvReader, a chunk at a time, synchronously. */
function readFile(path: string, op: string, spec: TableSpec, options: ReadOptions & { delimiter?: CsvOptions['delimiter'] }): Table {
  const fd = openFile(path, op)
  try {
    const size = fstatSync(fd).size
    const reader = newReader(path, spec, options, size)
    for (let read = 0; ; ) {
      // A new buffer each time: the parser may keep the end of the last one.
      const chunk = new Uint8Array(options.chunkSize ?? CHUNK)
      const n = readSync(fd, chunk)
      if (n === 0) break
      reader.write(chunk.subarray(0, n))
      read += n
      options.onProgress?.(read, size)
    }
    return reader.end()
  } finally {
    closeSync(fd)
  }
}

function newReader(path: string, spec: TableSpec, options: { delimiter?: CsvOptions['delimiter'] }, size: number): CsvReader {
  return new CsvReader(spec, { delimiter: options.delimiter, source: path, size, again: () => chunksOf(path), parser: streamParser })
}

/**
 * csv-parse's stream API fed synchronously: Parser.write parses the chunk before it returns, its
 * rows reach on_record, and an error is on `parser.errored` at once. NOTE: the 'error' event
 * comes a tick later, when loadCsv has already thrown the error; the listener only keeps the
 * event from crashing the process.
 */
function streamParser(options: Options): CsvParser {
  const parser = new Parser(options)
  parser.on('error', () => {})
  const check = (): void => {
    if (parser.errored) throw parser.errored
  }
  return {
    write: (bytes) => (parser.write(bytes), check()),
    end: () => (parser.end(), check()),
  }
}

/** The file's bytes from the start, for the line an error quotes. */
function* chunksOf(path: string): Generator<Uint8Array> {
  const fd = openSync(path, 'r')
  try {
    for (;;) {
      const chunk = new Uint8Array(CHUNK)
      const n = readSync(fd, chunk)
      if (n === 0) return
      yield chunk.subarray(0, n)
    }
  } finally {
    closeSync(fd)
  }
}

function openFile(path: string, op: string): number {
  try {
    const fd = openSync(path, 'r')
    if (fstatSync(fd).isDirectory()) {
      closeSync(fd)
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    }
    return fd
  } catch (e) {
    throw openError(e, path, op)
  }
}

function openError(e: unknown, path: string, op: string): Error {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT') {
    return new Error(`${op}: there is no file ${path} (looked at ${resolve(path)}); check the path, which is relative to the working directory ${process.cwd()}`, { cause: e })
  }
  if (code === 'EISDIR') return new Error(`${op}: ${path} is a directory; pass the path of a CSV file`, { cause: e })
  return new Error(`${op}: cannot read ${path}: ${(e as Error).message}`, { cause: e })
}
