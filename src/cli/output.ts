/**
 * What the command line does when its output cannot be written. A reader that stops early
 * (`softgrad predict ... | head -1`) closes the pipe: that is a normal end, so the command ends
 * quietly with its own exit code. Any other failed write (a full disk: `... > /dev/full`) is one
 * line on stderr and exit code 2. Never Node's "Unhandled 'error' event" and its stack trace.
 */

/** A write error as Node reports it: `code` is 'EPIPE', 'ENOSPC', … */
type WriteError = Error & { code?: string }

/**
 * Run `command` with stdout and stderr watched, then wait until stdout has taken all it was given.
 * Resolves to the command's exit code; after a failed write other than a closed pipe, to 2.
 */
export async function withCheckedOutput(label: string, command: () => Promise<number>): Promise<number> {
  let failed: WriteError | undefined
  const onStdoutError = (e: WriteError) => {
    failed ??= e
  }
  // NOTE: when stderr itself fails there is nowhere left to say so; the exit code still tells.
  const onStderrError = () => {}
  process.stdout.on('error', onStdoutError)
  process.stderr.on('error', onStderrError)
  try {
    const code = await command()
    const flushError = await flushed(process.stdout)
    failed ??= flushError
    if (failed === undefined || isClosedPipe(failed)) return code
    process.stderr.write(`${label}: cannot write the output: ${describeWriteError(failed)}\n`)
    return 2
  } finally {
    process.stdout.off('error', onStdoutError)
    process.stderr.off('error', onStderrError)
  }
}

/**
 * Write `lines` to stdout, each followed by a newline, a block at a time; stops early once
 * stdout has failed (the reader closed the pipe), so a long output is not built up for nobody.
 */
export function writeLines(lines: Iterable<string>, blockLines = 1000): void {
  let block: string[] = []
  for (const line of lines) {
    if (stdoutClosed()) return
    block.push(line)
    if (block.length === blockLines) {
      process.stdout.write(block.join('\n') + '\n')
      block = []
    }
  }
  if (block.length > 0 && !stdoutClosed()) process.stdout.write(block.join('\n') + '\n')
}

/** Has stdout failed? A failed write destroys the stream at once; its 'error' event comes later. */
function stdoutClosed(): boolean {
  return process.stdout.destroyed
}

/** Resolves once everything written to `stream` so far is written (or has failed): to the error, if any. */
function flushed(stream: NodeJS.WriteStream): Promise<WriteError | undefined> {
  return new Promise((resolve) => {
    // setImmediate: a failed stream's 'error' event may still be on its way; let it arrive first.
    const settle = (e?: WriteError | null) => setImmediate(() => resolve(e ?? undefined))
    if (stream.destroyed) return settle()
    stream.write('', (e) => settle(e as WriteError | null | undefined))
  })
}

function isClosedPipe(e: WriteError): boolean {
  // ERR_STREAM_DESTROYED: a write after the pipe was closed, which is how a closed pipe looks to a later write.
  return e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED'
}

/** ENOSPC → 'no space left on device (ENOSPC): free some space or write somewhere else'. */
function describeWriteError(e: WriteError): string {
  if (e.code === 'ENOSPC') return 'no space left on device (ENOSPC); free some space or write the output somewhere else'
  return e.message.replace(/\s*\n\s*/g, ' ')
}
