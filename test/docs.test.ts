/**
 * The API reference in docs/api/ is generated from the doc comments (`npm run docs`) and
 * committed. This suite regenerates it into a temporary folder and compares file by file, so a
 * changed signature or comment without a fresh `npm run docs` fails here.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const committed = join(root, 'docs', 'api')
const fresh = mkdtempSync(join(tmpdir(), 'softgrad-docs-'))
afterAll(() => rmSync(fresh, { recursive: true, force: true }))

/** Every file under dir, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

describe('the API reference', () => {
  it('docs/api is what npm run docs writes from the current source', () => {
    // typedoc.json holds every option; only the output folder differs.
    execFileSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', fresh, '--logLevel', 'Error'], {
      cwd: root,
      stdio: 'pipe',
    })
    const want = filesUnder(fresh)
    const have = filesUnder(committed)
    const missing = want.filter((f) => !have.includes(f))
    const extra = have.filter((f) => !want.includes(f))
    const changed = want.filter((f) => have.includes(f) && readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'))
    const stale = [...missing.map((f) => `missing ${f}`), ...extra.map((f) => `extra ${f}`), ...changed.map((f) => `changed ${f}`)]
    if (stale.length > 0) expect.fail(`docs/api is out of date: run npm run docs\n${stale.slice(0, 20).join('\n')}`)
    expect(want.length).toBeGreaterThan(0)
  }, 180_000)

  it('lists the namespaces nn, optim and toy with their members', () => {
    const index = readFileSync(join(committed, 'README.md'), 'utf8')
    for (const ns of ['nn', 'optim', 'toy']) expect(index).toContain(`[${ns}](`)
    const files = filesUnder(committed)
    expect(files.some((f) => f.endsWith('nn/classes/Linear.md'))).toBe(true)
    expect(files.some((f) => f.endsWith('optim/classes/Adam.md'))).toBe(true)
    expect(files.some((f) => f.endsWith('toy/functions/spirals.md'))).toBe(true)
  })
})
