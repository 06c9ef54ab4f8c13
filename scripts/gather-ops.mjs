#!/usr/bin/env node
// Writes src/ops/index.ts, the file that gathers the op files: every file in src/ops/ is an op
// file except the few named in NOT_OP_FILES. For each op file the index has an `export *` line
// (what the file exports is public, and its ops join OPS); a file that exports a method table
// (`export const geluMethods = { gelu }`) also gives Tensor those methods. So adding an op is
// adding its file and its catalogue samples: no list to edit by hand.
//
// npm install (prepare) and npm test (pretest) run it; `npm run gather` runs it alone, and
// `node scripts/gather-ops.mjs --check` only says whether src/ops/index.ts is current.
// Plain Node on purpose: it runs before anything is compiled.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const OPS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'ops')
const INDEX = join(OPS_DIR, 'index.ts')
/** The files in src/ops/ that hold no op: the machinery and the index itself. */
const NOT_OP_FILES = ['index.ts', 'op.ts', 'checks.ts', 'tensor-methods.ts']
const METHOD_TABLE = /^export const (\w+Methods)\b/gm

export function gatherOps(dir = OPS_DIR) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts') && !NOT_OP_FILES.includes(f))
    .sort()
  const tables = files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(METHOD_TABLE)].map((m) => ({ file: f, name: m[1] })))
  const js = (f) => `./${f.replace(/\.ts$/, '.js')}`
  return `// Written by scripts/gather-ops.mjs from the files in src/ops/ (npm install and npm test run it).
// Do not edit: add an op by adding its file (docs/extending.md), and this file follows.
/**
 * The ops, gathered. Each op file holds its math, its \`defineOp\` and the function users call;
 * this file makes them public, builds \`OPS\` and gives Tensor the methods the op files list.
 */
import { definedOps, type OpEntry } from './op.js'
import { installTensorMethods, type MethodsOf } from './tensor-methods.js'

// Every op file, one line each: what it exports is public.
${files.map((f) => `export * from '${js(f)}'`).join('\n')}
export { defineOp, defineComposite, apply, broadcastShape, sumToShape, type OpDef, type CompositeDef, type OpEntry, type Forward } from './op.js'

// ---------------------------------------------------------------------------------------------
// OPS: every op the library defines, by name

type Exports = typeof import('./index.js')
/** The op definitions among the exports (\`addOp\`, \`geluOp\`, ...), each mapped to its name. */
type OpNames = {
  [K in keyof Exports as K extends \`\${string}Op\` ? K : never]: Exports[K] extends { readonly name: infer N extends string; readonly rule: string } ? N : never
}
export type OpName = OpNames[keyof OpNames]

/** OPS.gelu → geluOp: the registry of every differentiable op (and composite) in softgrad. */
export const OPS = definedOps() as Record<OpName, OpEntry>

// ---------------------------------------------------------------------------------------------
// Tensor methods: x.gelu() is gelu(x), from the table each op file exports

${tables.map((t) => `import { ${t.name} } from '${js(t.file)}'`).join('\n')}

const TENSOR_METHODS = { ${tables.map((t) => t.name).join(', ')} }
installTensorMethods(TENSOR_METHODS)

declare module '../tensor.js' {
  interface Tensor extends MethodsOf<typeof TENSOR_METHODS> {}
}
`
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const text = gatherOps()
  const current = existsSync(INDEX) ? readFileSync(INDEX, 'utf8') : ''
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error('src/ops/index.ts is not current with the files in src/ops/: run npm run gather')
      process.exit(1)
    }
  } else if (current !== text) {
    writeFileSync(INDEX, text)
  }
}
