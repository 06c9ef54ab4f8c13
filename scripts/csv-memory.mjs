#!/usr/bin/env node
// How much memory and time `softgrad train` needs for a big CSV of numbers (DESIGN.md, "CSV files
// stream": peak RSS at most 2 × the file size + 250 MB on a 120 MB file). Not a test: it takes
// minutes and gigabytes of disk, so run it by hand and put the figures in the report.
//
//   node scripts/csv-memory.mjs make /tmp/big120.csv 120     write 120 MB: 20 features + 'label'
//   node scripts/csv-memory.mjs measure /tmp/big120.csv      train one epoch under /usr/bin/time -v
//
// `measure` runs `npx tsx src/cli.ts train --data FILE --label label --epochs 1 --hidden 16` in
// the working directory (so it measures whichever checkout you run it from) and prints the peak
// resident set size and the wall time; delete the file afterwards.
import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

const FEATURES = 20
const CLASSES = ['a', 'b', 'c']

/** A CSV of about `mb` megabytes: values like -3.1416 from a fixed-seed generator, classes a, b, c. */
function make(path, mb) {
  let seed = 1
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296
  const fd = openSync(path, 'w')
  let bytes = writeSync(fd, [...Array.from({ length: FEATURES }, (_, j) => `f${j}`), 'label'].join(',') + '\n')
  while (bytes < mb * 1e6) {
    let block = ''
    for (let r = 0; r < 1000; r++) {
      const row = Array.from({ length: FEATURES }, () => (random() * 10 - 5).toFixed(4))
      row.push(CLASSES[Math.floor(random() * CLASSES.length)])
      block += row.join(',') + '\n'
    }
    bytes += writeSync(fd, block)
  }
  closeSync(fd)
  console.log(`${path}: ${(bytes / 1e6).toFixed(1)} MB`)
}

/** Peak RSS and wall time of one epoch of `softgrad train` on `path`. */
function measure(path, extra) {
  const args = ['-v', 'npx', 'tsx', 'src/cli.ts', 'train', '--data', path, '--label', 'label', '--epochs', '1', '--hidden', '16', ...extra]
  const run = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  const field = (name) => run.stderr.match(new RegExp(`${name}: (.*)`))?.[1]
  const rss = Number(field('Maximum resident set size \\(kbytes\\)')) / 1024
  const size = statSync(path).size / 1e6
  process.stdout.write(run.stdout.split('\n').slice(0, 3).join('\n') + '\n')
  if (run.status !== 0) process.stdout.write(run.stderr.split('\n').filter((l) => !l.startsWith('\t')).join('\n') + '\n')
  console.log(`file ${size.toFixed(1)} MB, exit ${field('Exit status')}`)
  console.log(`peak RSS ${rss.toFixed(0)} MB (limit 2 × file + 250 MB = ${(2 * size + 250).toFixed(0)} MB), wall ${field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)')}`)
}

const [command, path, ...rest] = process.argv.slice(2)
if (command === 'make' && path) make(path, Number(rest[0] ?? 120))
else if (command === 'measure' && path) measure(path, rest)
else {
  console.error('usage: node scripts/csv-memory.mjs make FILE.csv MB | measure FILE.csv [extra train flags]')
  process.exit(2)
}
