/** The browser entry reaches no Node: every module it imports, followed transitively, is checked. */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
/** Packages the browser entry may use: each ships code that runs in a browser. */
const BROWSER_PACKAGES = ['seedrandom', 'csv-parse/browser/esm/sync', '@viz-js/viz', 'protobufjs/light.js']

/** Every relative module reachable from `entry`, and the packages they import. */
function reach(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = []
  const packages = new Set<string>()
  const todo = [entry]
  const seen = new Set<string>()
  while (todo.length > 0) {
    const file = todo.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    files.push(file)
    const source = readFileSync(file, 'utf8')
    // \b: a word such as opset_import (a field of the ONNX schema) is no import.
    for (const m of source.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1]
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
      else packages.add(spec)
    }
  }
  return { files, packages }
}

describe('the browser entry', () => {
  const { files, packages } = reach(resolve(root, 'src/browser.ts'))

  it('reaches the engine, ops, nn, optim, data, training, calibration, drawing and model bytes', () => {
    const rel = files.map((f) => f.slice(root.length))
    for (const must of ['src/tensor.ts', 'src/ops/softmax.ts', 'src/nn/layers.ts', 'src/optim/adam.ts', 'src/data/csv.ts', 'src/train/trainer.ts', 'src/calibrate/ece.ts', 'src/teach/draw.ts', 'src/io/model-bytes.ts', 'src/export/onnx.ts']) {
      expect(rel).toContain(must)
    }
    expect(files.length).toBeGreaterThan(40)
  })

  it('imports no node: module, no Node builtin and no Node-only package, and never uses Buffer', () => {
    const builtins = new Set(builtinModules)
    for (const p of packages) {
      expect(p.startsWith('node:') || builtins.has(p), `a Node module: ${p}`).toBe(false)
      expect(BROWSER_PACKAGES, `an unexpected package: ${p}`).toContain(p)
    }
    for (const file of files) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(/\bBuffer\b/.test(code), `${file} uses Buffer`).toBe(false)
      expect(/\bprocess\./.test(code), `${file} uses process`).toBe(false)
    }
  })

  it('does not reach the Node-only files', () => {
    const rel = files.map((f) => f.slice(root.length))
    for (const nodeOnly of ['src/cli.ts', 'src/data/csv-file.ts', 'src/io/model-file.ts', 'src/train/terminal-progress.ts']) {
      expect(rel).not.toContain(nodeOnly)
    }
  })
})
