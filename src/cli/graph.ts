/** `softgrad graph`: draw the graph of one training step's loss of a small MLP on toy data. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, extname } from 'node:path'
import * as nn from '../nn/index.js'
import * as toy from '../data/toy.js'
import { batches } from '../data/batches.js'
import { makeRng } from '../random.js'
import { classCount } from '../train/metrics.js'
import { drawGraph, type DrawFormat } from '../teach/draw.js'
import { parseArgs, numberFlag, stringFlag, seedFlag, UsageError, refusePositionals } from './args.js'
import { activationHelp, activationFlag } from './activation.js'

export const GRAPH_HELP = `Usage: softgrad graph --out FILE [options]

Draw the graph of one training step's loss: an MLP's forward pass on a small batch of toy data
and its softmax cross-entropy, then backward, so every parameter's box shows its data and grad.
One box per tensor (name, shape, numbers when it holds at most 6), one oval per op.

  --out FILE             where to write; the format follows the extension:
                         .svg (rendered in-process), .dot (Graphviz) or .mmd / .mermaid
  --dataset NAME         spirals, moons, circles, blobs or xor (default xor)
  --hidden 3             hidden layer sizes, like 3 or 4,3 (default 3)
${activationHelp('tanh')}
  --batch B              points in the batch (default 3, so x and the logits show their numbers)
  --seed S               seeds the data, the weights and the batch: 0 to 4294967295 (default 0)
  --no-values            shapes only, no numbers

Example:
  softgrad graph --dataset xor --hidden 3 --out graph.svg
`

const FLAGS = { values: ['out', 'dataset', 'hidden', 'activation', 'batch', 'seed'], booleans: ['help', 'no-values'] }

const DATASETS = { spirals: toy.spirals, moons: toy.moons, circles: toy.circles, blobs: toy.blobs, xor: toy.xor }

const FORMATS: Record<string, DrawFormat> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid' }

export async function graphCommand(argv: string[]): Promise<number> {
  const args = parseArgs('graph', argv, FLAGS)
  if (args.flags.has('help')) {
    process.stdout.write(GRAPH_HELP)
    return 0
  }
  refusePositionals('graph', args)
  const out = stringFlag(args, 'out')
  if (out === undefined) throw new UsageError('graph: --out FILE is needed: graph.svg, graph.dot or graph.mmd (see softgrad graph --help)')
  const format = FORMATS[extname(out).toLowerCase()]
  if (format === undefined) throw new UsageError(`graph: --out must end in .svg, .dot or .mmd (the format follows it), got '${out}'`)
  const name = stringFlag(args, 'dataset') ?? 'xor'
  if (!(name in DATASETS)) throw new UsageError(`graph: --dataset must be spirals, moons, circles, blobs or xor, got '${name}'`)
  const hidden = parseHidden(stringFlag(args, 'hidden'))
  const activation = activationFlag('graph', args, 'tanh')
  const batchSize = numberFlag('graph', args, 'batch', 3, { min: 1, max: 64, integer: true })
  const seed = seedFlag('graph', args)

  // One training step's loss: a shuffled batch, forward, loss, backward (no optimiser step).
  const data = DATASETS[name as keyof typeof DATASETS]({ n: 100, seed })
  const classes = classCount(data.y)
  const sizes = [data.X.shape[1], ...hidden, classes]
  const model = nn.mlp(sizes, { activation, seed })
  const batch = batches(data.X, data.y, { batchSize, rng: makeRng(seed) }).next().value!
  const logits = model.forward(batch.X.named('x')).named('logits')
  const loss = new nn.SoftmaxCrossEntropy().forward(logits, batch.y).named('loss')
  loss.backward()

  const drawing = await drawGraph(loss, { format, values: !args.flags.has('no-values'), model })
  if (dirname(out) !== '.') mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, drawing)
  process.stdout.write(`wrote ${out}  (the loss of a ${sizes.join('-')} MLP (${activation}) on ${batchSize} ${name} points: ${loss.item().toFixed(4)})\n`)
  return 0
}

function parseHidden(raw: string | undefined): number[] {
  if (raw === undefined) return [3]
  const sizes = raw.split(',').map((s) => Number(s.trim()))
  if (raw.trim() === '' || sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 64)) {
    throw new UsageError(`graph: --hidden takes whole numbers from 1 to 64 separated by commas, like 3 or 4,3; got '${raw}'`)
  }
  return sizes
}
