/**
 * One system on one workload, in a process of its own, so no system warms up or slows down
 * another. The harness starts it as
 *
 *   node --import tsx/esm bench/child.ts <system> <workload> [--epochs N] [--rows N]
 *
 * tsx/esm, not tsx: tsx's require hook detaches an ArrayBuffer on the main thread, and after
 * that V8 checks every typed-array access in the process for a detached buffer, which slowed
 * softgrad's plain loops by up to 2× (tsx/esm's hooks run on a thread of their own).
 *
 * and reads the one line it prints that starts with RESULT_MARK. Only the epochs are timed: the
 * data, the model, the backend's start-up and the batches are made before the clock starts.
 */
import { performance } from 'node:perf_hooks'
import {
  readWorkload, RESULT_MARK, SPECS, SYSTEMS, WORKLOADS,
  type BenchTrainer, type ChildResult, type SystemName, type WorkloadData, type WorkloadName,
} from './workloads.js'

async function setupSystem(system: SystemName, data: WorkloadData): Promise<BenchTrainer> {
  switch (system) {
    case 'softgrad':
      return (await import('./systems/softgrad.js')).setup(data, 'fit')
    case 'softgrad-plain':
      return (await import('./systems/softgrad.js')).setup(data, 'plain')
    case 'tfjs-cpu':
      return (await import('./systems/tfjs.js')).setup(data, 'cpu')
    case 'tfjs-wasm':
      return (await import('./systems/tfjs.js')).setup(data, 'wasm')
    case 'convnetjs':
      return (await import('./systems/convnetjs.js')).setup(data)
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * samples/s: the rows over the median epoch after the first (the first carries the JIT's and
 * the backend's warm-up). steps/s (W3, one full-batch step an epoch): the steps after the
 * first over their total time.
 */
function throughputOf(unit: 'samples/s' | 'steps/s', rows: number, epochSeconds: readonly number[]): number {
  const timed = epochSeconds.slice(1)
  if (timed.length === 0) throw new Error('bench: the throughput needs at least 2 epochs (the first is not timed)')
  return unit === 'samples/s' ? rows / median(timed) : timed.length / timed.reduce((a, b) => a + b, 0)
}

async function main(): Promise<void> {
  const [system, workload, ...rest] = process.argv.slice(2)
  if (!SYSTEMS.includes(system as SystemName) || !WORKLOADS.includes(workload as WorkloadName)) {
    throw new Error(`usage: child.ts <${SYSTEMS.join('|')}> <${WORKLOADS.join('|')}> [--epochs N] [--rows N]`)
  }
  const flag = (name: string): number | undefined => {
    const i = rest.indexOf(name)
    return i >= 0 ? Number(rest[i + 1]) : undefined
  }
  const spec = SPECS[workload as WorkloadName]
  const epochs = flag('--epochs') ?? spec.epochs
  const data = readWorkload(spec.name, flag('--rows'))
  const trainer = await setupSystem(system as SystemName, data)

  const epochSeconds: number[] = []
  for (let e = 0; e < epochs; e++) {
    const start = performance.now()
    await trainer.epoch()
    epochSeconds.push((performance.now() - start) / 1000)
  }
  const { loss, accuracy } = await trainer.evaluate()
  trainer.dispose?.()

  const result: ChildResult = {
    system: system as SystemName,
    workload: spec.name,
    rows: data.n,
    epochs,
    epochSeconds,
    throughput: throughputOf(spec.unit, data.n, epochSeconds),
    unit: spec.unit,
    loss,
    accuracy,
  }
  process.stdout.write(RESULT_MARK + JSON.stringify(result) + '\n')
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err)
  process.exit(1)
})
