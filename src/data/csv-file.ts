/**
 * Reading a CSV file (Node only): loadCsv reads the text with node:fs and hands it to parseCsv,
 * which names the file in every error. The browser half is csv.ts.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseCsv, parseFeatures, type CsvData, type CsvOptions, type FeatureOptions } from './csv.js'
import type { Tensor } from '../tensor.js'

/** loadCsv('datasets/iris.csv', { label: 'species' }) → { X [150, 4], y, classes, featureNames } */
export function loadCsv(path: string, options: Omit<CsvOptions, 'source'>): CsvData {
  return parseCsv(readText(path, 'loadCsv'), { ...options, source: path })
}

/** loadFeatures('new.csv', { featureNames: metadata.featureNames }) → { X } (see parseFeatures) */
export function loadFeatures(path: string, options: Omit<FeatureOptions, 'source'>): { X: Tensor; y?: Int32Array } {
  return parseFeatures(readText(path, 'loadFeatures'), { ...options, source: path })
}

function readText(path: string, op: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new Error(`${op}: there is no file ${path} (looked at ${resolve(path)}); check the path, which is relative to the working directory ${process.cwd()}`, { cause: e })
    }
    if (code === 'EISDIR') throw new Error(`${op}: ${path} is a directory; pass the path of a CSV file`, { cause: e })
    throw new Error(`${op}: cannot read ${path}: ${(e as Error).message}`, { cause: e })
  }
}
