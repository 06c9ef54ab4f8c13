/** `softgrad softmax 4 2 -1 --temperature 3`: the probability table of some logits. */
import { tensor } from '../creation.js'
import { softmax } from '../ops/index.js'
import { parseArgs, numberFlag, UsageError } from './args.js'
import { table } from './format.js'

export const SOFTMAX_HELP = `Usage: softgrad softmax LOGIT... [--temperature T] [--json]

Print softmax(logits / T): each logit's probability, exact and to three decimals.
Negative numbers are values, not flags: softgrad softmax 4 2 -1 --temperature 3

  --temperature T   a finite number > 0 (default 1); below 1 sharpens, above 1 flattens
  --json            print one JSON object: the logits, the temperature and the probabilities
`

export function softmaxCommand(argv: string[]): number {
  const args = parseArgs('softmax', argv, { values: ['temperature'], booleans: ['help', 'json'] })
  if (args.flags.has('help')) {
    process.stdout.write(SOFTMAX_HELP)
    return 0
  }
  if (args.positionals.length === 0) throw new UsageError('softmax: give at least one logit, like softgrad softmax 4 2 -1')
  const logits = args.positionals.map((s) => {
    const v = Number(s)
    if (s.trim() === '' || !Number.isFinite(v)) throw new UsageError(`softmax: '${s}' is not a finite number; logits are numbers like 4 2 -1`)
    return v
  })
  const temperature = numberFlag('softmax', args, 'temperature', 1, { min: 0, exclusiveMin: true })
  const p = softmax(tensor(logits), { temperature }).data
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify({ logits, temperature, probabilities: Array.from(p) }) + '\n')
    return 0
  }
  const rows = logits.map((z, i) => [String(z), p[i].toFixed(3), String(p[i])])
  process.stdout.write(`softmax at T = ${temperature}\n${table(['logit', 'p', 'exact'], rows)}\n`)
  return 0
}
