/**
 * The benchmark of issue 7: softgrad against TensorFlow.js (cpu and wasm backends) and ConvNetJS
 * on identical work. Run from the root with `npm run bench` (bench/run.mjs installs bench/'s
 * packages on first use, then starts this file):
 *
 *   npm run bench                      3 rounds, writes bench/results/latest.json
 *   npm run bench -- --rounds 5
 *   npm run bench -- --quick           a smoke run: 1 round, fewer epochs, W2 on 1024 rows;
 *                                      writes bench/results/latest-quick.json
 *   npm run bench -- --systems softgrad,tfjs-wasm --workloads W1,W3
 *
 * It writes the shared data and initial weights once (prepare.ts), then runs every system on
 * every workload in a child process of its own (child.ts), interleaved: round 1 runs softgrad,
 * softgrad-plain, tfjs-cpu, tfjs-wasm, convnetjs on W1, then on W2, then on W3; round 2 the same
 * in the reverse order of systems; and so on. A slow moment of the machine then lands on one
 * round of each system, and the median over the rounds leaves it out.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { prepareAll } from './prepare.js'
import {
  BENCH_DIR, QUICK_EPOCHS, QUICK_W2_ROWS, RESULT_MARK, ROOT_DIR, SPECS, SYSTEMS, WORKLOADS,
  type ChildResult, type SystemName, type WorkloadName,
} from './workloads.js'

/**
 * The targets: each softgrad loop ≥ this many times tfjs-wasm (issue 20, after the WebAssembly
 * kernels; issue 7's were 1.5, 1.0 and 4.0), and ahead of tfjs-cpu and ConvNetJS everywhere.
 */
const TARGET_VS_WASM: Record<WorkloadName, number> = { W1: 4.0, W2: 3.5, W3: 4.0 }
/** The two softgrad loops: fit's, and the README's plain one. */
const SOFTGRADS: readonly SystemName[] = ['softgrad', 'softgrad-plain']
/** A child that runs longer than this is stopped and counted as failed. */
const CHILD_TIMEOUT_MS = 15 * 60 * 1000

interface Options {
  rounds: number
  quick: boolean
  systems: SystemName[]
  workloads: WorkloadName[]
}

const USAGE = `usage: npm run bench -- [--rounds N] [--quick] [--systems ${SYSTEMS.join(',')}] [--workloads ${WORKLOADS.join(',')}]

  --rounds N      rounds of every system on every workload, interleaved; the median is reported (default 3, --quick 1)
  --quick         a smoke run: W1 ${QUICK_EPOCHS.W1} epochs, W2 ${QUICK_EPOCHS.W2} epochs on ${QUICK_W2_ROWS} rows, W3 ${QUICK_EPOCHS.W3} steps;
                  writes bench/results/latest-quick.json, never latest.json
  --systems LIST  only these systems (comma-separated)
  --workloads LIST  only these workloads (comma-separated)`

function parseArgs(argv: string[]): Options {
  const options: Options = { rounds: NaN, quick: false, systems: [...SYSTEMS], workloads: [...WORKLOADS] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) fail(`${arg} needs a value`)
      return v
    }
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else if (arg === '--quick') {
      options.quick = true
    } else if (arg === '--rounds') {
      const v = value()
      options.rounds = Number(v)
      if (!Number.isInteger(options.rounds) || options.rounds < 1) fail(`--rounds must be a whole number ≥ 1, got ${v}`)
    } else if (arg === '--systems') {
      options.systems = listOf(value(), SYSTEMS, '--systems')
    } else if (arg === '--workloads') {
      options.workloads = listOf(value(), WORKLOADS, '--workloads')
    } else {
      fail(`unknown argument ${arg}`)
    }
  }
  if (Number.isNaN(options.rounds)) options.rounds = options.quick ? 1 : 3
  return options
}

function listOf<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '')
  for (const item of items) if (!allowed.includes(item as T)) fail(`${flag}: unknown '${item}'; choose from ${allowed.join(', ')}`)
  return allowed.filter((a) => items.includes(a)) // in the usual order
}

