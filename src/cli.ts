/**
 * The `softgrad` command. Bad flags and bad files end with one clear line on stderr and exit
 * code 2, never a stack trace.
 */
import { readFileSync, realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { train, TRAIN_HELP } from './cli/train.js'
import { predictCommand, evaluateCommand, PREDICT_HELP, EVALUATE_HELP } from './cli/predict.js'
import { softmaxCommand, SOFTMAX_HELP } from './cli/softmax.js'
import { explainCommand, EXPLAIN_HELP } from './cli/explain.js'
import { graphCommand, GRAPH_HELP } from './cli/graph.js'
import { exportCommand, EXPORT_HELP } from './cli/export.js'
import { withCheckedOutput } from './cli/output.js'
import { kernelsInfo } from './kernels/wasm.js'

const HELP = `softgrad — a small neural-network framework that proves its own gradients

Usage: softgrad <command> [options]

Commands:
  train      train a classifier on a CSV file or toy data, report accuracy, save the model
  predict    a saved model's class probabilities for the rows of a CSV file
  evaluate   a saved model's accuracy and confusion matrix on a labelled CSV file
  softmax    the softmax probabilities of some logits, at a temperature
  explain    one forward and backward pass of a 2-3-2 network, every number and gradient shown
  graph      draw the graph of one training step's loss (SVG, DOT or Mermaid)
  export     a saved model as an ONNX file, for ONNX Runtime and other engines

  softgrad <command> --help   the options of one command (or softgrad help <command>)
  softgrad --version          the version

Example:
  softgrad train --data datasets/iris.csv --label species --out iris.safetensors
  softgrad predict --model iris.safetensors --data datasets/iris.csv
  softgrad softmax 4 2 -1 --temperature 3
  softgrad explain --temperature 2
  softgrad graph --dataset xor --hidden 3 --out graph.svg
  softgrad export --model iris.safetensors --format onnx --out iris.onnx
`

const COMMANDS: Record<string, (argv: string[]) => number | Promise<number>> = {
  train,
  predict: predictCommand,
  evaluate: evaluateCommand,
  softmax: softmaxCommand,
  explain: explainCommand,
  graph: graphCommand,
  export: exportCommand,
}

export { TRAIN_HELP, PREDICT_HELP, EVALUATE_HELP, SOFTMAX_HELP, EXPLAIN_HELP, GRAPH_HELP, EXPORT_HELP }

/**
 * Run the command line with `args` (without node and the script); resolves to the exit code:
 * 0, or 2 after one line on stderr (a bad flag, a bad file, output that cannot be written).
 */
export async function main(args: string[]): Promise<number> {
  const command = args[0]
  const label = command !== undefined && Object.hasOwn(COMMANDS, command) ? `softgrad ${command}` : 'softgrad'
  return withCheckedOutput(label, () => run(args))
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args
  const wantsHelp = command === undefined || command === '--help' || command === '-h' || command === 'help'
  if (wantsHelp || command === '--version') {
    // softgrad help train: the same as softgrad train --help.
    if (command === 'help' && rest.length === 1) return Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]](['--help']) : unknownCommand(rest[0])
    if (rest.length > 0) {
      process.stderr.write(`softgrad: ${command} takes nothing after it, got '${rest[0]}' (see softgrad --help; the options of one command: softgrad <command> --help)\n`)
      return 2
    }
    if (wantsHelp) {
      process.stdout.write(HELP)
      return 0
    }
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    process.stdout.write(`${pkg.version}\n`)
    return 0
  }
  // Object.hasOwn, not COMMANDS[command]: 'toString' is no command.
  if (!Object.hasOwn(COMMANDS, command)) return unknownCommand(command)
  try {
    kernelsInfo() // a wrong SOFTGRAD_KERNELS is an error before any work, not at the first product
    return await COMMANDS[command](rest) // await: an async command's error must reach this catch too
  } catch (e) {
    // One line: what went wrong and where (the messages name files, lines and columns).
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')
    const own = message.startsWith(`${command}: `) ? message.slice(command.length + 2) : message
    process.stderr.write(`softgrad ${command}: ${own}\n`)
    return 2
  }
}

function unknownCommand(name: string): number {
  process.stderr.write(`softgrad: unknown command '${name}'; the commands are ${Object.keys(COMMANDS).join(', ')} (see softgrad --help)\n`)
  return 2
}

// Run directly (npx tsx src/cli.ts train ...), not only through bin/softgrad.js.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2))
}
