/** Ctrl-C during training: fitAsync lets the signal in. */
import { describe, expect, it } from 'vitest'
import { fit, fitAsync, nn, toy, type ProgressReporter } from '../src/index.js'

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