function fail(message: string): never {
  console.error(`bench: ${message}\n\n${USAGE}`)
  process.exit(2)
}

/** Run one child; its result, or an Error carrying the end of what it printed. */
function runChild(system: SystemName, workload: WorkloadName, quick: boolean): Promise<ChildResult | Error> {
  const args: string[] = [system, workload]
  if (quick) args.push('--epochs', String(QUICK_EPOCHS[workload]))
  if (quick && workload === 'W2') args.push('--rows', String(QUICK_W2_ROWS))
  // tsx/esm, not tsx: see child.ts (tsx's require hook would slow softgrad's typed-array loops).
  const tsx = import.meta.resolve('tsx/esm')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, path.join(BENCH_DIR, 'child.ts'), ...args], {
      cwd: ROOT_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => child.kill(), CHILD_TIMEOUT_MS)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK))
      if (code === 0 && line !== undefined) return resolve(JSON.parse(line.slice(RESULT_MARK.length)) as ChildResult)
      const tail = (err + out).trim().split('\n').slice(-15).join('\n')
      resolve(new Error(`${system} on ${workload} ${signal !== null ? `was stopped (${signal})` : `exited with code ${code}`}:\n${tail}`))
    })
  })
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

function formatRate(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)
}

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'not installed'
  }
}

interface Cell {
  workload: WorkloadName
  system: SystemName
  runs: ChildResult[]
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const { rounds, quick, systems, workloads } = options
  const machine = {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: Number(os.loadavg()[0].toFixed(2)),
  }
  console.log(`softgrad benchmark${quick ? ' (--quick)' : ''}: ${rounds} round${rounds > 1 ? 's' : ''} of ${systems.join(', ')} on ${workloads.join(', ')}`)
  console.log(`${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.os}; load average ${machine.loadAverage} at the start\n`)

