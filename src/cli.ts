/**
 * The `softgrad` command. Every failure ends with one clear line on stderr and exit code 2.
 */
import { readFileSync } from 'node:fs'

const HELP = `softgrad — a small neural-network framework that proves its own gradients

Usage: softgrad <command> [options]

Commands:
  --help, help     show this help
  --version        print the version
`

/** Run the command line with `args` (without node and the script); resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command] = args
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP)
    return 0
  }
  if (command === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    process.stdout.write(`${pkg.version}\n`)
    return 0
  }
  process.stderr.write(`softgrad: unknown command '${command}' (see softgrad --help)\n`)
  return 2
}
