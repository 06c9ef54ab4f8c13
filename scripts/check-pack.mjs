#!/usr/bin/env node
/**
 * The package as npm publishes it, used as a stranger would (`npm run check:pack`):
 *
 *   1. `npm pack` this folder (prepare builds dist/, with the WebAssembly bytes embedded);
 *   2. in a fresh folder outside the repository, `npm init -y` and install the .tgz (its
 *      dependencies come from the npm registry: the one network this needs);
 *   3. Node: `import { setKernels, kernelsInfo, tensor } from 'softgrad'` runs the WebAssembly
 *      kernels, and a product large enough to go to them equals the JS kernels' and a plain
 *      triple loop's, bit for bit; SOFTGRAD_KERNELS=js chooses the JS ones; `softgrad --help` runs;
 *   4. a browser: a page importing 'softgrad/browser', built by Vite (this repository's) and opened
 *      in Debian's Chromium (headless, via playwright-core), runs the WebAssembly kernels with the
 *      same product, and fetches no .wasm file.
 *
 * Prints one line a check and ends with `check:pack: N checks passed` (exit 0) or the first
 * failure (exit 1). `--keep` keeps the temporary folder and says where it is.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, preview } from 'vite'
import { chromium } from 'playwright-core'

const repo = fileURLToPath(new URL('..', import.meta.url))
const keep = process.argv.includes('--keep')
const work = mkdtempSync(join(tmpdir(), 'softgrad-pack-'))
let passed = 0

function check(ok, what, detail = '') {
  if (!ok) throw new Error(`${what}${detail === '' ? '' : `: ${detail}`}`)
  passed++
  process.stdout.write(`ok  ${what}${detail === '' ? '' : ` (${detail})`}\n`)
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })
}

/** The same product the Node and browser checks make: small whole numbers, so every sum is exact. */
const SIZE = 24 // 24·24·24 multiply-adds: well above the size from which products go to WebAssembly
const MATRIX_SOURCE = `const SIZE = ${SIZE}
const matrix = (step) => Array.from({ length: SIZE }, (_, i) => Array.from({ length: SIZE }, (_, j) => ((i * 7 + j * step) % 11) - 5))`
const matrix = (step) => Array.from({ length: SIZE }, (_, i) => Array.from({ length: SIZE }, (_, j) => ((i * 7 + j * step) % 11) - 5))

/** A·B by the textbook triple loop. */
function product(a, b) {
  const c = []
  for (let i = 0; i < SIZE; i++) {
    for (let j = 0; j < SIZE; j++) {
      let sum = 0
      for (let p = 0; p < SIZE; p++) sum += a[i][p] * b[p][j]
      c.push(sum)
    }
  }
  return c
}
const expected = product(matrix(3), matrix(5))
const same = (x, y) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]))

