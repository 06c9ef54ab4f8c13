/**
 * Global setup of the browser tests: serve the built playground (playground/dist) with vite
 * preview on a free port of 127.0.0.1 and hand its address to the tests as `playgroundUrl`.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { preview } from 'vite'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    playgroundUrl: string
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url))

export default async function serve(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(`${root}playground/dist/index.html`)) {
    throw new Error('playground/dist is missing: build it first with npm run build:playground (npm run test:browser does)')
  }
  const server = await preview({
    configFile: `${root}playground/vite.config.ts`,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  })
  const url = server.resolvedUrls?.local[0]
  if (url === undefined) throw new Error('vite preview started but reports no local address')
  project.provide('playgroundUrl', url)
  return async () => {
    await server.close()
  }
}
