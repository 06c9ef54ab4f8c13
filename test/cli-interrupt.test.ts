/** Ctrl-C during training: fitAsync lets the signal in, and softgrad train gives the terminal back and saves nothing. */
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fit, fitAsync, nn, saveModel, toy, type ProgressReporter } from '../src/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))

const spiralModel = () => nn.mlp([2, 16, 3], { seed: 0 })

describe('fitAsync', () => {
  const data = toy.spirals({ n: 90, seed: 0 })

  it('gives the very history fit gives', async () => {
    expect(await fitAsync(spiralModel(), data, { epochs: 3, seed: 4 })).toEqual(fit(spiralModel(), data, { epochs: 3, seed: 4 }))
  })

  it('stops when a timer aborts its signal: it lets the event loop run while it trains', async () => {
    const stop = new AbortController()
    const calls: string[] = []
    const reporter: ProgressReporter = { start: () => calls.push('start'), tick: () => {}, stop: () => calls.push('stop') }
    let epochs = 0
    setTimeout(() => stop.abort(), 0) // runs only if fitAsync yields: fit would train all 100,000 epochs first
    const error = await fitAsync(spiralModel(), data, { epochs: 100_000, signal: stop.signal, progress: reporter, onEpoch: () => epochs++ })
      .catch((e: unknown) => e)
    expect(error).toBe(stop.signal.reason) // it rejects with the signal's reason, an AbortError
    expect((error as Error).name).toBe('AbortError')
    expect(epochs).toBeLessThan(100_000)
    expect(calls).toEqual(['start', 'stop']) // the bar is stopped before the rejection
  })

  it('and fit stops between steps when code it calls aborts the signal', () => {
    const stop = new AbortController()
    const seen: number[] = []
    const run = () => fit(spiralModel(), data, { epochs: 10, signal: stop.signal, onEpoch: (row) => (seen.push(row.epoch), row.epoch === 2 && stop.abort(new Error('enough'))) })
    expect(run).toThrow('enough')
    expect(seen).toEqual([1, 2])
  })
})

/** Run `command` in a pseudo-terminal (script), press Ctrl-C once an epoch has ended, and collect what the terminal showed. */
function interruptInTerminal(command: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root })
    let screen = ''
    let pressed = false
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8')
      if (!pressed && /epoch [1-9]\d*\/1000000/.test(screen)) {
        pressed = true
        child.stdin.write('\x03') // the terminal turns ^C into SIGINT for the foreground process
      }
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, screen }))
  })
}

describe('Ctrl-C during softgrad train', () => {
  it('stops the bar, shows the cursor, turns line wrap back on, says so, exits 130 and leaves --out as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'softgrad-interrupt-'))
    const out = join(dir, 'model.safetensors')
    saveModel(out, nn.mlp([2, 4, 3], { seed: 1 }), { classes: ['a', 'b', 'c'], featureNames: ['x1', 'x2'] }) // a model from before
    const before = readFileSync(out)
    const tsx = join(root, 'node_modules/tsx/dist/esm/index.mjs')
    const { code, screen } = await interruptInTerminal(
      `${process.execPath} --import ${tsx} ${join(root, 'src/cli.ts')} train --dataset spirals --epochs 1000000 --out ${out}`,
    )
    expect(code).toBe(130)
    const hidden = Math.max(screen.lastIndexOf('\x1b[?25l'), screen.lastIndexOf('\x1b[?7l'))
    expect(hidden).toBeGreaterThan(-1)
    expect(screen.indexOf('\x1b[?25h', hidden)).toBeGreaterThan(hidden) // the cursor shown again
    expect(screen.indexOf('\x1b[?7h', hidden)).toBeGreaterThan(hidden) // line wrap on again
    const message = screen.match(/softgrad train: interrupted at epoch (\d+) of 1000000; nothing saved\r?\n$/)
    expect(message, screen.slice(-400)).not.toBeNull()
    expect(Number(message![1])).toBeGreaterThanOrEqual(2) // an epoch had ended before Ctrl-C
    expect(screen.lastIndexOf('\x1b[?25h')).toBeLessThan(screen.indexOf('interrupted at epoch')) // restored before the message
    expect(readFileSync(out)).toEqual(before)
    expect(readdirSync(dir)).toEqual(['model.safetensors']) // no temp file either
  })
})
