/**
 * The module graph: no import cycles in src/, and an op file can be the first thing a program
 * imports. A cycle is what once made `new Tensor` at an op file's top level crash with
 * "Cannot access 'Tensor' before initialization".
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { spawnSync } from 'node:child_process'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gatherOps } from '../scripts/gather-ops.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/**
 * Each file's run-time imports of other files in src/. `import type` and `export type` vanish
 * when compiled, so they cannot make a cycle and are left out.
 */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const statement = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm
  for (const file of files) {
    const deps: string[] = []
    for (const m of readFileSync(file, 'utf8').matchAll(statement)) {
      if (m[1] === undefined) deps.push(resolve(dirname(file), m[2].replace(/\.js$/, '.ts')))
    }
    graph.set(file, deps)
  }
  return graph
}

/** The first cycle found by a depth-first walk, as a list of files, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string): string[] | null => {
    state.set(file, 'open')
    path.push(file)
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') return [...path.slice(path.indexOf(dep)), dep]
      if (state.get(dep) === undefined) {
        const cycle = visit(dep)
        if (cycle !== null) return cycle
      }
    }
    path.pop()
    state.set(file, 'done')
    return null
  }
  for (const file of graph.keys()) {
    if (state.get(file) === undefined) {
      const cycle = visit(file)
      if (cycle !== null) return cycle
    }
  }
  return null
}

const runTs = (code: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 60_000 })

describe('the module graph of src/', () => {
  const files = sourceFiles(join(root, 'src'))
  const graph = importGraph(files)

  it('sees the imports (the walk is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(80)
    expect(graph.get(join(root, 'src/ops/op.ts'))).toContain(join(root, 'src/tensor.ts'))
    // a type-only import is not a run-time edge
    expect(graph.get(join(root, 'src/tensor.ts'))).not.toContain(join(root, 'src/ops/op.ts'))
  })

  it('the cycle finder finds a planted cycle', () => {
    const planted = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', []]])
    expect(findCycle(planted)).toEqual(['a', 'b', 'c', 'a'])
  })

  it('has no import cycles', () => {
    const cycle = findCycle(graph)
    expect(cycle?.map((f) => relative(root, f)).join(' → ') ?? 'none').toBe('none')
  })

  it('src/ops/index.ts is current with the op files (scripts/gather-ops.mjs --check)', () => {
    const r = spawnSync(process.execPath, ['scripts/gather-ops.mjs', '--check'], { cwd: root, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('gathers a new op file and its method table, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'softgrad-ops-'))
    writeFileSync(join(dir, 'op.ts'), 'export const machinery = 1\n')
    writeFileSync(join(dir, 'checks.ts'), 'export const check = 1\n')
    writeFileSync(join(dir, 'softplus.ts'), 'export function softplus() {}\nexport const softplusMethods = { softplus }\n')
    writeFileSync(join(dir, 'square.ts'), 'export function square() {}\n')
    const index = gatherOps(dir)
    expect(index).toContain("export * from './softplus.js'")
    expect(index).toContain("export * from './square.js'")
    expect(index).not.toContain("export * from './checks.js'")
    expect(index).not.toContain("export * from './op.js'")
    expect(index).toContain("import { softplusMethods } from './softplus.js'")
    expect(index).toContain('const TENSOR_METHODS = { softplusMethods }')
  })
})

describe('an op file as the first import', () => {
  it('src/ops/exp.ts imported alone, first, runs its op', () => {
    const r = runTs(`
      import { exp } from './src/ops/exp.ts'
      import { Tensor } from './src/tensor.ts'
      const x = new Tensor(Float64Array.of(0, 1), [2], { requiresGrad: true })
      const y = exp(x)
      new Tensor(Float64Array.of(1, 1), [2]) // and more tensors after it
      console.log(JSON.stringify(Array.from(y.data)))
    `)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual([1, Math.E])
  })

  it('an op file that builds a tensor at its top level imports first and alone, and differentiates', () => {
    const r = runTs(`
      import { halve, HALF } from './test/fixtures/op-with-top-level-tensor.ts'
      import { Tensor } from './src/tensor.ts'
      const x = new Tensor(Float64Array.of(4, 6), [2], { requiresGrad: true })
      halve(x).backward(Float64Array.of(1, 1))
      console.log(JSON.stringify({ half: HALF.data[0], grad: Array.from(x.grad.data) }))
    `)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ half: 0.5, grad: [0.5, 0.5] })
  })
})