  const started = Date.now()
  prepareAll()
  console.log(`wrote the shared data and initial weights to bench/.cache/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)

  const cells: Cell[] = workloads.flatMap((workload) => systems.map((system) => ({ workload, system, runs: [] as ChildResult[] })))
  const failures: Error[] = []
  for (let round = 1; round <= rounds; round++) {
    // Odd rounds in the usual order of systems, even rounds reversed: no system always runs
    // right after the same other one.
    const order = round % 2 === 1 ? systems : [...systems].reverse()
    for (const workload of workloads) {
      for (const system of order) {
        const t0 = Date.now()
        const result = await runChild(system, workload, quick)
        const seconds = ((Date.now() - t0) / 1000).toFixed(1)
        const label = `round ${round}/${rounds}  ${workload}  ${system.padEnd(14)}`
        if (result instanceof Error) {
          failures.push(result)
          console.log(`${label}  FAILED (${seconds} s)\n${result.message.replace(/^/gm, '    ')}`)
          continue
        }
        cells.find((c) => c.workload === workload && c.system === system)!.runs.push(result)
        console.log(`${label}  ${formatRate(result.throughput).padStart(8)} ${result.unit}  accuracy ${(100 * result.accuracy).toFixed(1)}%  loss ${result.loss.toFixed(4)}  (${seconds} s)`)
      }
    }
  }

  const results = cells
    .filter((c) => c.runs.length > 0)
    .map((c) => ({
      workload: c.workload,
      system: c.system,
      throughput: median(c.runs.map((r) => r.throughput)),
      unit: SPECS[c.workload].unit,
      accuracy: c.runs[0].accuracy,
      loss: c.runs[0].loss,
      epochs: c.runs[0].epochs,
      rows: c.runs[0].rows,
      runs: c.runs.map((r) => r.throughput),
    }))
  const find = (w: WorkloadName, s: SystemName) => results.find((r) => r.workload === w && r.system === s)

  // Every round trains from the same bytes in the same order, so a system's rounds agree exactly.
  for (const c of cells) {
    if (new Set(c.runs.map((r) => r.loss)).size > 1) console.log(`NOTE: ${c.system} on ${c.workload} ended with a different loss in different rounds`)
  }

  // The same work should end in about the same place. W1's lr 0.1 with momentum 0.9 is on the edge
  // of stability, so rounding differences (float32 against float64, or the order of a sum) grow
  // over its 10 epochs; `child.ts <system> W1 --epochs 3` shows the systems agreeing early on.
  for (const w of workloads) {
    const accuracies = results.filter((r) => r.workload === w).map((r) => r.accuracy)
    const spread = 100 * (Math.max(...accuracies) - Math.min(...accuracies))
    if (spread > 1) console.log(`NOTE: the final accuracies on ${w} differ by ${spread.toFixed(1)} points: the training is chaotic enough that float32 and float64 rounding part ways (they agree over the first epochs)`)
  }

  const date = new Date().toISOString()
  console.log(`\n${date.slice(0, 10)}, ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; median of ${rounds} round${rounds > 1 ? 's' : ''}${quick ? ' (--quick: not comparable with a full run)' : ''}`)
  console.log('(×: softgrad\'s throughput, with fit\'s loop, over that system\'s)\n')
  console.log(`| workload | unit | ${systems.join(' | ')} |`)
  console.log(`|---|---|${systems.map(() => '---|').join('')}`)
  for (const w of workloads) {
    const sg = find(w, 'softgrad')
    const row = systems.map((s) => {
      const r = find(w, s)
      if (r === undefined) return 'failed'
      return SOFTGRADS.includes(s) || sg === undefined ? formatRate(r.throughput) : `${formatRate(r.throughput)} (${(sg.throughput / r.throughput).toFixed(2)}×)`
    })
    console.log(`| ${w} ${SPECS[w].title} | ${SPECS[w].unit} | ${row.join(' | ')} |`)
  }
  console.log('\nfinal training accuracy (loss) on all the rows:\n')
  console.log(`| workload | ${systems.join(' | ')} |`)
  console.log(`|---|${systems.map(() => '---|').join('')}`)
  for (const w of workloads) {
    const row = systems.map((s) => {
      const r = find(w, s)
      return r === undefined ? 'failed' : `${(100 * r.accuracy).toFixed(1)}% (${r.loss.toFixed(3)})`
    })
    console.log(`| ${w} | ${row.join(' | ')} |`)
  }

  const missed: string[] = []
  if (SOFTGRADS.some((s) => systems.includes(s))) {
    console.log('\ntargets (issue 20):')
    for (const w of workloads) {
      for (const loop of SOFTGRADS) {
        const sg = find(w, loop)
        if (sg === undefined) continue
        const checks: string[] = []
        for (const s of systems.filter((s) => !SOFTGRADS.includes(s))) {
          const r = find(w, s)
          if (r === undefined) continue
          const need = s === 'tfjs-wasm' ? TARGET_VS_WASM[w] : 1
          const ratio = sg.throughput / r.throughput
          const met = ratio >= need
          if (!met) missed.push(`${w} ${loop} vs ${s}`)
          checks.push(`${ratio.toFixed(2)}× ${s} (need ≥ ${need}) ${met ? 'met' : 'MISSED'}`)
        }
        if (checks.length > 0) console.log(`  ${w} ${loop.padEnd(14)} ${checks.join('; ')}`)
      }
    }
  }

  const complete = !quick && failures.length === 0 && systems.length === SYSTEMS.length && workloads.length === WORKLOADS.length
  const file = quick ? 'latest-quick.json' : complete ? 'latest.json' : 'latest-partial.json'
  const report = {
    date,
    machine,
    versions: { tfjs: versionOf('@tensorflow/tfjs'), 'tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'), convnetjs: versionOf('convnetjs') },
    rounds,
    quick,
    results,
    /** the issue 20 targets not met in this run, e.g. 'W3 softgrad-plain vs tfjs-wasm' */
    missed,
  }
  fs.mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true })
  fs.writeFileSync(path.join(BENCH_DIR, 'results', file), JSON.stringify(report, null, 2) + '\n')
  console.log(`\nwrote bench/results/${file} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`)
  if (failures.length > 0) {
    console.error(`bench: ${failures.length} run${failures.length > 1 ? 's' : ''} failed (above)`)
    process.exit(1)
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err)
  process.exit(1)
})
