#!/usr/bin/env node
// Compiles the WebAssembly kernels (src/kernels/wasm/*.ts, AssemblyScript) and writes their bytes
// into src/kernels/wasm-bytes.ts as base64 text, so Node, Vite and a plain <script type="module">
// get them with the JavaScript: no fetch, no .wasm file, no path to configure.
//
// npm install (prepare), npm run build and npm test (pretest) run it. It compiles only when the
// sources or the compiler changed since the bytes were written (their sha256 is in the file);
// `node scripts/build-wasm.mjs --check` only says whether src/kernels/wasm-bytes.ts is current.
// Plain Node on purpose: it runs before anything is compiled.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SOURCES = join(ROOT, 'src', 'kernels', 'wasm')
const ENTRY = join(SOURCES, 'index.ts')
const OUT = join(ROOT, 'src', 'kernels', 'wasm-bytes.ts')
/**
 * -O3: optimise for speed. --enable simd: the f64x2 kernels. --runtime stub: no garbage
 * collector (the kernels allocate nothing). --noAssert: no bounds checks beyond wasm's own.
 * --initialMemory = --maximumMemory = 1024 pages: 64 MB from the start, never grown (growing
 * detaches the memory's old ArrayBuffer, and in V8 one detached buffer anywhere makes every
 * typed-array access in the program check for it from then on; see src/kernels/wasm.ts).
 */
const FLAGS = ['-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert', '--initialMemory', '1024', '--maximumMemory', '1024']

/** What the bytes depend on: every source file, the flags, the compiler's version and this script. */
function sourceHash() {
  const hash = createHash('sha256')
  hash.update(readFileSync(fileURLToPath(import.meta.url)))
  const version = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'assemblyscript', 'package.json'), 'utf8')).version
  hash.update(`assemblyscript ${version}\n${FLAGS.join(' ')}\n`)
  for (const file of readdirSync(SOURCES).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(`${file}\n`).update(readFileSync(join(SOURCES, file)))
  }
  return hash.digest('hex')
}

function recordedHash() {
  if (!existsSync(OUT)) return null
  return /WASM_SOURCE_SHA256 = '([0-9a-f]+)'/.exec(readFileSync(OUT, 'utf8'))?.[1] ?? null
}

async function compile() {
  const { default: asc } = await import('assemblyscript/asc')
  let bytes = null
  const { error, stderr } = await asc.main([relative(ROOT, ENTRY), ...FLAGS, '--outFile', 'kernels.wasm'], {
    readFile: (name, base) => {
      const path = join(base ?? ROOT, name)
      return existsSync(path) ? readFileSync(path, 'utf8') : null
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) bytes = contents
    },
    listFiles: () => [],
  })
  if (error) {
    console.error(`scripts/build-wasm.mjs: AssemblyScript could not compile ${relative(ROOT, ENTRY)}:\n${stderr.toString()}`)
    process.exit(1)
  }
  return bytes
}

const wanted = sourceHash()
if (process.argv.includes('--check')) {
  const current = recordedHash() === wanted
  console.log(current ? 'src/kernels/wasm-bytes.ts is current' : 'src/kernels/wasm-bytes.ts is stale: run node scripts/build-wasm.mjs')
  process.exit(current ? 0 : 1)
}
if (recordedHash() !== wanted) {
  const bytes = await compile()
  writeFileSync(OUT, `// Written by scripts/build-wasm.mjs from src/kernels/wasm/ (npm install, npm run build and npm test run it).
// Do not edit: change the AssemblyScript sources, and this file follows.
/** sha256 of the sources, the compiler's version, its flags and scripts/build-wasm.mjs: the build skips when it is unchanged. */
export const WASM_SOURCE_SHA256: string = '${wanted}'
/** The compiled kernels, ${bytes.length} bytes of WebAssembly (with SIMD), as base64. */
export const WASM_BASE64: string =
  '${Buffer.from(bytes).toString('base64')}'
`)
  // stderr: a build note, not output (`npm pack --json` runs this in prepare and prints JSON).
  console.error(`scripts/build-wasm.mjs: compiled the WebAssembly kernels, ${bytes.length} bytes`)
}
