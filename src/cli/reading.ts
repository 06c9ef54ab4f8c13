/**
 * `reading big.csv: 312 MB of 600 MB` on stderr while the CLI loads a CSV, when stderr is a
 * terminal; the line is cleared when the file is read, or fails to be. Nothing when not a terminal.
 */
import { basename } from 'node:path'
import type { ReadOptions } from '../data/csv-file.js'

/** withReading('big.csv', (progress) => loadCsv('big.csv', { label, ...progress })) */
export function withReading<T>(path: string, load: (progress: ReadOptions) => T): T {
  if (!process.stderr.isTTY) return load({})
  let shown = false
  let last = 0
  const onProgress = (read: number, size: number): void => {
    const now = Date.now()
    if (now - last < 100 && read < size) return // ten updates a second are plenty
    last = now
    shown = true
    process.stderr.write(`\r\x1b[Kreading ${basename(path)}: ${megabytes(read)} of ${megabytes(size)}`)
  }
  try {
    return load({ onProgress })
  } finally {
    if (shown) process.stderr.write('\r\x1b[K')
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`
}
