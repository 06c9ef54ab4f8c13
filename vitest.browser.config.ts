/**
 * The browser tests (npm run test:browser): playwright-core drives Debian's Chromium against the
 * built playground (playground/dist, served by vite preview). One file at a time: the machine
 * has two cores, and the spirals test times training.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['./test/browser/serve.ts'],
    reporters: ['default', './test/count-reporter.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
