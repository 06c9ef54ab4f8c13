/**
 * Every numbered script in examples/ runs as its own process, as a learner would run it, in its
 * short form (SOFTGRAD_QUICK=1) and writing into a fresh temporary directory (SOFTGRAD_OUT). The
 * folder is listed, not named file by file, so a new example is covered the day it is added.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const examples = readdirSync(join(root, 'examples')).filter((name) => /^\d\d-[\w-]+\.ts$/.test(name)).sort()

/** Files these examples must write; any example may write more, and every file it says it wrote is checked. */
const MUST_WRITE: Record<string, string[]> = {
  '03-spiral-training-loop.ts': ['spirals-boundary.svg', 'spirals-loss.svg'],
  '04-iris-from-csv.ts': ['iris.safetensors'],
}

const outDirs: string[] = []
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true })
})

describe('examples', () => {
  it('the examples folder holds 00-autograd.ts and the numbered examples after it, each number once', () => {
    expect(examples).toContain('00-autograd.ts')
    const numbers = examples.map((name) => name.slice(0, 2))
    expect(new Set(numbers).size).toBe(numbers.length)
    expect(examples.length).toBeGreaterThanOrEqual(9)
  })

  for (const name of examples) {
    it(`${name} runs to the end in its short form: exit code 0, nothing on stderr, and the files it says it wrote`, () => {
      const file = join(root, 'examples', name)
      const source = readFileSync(file, 'utf8').split('\n')
      expect(source[0], 'the first line says what the example shows').toMatch(/^\/\/ \S/)
      expect(source[1], 'the second line says what the example shows').toMatch(/^\/\/ \S/)
      expect(source[2], 'exactly two opening comment lines').not.toMatch(/^\/\//)

      const outDir = mkdtempSync(join(tmpdir(), 'softgrad-example-'))
      outDirs.push(outDir)
      const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        env: { ...process.env, SOFTGRAD_QUICK: '1', SOFTGRAD_OUT: outDir },
        encoding: 'utf8',
        timeout: 120_000,
      })
      expect(run.error, 'the process could not be started').toBeUndefined()
      expect(run.signal, `killed (timed out after 120 s?)\n${run.stderr}`).toBeNull()
      expect(run.status, run.stderr).toBe(0)
      expect(run.stderr).toBe('')
      expect(run.stdout.trim().length).toBeGreaterThan(0)
      expect(run.stdout, 'a value was missing when the output was written').not.toMatch(/\bundefined\b/)

      // Every path the example printed after "wrote" exists inside SOFTGRAD_OUT.
      const written = [...run.stdout.matchAll(/^wrote (\S+)/gm)].map((m) => resolve(root, m[1]))
      for (const path of written) {
        expect(relative(outDir, path).startsWith('..'), `${path} is outside SOFTGRAD_OUT`).toBe(false)
        expect(statSync(path).size, `${path} is empty`).toBeGreaterThan(0)
      }
      const files = readdirSync(outDir)
      for (const expected of MUST_WRITE[name] ?? []) expect(files).toContain(expected)
      for (const file of files) {
        expect(written, `${file} was written but its path was not printed`).toContain(join(outDir, file))
        if (file.endsWith('.svg')) {
          const svg = readFileSync(join(outDir, file), 'utf8')
          expect(svg.startsWith('<svg'), `${file} starts with <svg`).toBe(true)
          expect(svg.trimEnd().endsWith('</svg>'), `${file} ends with </svg>`).toBe(true)
        }
      }
    }, 130_000)
  }
})
