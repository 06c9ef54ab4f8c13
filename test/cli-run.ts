/**
 * The softgrad command run in-process through main(), with stdout and stderr captured: fast
 * enough for hundreds of runs. Write callbacks are called, as a real stream calls them.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { vi } from 'vitest'
import { main } from '../src/cli.js'

export const root = fileURLToPath(new URL('..', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

type Write = (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => boolean

/** main(args) with stdout and stderr captured; resolves to the exit code and what each stream got. */
export async function runCli(args: string[]): Promise<CliResult> {
  const text = { stdout: '', stderr: '' }
  const capture = (stream: 'stdout' | 'stderr'): Write => (chunk, encoding, callback) => {
    text[stream] += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') process.nextTick(done as () => void)
    return true
  }
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture('stdout') as typeof process.stdout.write)
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture('stderr') as typeof process.stderr.write)
  try {
    const code = await main(args)
    return { code, ...text }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

/** The command as a real process (node with tsx), for what only a process shows: pipes, /dev/full, exit codes. */
export function spawnCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, ...options })
  return { code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') }
}

/** One bash command line in the project folder, for pipes (`| head -1; exit ${PIPESTATUS[0]}`). */
export function bash(line: string): CliResult {
  const r = spawnSync('bash', ['-c', line], { cwd: root, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** A stack trace's frame line, or Node's report of an unhandled error. */
export const STACK_TRACE = /\n\s+at |Unhandled 'error' event|node:internal|^\s*throw /m
