/**
 * The files `softgrad train` and `softgrad export` will write, checked before they start: a run
 * that took an hour must not end in an error it could have given at the start, and no run may
 * overwrite a file that is not its own (the data file, notes that happen to carry the name).
 */
import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync, type Stats } from 'node:fs'
import { basename, dirname, extname } from 'node:path'
import { UsageError } from './args.js'
import { MAX_HEADER_BYTES } from '../io/model-bytes.js'

/**
 * --out FILE, checked: not the data file (by real path, so a symlink or another spelling of it
 * counts), not a directory, and if it exists, a model file. Returns the path to save to: through
 * a symlink, its target, so the link stays a link.
 */
export function checkModelOut(command: string, out: string, dataFile: string | undefined): string {
  const real = realPathOf(out)
  if (real !== null && dataFile !== undefined && real === realPathOf(dataFile)) {
    throw new UsageError(`${command}: refusing to overwrite ${out}: it is the data file; save the model to a file of its own, like ${suggestName(dataFile)}`)
  }
  const stats = statOf(out)
  if (stats?.isDirectory()) throw new UsageError(`${command}: --out ${out} is a directory; give the model a file name, like ${out.replace(/\/*$/, '')}/model.safetensors`)
  if (stats !== null && !isModelFile(out)) throw new UsageError(`${command}: refusing to overwrite ${out}: it is not a model file`)
  if (stats === null) checkCanMakeDirectory(command, '--out', out, dirname(out))
  return real ?? out
}

/** What `softgrad export` writes: the file kind's name ('an ONNX file'), how to know one, and an example name. */
export interface ExportKind {
  /** 'an ONNX file': the refusal reads 'it is not an ONNX file' */
  name: string
  /** do these bytes hold a file of this kind? */
  recognise(bytes: Uint8Array): boolean
  /** x.safetensors → x.onnx */
  extension: string
}

/**
 * export's --out FILE, checked: not the model file (by real path), not a directory, and if it
 * exists, a file of the kind it will hold (an export overwrites only an earlier export). Returns
 * the path to write to: through a symlink, its target.
 */
export function checkExportOut(command: string, out: string, modelFile: string, kind: ExportKind): string {
  const real = realPathOf(out)
  if (real !== null && real === realPathOf(modelFile)) {
    const like = `${basename(modelFile, extname(modelFile))}${kind.extension}`
    throw new UsageError(`${command}: refusing to overwrite ${out}: it is the model file; write the export to a file of its own, like ${like}`)
  }
  const stats = statOf(out)
  if (stats?.isDirectory()) throw new UsageError(`${command}: --out ${out} is a directory; give the export a file name, like ${out.replace(/\/*$/, '')}/model${kind.extension}`)
  if (stats !== null && !holdsKind(out, stats, kind)) throw new UsageError(`${command}: refusing to overwrite ${out}: it is not ${kind.name}`)
  if (stats === null) checkCanMakeDirectory(command, '--out', out, dirname(out))
  return real ?? out
}

/** Protobuf's own limit: a file over 2 GiB is no ONNX model (and is not read to find out). */
const MAX_EXPORT_BYTES = 2 ** 31 - 1

function holdsKind(path: string, stats: Stats, kind: ExportKind): boolean {
  if (!stats.isFile() || stats.size > MAX_EXPORT_BYTES) return false
  try {
    return kind.recognise(readFileSync(path))
  } catch {
    return false // unreadable: not one we may overwrite
  }
}

/** --plot DIR: a directory, or a path where one can be made. */
export function checkPlotDir(command: string, dir: string): void {
  const stats = statOf(dir)
  if (stats !== null && !stats.isDirectory()) {
    throw new UsageError(`${command}: --plot ${dir} is a file; --plot takes a directory to write the SVG files into, like plots`)
  }
  if (stats === null) checkCanMakeDirectory(command, '--plot', dir, dir)
}

/** Does the file start as a safetensors file does: an 8-byte length, then that many bytes of a JSON object? */
export function isModelFile(path: string): boolean {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    if (size < 8) return false
    const lengthBytes = Buffer.alloc(8)
    readSync(fd, lengthBytes, 0, 8, 0)
    const length = lengthBytes.readBigUInt64LE(0)
    if (length < 2n || length > BigInt(Math.min(size - 8, MAX_HEADER_BYTES))) return false
    const header = Buffer.alloc(Number(length))
    readSync(fd, header, 0, header.length, 8)
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
  } catch {
    return false // not UTF-8, not JSON: not a model file
  } finally {
    closeSync(fd)
  }
}

/** The directory `dir` exists or can be made: its nearest existing ancestor is a directory we may write in. */
function checkCanMakeDirectory(command: string, flag: string, value: string, dir: string): void {
  let ancestor = dir
  let stats = statOf(ancestor)
  while (stats === null && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor)
    stats = statOf(ancestor)
  }
  if (stats !== null && !stats.isDirectory()) {
    throw new UsageError(`${command}: cannot make the directory for ${flag} ${value}: ${ancestor} is a file, not a directory`)
  }
  try {
    accessSync(ancestor, constants.W_OK)
  } catch {
    throw new UsageError(`${command}: cannot write ${flag} ${value}: the directory ${ancestor} is not writable`)
  }
}

/** x.csv → x.safetensors */
function suggestName(dataFile: string): string {
  return `${basename(dataFile, extname(dataFile))}.safetensors`
}

function statOf(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function realPathOf(path: string): string | null {
  try {
    return realpathSync(path)
  } catch {
    return null
  }
}
