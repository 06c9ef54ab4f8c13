/**
 * Model files on disk (Node only): saveModel writes encodeModel's bytes atomically, loadModel
 * reads them back through decodeModel. The browser half is model-bytes.ts.
 */
import { openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Module } from '../nn/module.js'
import { encodeModel, decodeModel, type ModelMetadata, type DecodedModel } from './model-bytes.js'

/**
 * saveModel('model.safetensors', model, { classes, featureNames, scaler, seed })
 *
 * Atomic: the bytes go to a temp file beside the target, which is then renamed over it, so a
 * reader sees the old file or the new one, never half of one. An encode error (a custom
 * module, metadata that disagrees with the network) names the path and is thrown before the
 * file system is touched. The directory must exist.
 */
export function saveModel(path: string, model: Module, metadata: ModelMetadata = {}): void {
  let bytes: Uint8Array
  try {
    bytes = encodeModel(model, metadata)
  } catch (e) {
    throw new Error(`saveModel: cannot write ${path}: ${(e as Error).message}`, { cause: e })
  }
  writeFileAtomic(path, bytes)
}

/** loadModel('model.safetensors') → { model (in eval mode), metadata }; errors name the path. */
export function loadModel(path: string): DecodedModel {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new Error(`loadModel: there is no file ${path}`, { cause: e })
    throw new Error(`loadModel: cannot read ${path}: ${(e as Error).message}`, { cause: e })
  }
  try {
    return decodeModel(bytes)
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e })
  }
}

/** The file operations an atomic write needs; tests pass ones that fail part-way. */
export interface FileOps {
  openSync(path: string, flags: string): number
  writeSync(fd: number, bytes: Uint8Array, offset: number, length: number): number
  fsyncSync(fd: number): void
  closeSync(fd: number): void
  renameSync(from: string, to: string): void
  rmSync(path: string, options: { force: boolean }): void
}

export const nodeFileOps: FileOps = { openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync }

/**
 * Write `bytes` to `path` through a temp file in the same directory (a rename is atomic only
 * within one file system), flushed to disk before the rename. On any failure the temp file is
 * removed, the error names the path (after `caller`, the function or command that wrote), and a
 * file already at `path` is left as it was.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, fs: FileOps = nodeFileOps, caller = 'saveModel'): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`
  let fd: number
  try {
    fd = fs.openSync(temp, 'wx') // 'wx': never clobber a file someone else made
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${caller}: cannot write ${path}: the directory ${dirname(path)} does not exist (create it first)`, { cause: e })
    }
    throw new Error(`${caller}: cannot write ${path}: ${(e as Error).message}`, { cause: e })
  }

  let open = true
  try {
    // writeSync may write fewer bytes than asked; loop until all are down.
    for (let written = 0; written < bytes.length; ) {
      written += fs.writeSync(fd, bytes, written, bytes.length - written)
    }
    fs.fsyncSync(fd)
    open = false
    fs.closeSync(fd)
    fs.renameSync(temp, path)
  } catch (e) {
    // Clean up quietly: the first error is the one to report.
    try {
      if (open) fs.closeSync(fd)
    } catch {}
    try {
      fs.rmSync(temp, { force: true })
    } catch {}
    throw new Error(`${caller}: cannot write ${path}: ${(e as Error).message} (the previous file, if any, is unchanged)`, { cause: e })
  }
}
