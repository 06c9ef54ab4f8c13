#!/usr/bin/env node
// The `softgrad` command: runs the compiled CLI (npm install / npm ci build it through `prepare`).
let main
try {
  ;({ main } = await import('../dist/cli.js'))
} catch (e) {
  // Not built, or its packages not installed: say how to fix it, not Node's stack trace.
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e
  process.stderr.write(`softgrad: cannot start: ${e.message.split('\n')[0]}; run npm install in the softgrad folder (it also builds dist/)\n`)
  process.exit(2)
}
process.exitCode = await main(process.argv.slice(2))