async function main() {
  // 1. The tarball
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: repo }))
  const tgz = join(work, packed.filename)
  const files = packed.files.map((f) => f.path)
  check(files.includes('dist/kernels/wasm-bytes.js') && files.includes('dist/kernels/wasm.js'), `npm pack: ${packed.filename} holds dist/kernels/wasm.js and wasm-bytes.js`,
    `${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} KB packed`)
  check(files.includes('dist/index.js') && files.includes('dist/browser.js'), 'the tarball holds both entry points, dist/index.js and dist/browser.js')
  check(!files.some((f) => f.startsWith('src/') || f.endsWith('.wasm')), 'no source and no separate .wasm file in the tarball: the bytes are inside wasm-bytes.js')

  // 2. A fresh project that installs it
  const app = join(work, 'app')
  mkdirSync(app)
  run('npm', ['init', '-y'], { cwd: app })
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
  writeFileSync(join(app, 'package.json'), JSON.stringify({ ...pkg, type: 'module' }, null, 2))
  run('npm', ['install', '--no-audit', '--no-fund', tgz], { cwd: app })
  const installed = JSON.parse(readFileSync(join(app, 'node_modules/softgrad/package.json'), 'utf8'))
  check(installed.version === packed.version, `npm install ${packed.filename} in a fresh folder outside the repository`, app)

  // 3. Node
  writeFileSync(join(app, 'node-check.mjs'), `import { setKernels, kernelsInfo, tensor } from 'softgrad'
${MATRIX_SOURCE}
const info = kernelsInfo()
const a = tensor(matrix(3)), b = tensor(matrix(5))
const byDefault = Array.from(a.matmul(b).data)
setKernels('js')
const byJs = Array.from(a.matmul(b).data)
setKernels('wasm')
const byWasm = Array.from(a.matmul(b).data)
console.log(JSON.stringify({ info, byDefault, byJs, byWasm }))
`)
  const node = JSON.parse(run(process.execPath, ['node-check.mjs'], { cwd: app, env: { ...process.env, SOFTGRAD_KERNELS: '' } }))
  check(node.info.active === 'wasm' && node.info.wasm === 'ready', "Node: import { setKernels, kernelsInfo, tensor } from 'softgrad'; kernelsInfo().active is 'wasm'", JSON.stringify(node.info))
  check(same(node.byDefault, expected) && same(node.byWasm, expected) && same(node.byJs, expected),
    `Node: a ${SIZE}×${SIZE} matmul gives the triple loop's numbers on the default, JS and WebAssembly kernels alike, bit for bit`)
  writeFileSync(join(app, 'node-env.mjs'), `import { kernelsInfo } from 'softgrad'\nconsole.log(JSON.stringify(kernelsInfo()))\n`)
  const env = JSON.parse(run(process.execPath, ['node-env.mjs'], { cwd: app, env: { ...process.env, SOFTGRAD_KERNELS: 'js' } }))
  check(env.active === 'js' && env.reason === 'SOFTGRAD_KERNELS=js', 'Node: SOFTGRAD_KERNELS=js runs the JS kernels', JSON.stringify(env))
  const help = run(join(app, 'node_modules/.bin/softgrad'), ['--help'], { cwd: app })
  check(/softgrad/.test(help), 'the installed command runs: npx softgrad --help')

  // 4. A browser page built by Vite
  const site = join(app, 'site')
  mkdirSync(site)
  writeFileSync(join(site, 'index.html'), '<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body></html>\n')
  writeFileSync(join(site, 'main.js'), `import { kernelsInfo, tensor } from 'softgrad/browser'
${MATRIX_SOURCE}
const first = kernelsInfo()
const c = tensor(matrix(3)).matmul(tensor(matrix(5)))
window.packCheck = { first, product: Array.from(c.data) }
`)
  await build({ root: site, configFile: false, logLevel: 'warn', base: './', build: { outDir: 'dist', target: 'es2022' } })
  const assets = readdirSync(join(site, 'dist/assets'))
  const gzipped = assets.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzipSync(readFileSync(join(site, 'dist/assets', f)), { level: 9 }).length, 0)
  check(!assets.some((f) => f.endsWith('.wasm')), "Vite builds a page that imports 'softgrad/browser', with no .wasm asset", `${assets.join(', ')}; ${(gzipped / 1024).toFixed(1)} KB of JavaScript gzipped`)

  const server = await preview({ root: site, configFile: false, logLevel: 'warn', build: { outDir: 'dist' }, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking'] })
  try {
    const page = await browser.newPage()
    const problems = []
    const requests = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
    })
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(server.resolvedUrls.local[0])
    await page.waitForFunction(() => window.packCheck !== undefined, null, { timeout: 30_000 })
    const result = await page.evaluate(() => window.packCheck)
    check(problems.length === 0, 'Chromium opens the page with no page error and no console error', problems.join('; '))
    check(result.first.active === 'wasm', "Chromium: kernelsInfo().active is 'wasm' from the first call", JSON.stringify(result.first))
    check(same(result.product, expected), `Chromium: the ${SIZE}×${SIZE} matmul gives the triple loop's numbers, bit for bit`)
    check(!requests.some((url) => /\.wasm(?:[?#]|$)/.test(url)), 'Chromium fetched no .wasm file', `${requests.length} requests`)
  } finally {
    await browser.close()
    await server.close()
  }
}

try {
  await main()
  process.stdout.write(`check:pack: ${passed} checks passed\n`)
} catch (error) {
  process.stdout.write(`FAIL ${error.message}\n${error.stderr ?? ''}`)
  process.stdout.write(`check:pack: ${passed} checks passed, then one failed\n`)
  process.exitCode = 1
} finally {
  if (keep) process.stdout.write(`kept ${work}\n`)
  else rmSync(work, { recursive: true, force: true })
}
