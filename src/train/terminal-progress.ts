/** The default progress bar for Node terminals (cli-progress); silent when stderr is not a TTY. */
import cliProgress from 'cli-progress'
import type { ProgressReporter } from './progress.js'

export function terminalProgress(): ProgressReporter | null {
  if (!process.stderr.isTTY) return null
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {value}/{total} [{bar}] loss {loss} acc {accuracy}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  return {
    start: (total) => bar.start(total, 0, { loss: '—', accuracy: '—' }),
    tick: (info) => bar.update(info.epoch, { loss: info.loss.toFixed(4), accuracy: info.accuracy.toFixed(3) }),
    stop: () => bar.stop(),
  }
}
