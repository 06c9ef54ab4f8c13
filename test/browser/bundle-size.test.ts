/**
 * The JavaScript the page loads when it opens stays small: every script index.html names, every
 * module it preloads and every module those import statically, gzipped, under 150 KB. Graphviz
 * (about 0.5 MB gzipped) must not be among them: it loads when a graph is drawn. Nor the ONNX
 * exporter and protobufjs (about 31 KB): they load when ONNX is downloaded.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { root } from './playground.js'

const dist = join(root, 'playground/dist')
const LIMIT = 150 * 1024

/** The JS files index.html loads: <script src> and <link rel="modulepreload">, relative to dist. */
function scriptsOfPage(html: string): string[] {
  const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1])
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1])
  return [...scripts, ...preloads].map((src) => resolve(dist, src))
}

/** The modules a JS file imports statically (`import … from "./x.js"`), not `import("./x.js")`. */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8')
  return [...code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["'`]([^"'`]+)["'`]/g)].map((m) => resolve(dirname(file), m[1]))
}

/** Every JS file loaded on open: the page's scripts and, transitively, their static imports. */
function loadedOnOpen(): string[] {
  const seen = new Set<string>()
  const todo = scriptsOfPage(readFileSync(join(dist, 'index.html'), 'utf8'))
  while (todo.length > 0) {
    const file = todo.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    todo.push(...staticImports(file))
  }
  return [...seen]
}

describe('the page as it opens', () => {
  it('loads under 150 KB of gzipped JavaScript, without Graphviz', () => {
    const files = loadedOnOpen()
    expect(files.length).toBeGreaterThan(0)
    const sizes = files.map((file) => ({ file: file.slice(dist.length + 1), gzipped: gzipSync(readFileSync(file), { level: 9 }).length }))
    const total = sizes.reduce((sum, s) => sum + s.gzipped, 0)
    process.stdout.write(`JavaScript on open: ${(total / 1024).toFixed(1)} KB gzipped (${sizes.map((s) => `${s.file} ${(s.gzipped / 1024).toFixed(1)} KB`).join(', ')})\n`)
    expect(total).toBeLessThan(LIMIT)
    for (const { file } of sizes) expect(file).not.toMatch(/viz/)
    const code = files.map((file) => readFileSync(file, 'utf8')).join('\n')
    expect(code).not.toContain('Graphviz') // the renderer's own text lives in its lazy chunk
    expect(code).not.toContain('ModelProto') // nor the ONNX exporter's: it loads when ONNX is downloaded
  })

  it('keeps Graphviz in a chunk of its own that the page can load later', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8')
    const entry = readFileSync(scriptsOfPage(html)[0], 'utf8')
    // import("./graph-….js") (quoted any way), which fetches graph.ts and, through it, Graphviz
    const lazy = /import\(\s*["'`][^"'`]*graph-[\w-]+\.js["'`]\s*\)/.test(entry)
    expect(lazy, 'the entry chunk imports the graph chunk dynamically').toBe(true)
  })

  it('keeps the ONNX exporter, with protobufjs, in a chunk the ONNX download loads', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8')
    const entry = readFileSync(scriptsOfPage(html)[0], 'utf8')
    expect(/import\(\s*["'`][^"'`]*download-onnx-[\w-]+\.js["'`]\s*\)/.test(entry), 'the entry chunk imports the exporter dynamically').toBe(true)
  })
})
