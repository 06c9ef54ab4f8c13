#!/usr/bin/env node
/**
 * `npm run bench`: installs bench/'s own packages (TensorFlow.js, its WASM backend, ConvNetJS)
 * with `npm ci --prefix bench` on first use, or when bench/package-lock.json is newer than the
 * install, then runs the harness (harness.ts) under tsx with the arguments it was given.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const bench = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(bench)
const modules = path.join(bench, 'node_modules')
const wanted = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'convnetjs']

function installed() {
  if (!wanted.every((pkg) => fs.existsSync(path.join(modules, pkg, 'package.json')))) return false
  const record = path.join(modules, '.package-lock.json') // npm writes it on every install
  return fs.existsSync(record) && fs.statSync(record).mtimeMs >= fs.statSync(path.join(bench, 'package-lock.json')).mtimeMs
}

if (!fs.existsSync(path.join(root, 'node_modules', 'tsx'))) {
  console.error('bench: softgrad is not installed; run `npm install` at the repository root first')
  process.exit(2)
}
if (!installed()) {
  console.error('bench: installing the systems to compare into bench/node_modules (npm ci --prefix bench --ignore-scripts) ...')
  // Under `npm run`, npm_execpath is npm's own CLI script; otherwise call npm from the PATH.
  const npm = process.env.npm_execpath
  const [command, args] = npm && /\.[cm]?js$/.test(npm) ? [process.execPath, [npm]] : ['npm', []]
  // --ignore-scripts: none of these packages needs one (core-js's postinstall only prints a message).
  const install = spawnSync(command, [...args, 'ci', '--prefix', bench, '--ignore-scripts', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root })
  if (install.status !== 0) {
    console.error('bench: npm ci --prefix bench failed (above)')
    process.exit(install.status ?? 1)
  }
}

const harness = spawnSync(process.execPath, ['--import', 'tsx', path.join(bench, 'harness.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root })
process.exit(harness.status ?? 1)
