/**
 * softgrad's ONNX export in a real browser: onnxruntime-web (its WebAssembly CPU backend) in
 * Debian's Chromium, headless, must give the same probabilities as `softgrad predict`.
 *
 *   npm ci --prefix interop --ignore-scripts     # once (and npm ci at the root for playwright-core)
 *   npm run check:onnx:browser                   # from the root (or: cd interop && npm run check:browser)
 *
 * A tiny page is served over http on 127.0.0.1 (a free port) together with onnxruntime-web's own
 * files from interop/node_modules/onnxruntime-web/dist; the page imports them from there, with
 * ort.env.wasm.wasmPaths pointing at the same folder and one thread. Any request that leaves that
 * server is refused and fails the check, so nothing comes from the internet. For the float32 and
 * float64 exports of iris, wine and digits (models.ts: the committed models, their test rows and
 * what they are compared with) the page fetches the .onnx file, runs an InferenceSession on the
 * test rows and hands `probs` back to Node. A line per model and dtype as in check.ts; exit 1 when
 * one is over its tolerance (1e-5 in float32, 1e-12 in float64) or the page logged an error, and
 * 2 when Chromium or an install is missing.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { OnnxDtype, Tensor } from '../src/index.js'
import { root } from '../scripts/onnx/cases.js'
import { checkExports, summarise } from './models.js'

const CHROMIUM = '/usr/bin/chromium'
const MODELS = ['iris', 'wine', 'digits']
/** The files of onnxruntime-web the page needs: the wasm-only build, and the module and WebAssembly it loads. */
const ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']
const ortDist = join(root, 'interop/node_modules/onnxruntime-web/dist')

function missing(what: string): never {
  console.error(`interop: ${what}`)
  process.exit(2)
}

if (!existsSync(CHROMIUM)) missing(`Chromium is not at ${CHROMIUM}; install Debian's chromium (apt-get install chromium; .ci/run does)`)
for (const file of ORT_FILES) {
  if (!existsSync(join(ortDist, file))) missing(`onnxruntime-web is not installed (no ${file}); run npm ci --prefix interop --ignore-scripts`)
}
const { chromium } = await import('playwright-core').catch(() => missing('playwright-core is not installed; run npm ci at the root'))
const ortVersion = (JSON.parse(readFileSync(join(ortDist, '../package.json'), 'utf8')) as { version: string }).version

/** The page: load onnxruntime-web from the server, set it up, and offer runOnnx(url, dtype, data, shape). */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>softgrad: ONNX in the browser</title><link rel="icon" href="data:,"></head>
<body>
<script type="module">
import * as ort from '/ort/ort.wasm.min.mjs'
ort.env.wasm.wasmPaths = '/ort/'
ort.env.wasm.numThreads = 1
window.runOnnx = async (url, dtype, data, shape) => {
  const session = await ort.InferenceSession.create(url, { executionProviders: ['wasm'] })
  try {
    const x = new ort.Tensor(dtype, dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data), shape)
    const { probs } = await session.run({ x })
    if (probs.type !== dtype) throw new Error('probs came back as ' + probs.type + ', not ' + dtype)
    return Array.from(probs.data)
  } finally {
    await session.release()
  }
}
window.ortVersion = ort.env.versions.web
</script>
</body></html>
`

declare global {
  interface Window {
    runOnnx?: (url: string, dtype: OnnxDtype, data: readonly number[], shape: readonly number[]) => Promise<number[]>
    ortVersion?: string
  }
}

/** Every page error, console error, refused request and unknown path: the check ends by expecting none. */
const problems: string[] = []
/** The .onnx files the page may fetch, by path: filled just before each run. */
const onnxFiles = new Map<string, Uint8Array>()
const served = new Set<string>()

function send(res: ServerResponse, type: string, body: string | Uint8Array): void {
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  served.add(path)
  if (path === '/') return send(res, 'text/html; charset=utf-8', PAGE)
  const ortFile = path.startsWith('/ort/') ? path.slice('/ort/'.length) : undefined
  if (ortFile !== undefined && ORT_FILES.includes(ortFile)) {
    return send(res, ortFile.endsWith('.wasm') ? 'application/wasm' : 'text/javascript', readFileSync(join(ortDist, ortFile)))
  }
  const onnx = onnxFiles.get(path)
  if (onnx !== undefined) return send(res, 'application/octet-stream', onnx)
  problems.push(`the page asked for ${path}, which is not served`)
  res.writeHead(404).end()
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const started = Date.now()
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking'],
})
try {
  const page = await browser.newPage()
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(`${origin}/`)) return route.continue()
    problems.push(`refused a request that leaves the local server: ${url}`)
    return route.abort()
  })
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => window.runOnnx !== undefined, undefined, { timeout: 30_000 })
  const pageVersion = await page.evaluate(() => window.ortVersion)
  if (pageVersion !== ortVersion) problems.push(`the page runs onnxruntime-web ${pageVersion}, interop/ installs ${ortVersion}`)
  console.log(`onnxruntime-web ${pageVersion} (wasm backend, in ${browser.version()} headless, 1 thread; served from interop/node_modules on ${origin}) against softgrad predict, on each model's test rows`)

  const runInPage = async (bytes: Uint8Array, X: Tensor, dtype: OnnxDtype, name: string): Promise<Float64Array> => {
    const url = `/models/${name}.${dtype}.onnx`
    onnxFiles.set(url, bytes)
    try {
      const probs = await page.evaluate(
        ([u, d, data, shape]) => window.runOnnx!(u, d, data, shape),
        [url, dtype, Array.from(X.data), X.shape] as const,
      )
      return Float64Array.from(probs)
    } finally {
      onnxFiles.delete(url)
    }
  }
  const results = await checkExports(runInPage, { only: MODELS })
  await page.close()

  for (const problem of problems) console.log(`FAIL  ${problem}`)
  console.log(`served: ${[...served].sort().join(' ')}`)
  summarise(results, { only: MODELS })
  if (problems.length > 0) {
    console.log(`${problems.length} problem(s) in the page`)
    process.exitCode = 1
  }
  console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s in the browser`)
} finally {
  await browser.close()
  server.close()
}
