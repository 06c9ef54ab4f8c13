/** What the CSV tests share: CSV files in a temp folder made for the suite, and an error's message. */
import { afterAll, beforeAll, expect } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A temp folder for the suite (removed after it); `file(name, content)` writes there and returns the path. */
export function tempFiles(prefix: string): { file: (name: string, content: string | Uint8Array) => string; dir: () => string } {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    file: (name, content) => {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    },
    dir: () => dir,
  }
}

/** The message of the error `fn` throws (and fail when it throws none). */
export function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(Error)
    return (e as Error).message
  }
  throw new Error('expected an error, but none was thrown')
}
