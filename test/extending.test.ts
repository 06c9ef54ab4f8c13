/**
 * docs/extending.md cannot go stale: every code block in it is copied from a file the test
 * suite runs (the `<!-- from: path -->` line above it names the file), and this checks that
 * each block is still in its file, word for word. The files themselves run elsewhere:
 * src/ops/gelu.ts through the catalogue's gradient checks, the examples in examples.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const guide = readFileSync(join(root, 'docs/extending.md'), 'utf8')

/** The fenced ts blocks, each with the file named on the line above it (or null). */
function codeBlocks(markdown: string): Array<{ from: string | null; code: string; line: number }> {
  const blocks = []
  for (const m of markdown.matchAll(/(?:<!-- from: (\S+) -->\n)?```ts\n([\s\S]*?)\n```/g)) {
    blocks.push({ from: m[1] ?? null, code: m[2], line: markdown.slice(0, m.index).split('\n').length })
  }
  return blocks
}

describe('docs/extending.md', () => {
  const blocks = codeBlocks(guide)

  it('walks through an op, a layer, a loss and a training loop', () => {
    for (const heading of ['An op inside softgrad: GELU', 'An op of your own', 'A layer: LayerNorm', 'A loss: focal loss', 'A training loop of your own']) {
      expect(guide).toContain(heading)
    }
    expect(blocks.length).toBeGreaterThanOrEqual(8)
  })

  it('every code block names the file it comes from', () => {
    for (const b of blocks) expect(b.from, `the block at line ${b.line} has no <!-- from: path --> line`).not.toBeNull()
  })

  it('every code block is still in its file, word for word', () => {
    for (const b of blocks) {
      const source = readFileSync(join(root, b.from!), 'utf8')
      expect(source.includes(b.code), `docs/extending.md line ${b.line}: this block is no longer in ${b.from}; copy the file's code again`).toBe(true)
    }
  })

  it('the wrong-gradient message it quotes is the one example 14 prints', async () => {
    const quoted = guide.match(/```text\n(rowAdd backward: .*)\n```/)![1]
    const { spawnSync } = await import('node:child_process')
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/14-extend-an-op.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
    expect(run.stdout).toContain(quoted)
  })
})
