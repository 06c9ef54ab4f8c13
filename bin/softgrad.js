#!/usr/bin/env node
// The `softgrad` command: runs the compiled CLI (npm install / npm ci build it through `prepare`).
import { main } from '../dist/cli.js'

process.exitCode = await main(process.argv.slice(2))
