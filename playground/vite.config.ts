/**
 * Vite for the playground: `npm run playground` serves it, `npm run build:playground` writes
 * static files to playground/dist. The page imports softgrad's source from ../src.
 */
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('..', import.meta.url))

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset paths: dist/ works from any folder of any static host.
  base: './',
  server: {
    host: '127.0.0.1',
    // The page imports ../src, outside this folder.
    fs: { allow: [repo] },
  },
  preview: { host: '127.0.0.1' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Graphviz's WebAssembly is one large chunk, loaded only when a graph is drawn.
    chunkSizeWarningLimit: 2000,
  },
})
