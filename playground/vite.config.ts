/**
 * Vite for the playground: `npm run playground` serves it, `npm run build:playground` writes
 * static files to playground/dist. The pages import softgrad's source from ../src. Two pages:
 * the playground (index.html) and the softmax lab (softmax.html, linked from it).
 *
 * The lab is built second, on its own, into the same dist/. Built as one multi-page build the
 * two pages would share a chunk of softgrad, and the playground would open with two files
 * instead of one: 1.3 KB more gzipped JavaScript on its first load for a page it never opens.
 */
import { build, defineConfig, type Plugin, type UserConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('..', import.meta.url))
const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url))

/**
 * protobufjs (and its long) is CommonJS, which a bundler keeps in case loading it does
 * something. It only defines things, so the lab, which never exports ONNX, leaves it out. The
 * playground exports ONNX only when its download is pressed: with the exporter and its schema
 * also marked as only defining things, they and protobufjs go into that download's own chunk
 * instead of following src/browser.ts's re-export into the page's first load (31 KB gzipped).
 */
const PURE_PACKAGES = /[\\/]node_modules[\\/](protobufjs|long)[\\/]|[\\/]src[\\/]export[\\/]onnx(-schema)?\.ts$/

/** What both builds share: the folder, relative asset paths (dist/ works from any folder of any static host), the target. */
const shared = {
  root: here('.'),
  base: './',
  build: {
    outDir: 'dist',
    target: 'es2022',
    rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => (PURE_PACKAGES.test(id) ? false : undefined) } },
  },
} satisfies UserConfig

/** After the playground's build, build the lab into the same dist/, sharing no chunk with it. */
function softmaxLab(): Plugin {
  return {
    name: 'softgrad-softmax-lab',
    apply: 'build',
    async closeBundle() {
      await build({
        ...shared,
        configFile: false,
        logLevel: 'warn',
        build: { ...shared.build, emptyOutDir: false, rolldownOptions: { ...shared.build.rolldownOptions, input: here('softmax.html') } },
      })
    },
  }
}

export default defineConfig({
  ...shared,
  server: {
    host: '127.0.0.1',
    // The page imports ../src, outside this folder.
    fs: { allow: [repo] },
  },
  preview: { host: '127.0.0.1' },
  plugins: [softmaxLab()],
  build: {
    ...shared.build,
    emptyOutDir: true,
    // Graphviz's WebAssembly is one large chunk, loaded only when a graph is drawn.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { ...shared.build.rolldownOptions, input: here('index.html') },
  },
})
