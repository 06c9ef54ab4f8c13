import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests need Chromium and a built playground: npm run test:browser runs them.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    reporters: ['default', './test/count-reporter.ts'],
    testTimeout: 60_000,
  },
})
