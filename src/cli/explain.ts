/**
 * `softgrad explain [--temperature T] [--seed S]`: one forward and one backward pass of a 2-3-2
 * network on one example, every number printed, ending with p − y beside finite differences.
 */
import { Tensor, noGrad } from '../tensor.js'
import { tensor } from '../creation.js'
import { makeRng, normal } from '../random.js'
import { linear, softmax } from '../ops/index.js'
import { Linear, Tanh } from '../nn/layers.js'
import { Sequential } from '../nn/sequential.js'
import { SoftmaxCrossEntropy } from '../nn/losses.js'
import { numericJacobian } from '../check/gradcheck.js'
import { traceBackward, formatTrace, flatten, type TraceStep } from '../teach/trace.js'
import { parseArgs, numberFlag, seedFlag, refusePositionals } from './args.js'
import { table } from './format.js'

export const EXPLAIN_HELP = `Usage: softgrad explain [--temperature T] [--seed S]

Backprop by hand, printed: a 2-3-2 network (Linear(2,3), tanh, Linear(3,2), softmax
cross-entropy) on one example. Every number of the forward pass, then the backward pass op by
op with each op's rule, then ∂loss/∂logits = (p − y)/T and every parameter's gradient beside
finite differences of the loss.

  --temperature T   the softmax temperature, a finite number > 0 (default 1)
  --seed S          a whole number from 0 to 4294967295 that picks the weights and the
                    example (default 0)
`

/** Four decimals, no minus on zero. */
const f = (x: number, decimals = 4): string => (Math.abs(x) < 0.5 * 10 ** -decimals ? 0 : x).toFixed(decimals)
const e = (x: number): string => x.toExponential(1)
const vector = (data: ArrayLike<number>): string => `[${Array.from(data, (x) => f(x)).join(', ')}]`
/** A matrix as table rows, one matrix row per line; the name, shape and note on the first. */
function matrixRows(name: string, t: Tensor, note: string): string[][] {
  const [rows, cols] = t.shape
  const out: string[][] = []
  for (let i = 0; i < rows; i++) {
    const row = vector(t.data.subarray(i * cols, (i + 1) * cols))
    out.push(i === 0 ? [name, `[${rows},${cols}]`, row, note] : ['', '', row, ''])
  }
  return out
}

/** Rows of cells, each column left-aligned and padded to its widest cell, indented by two. */
function columns(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)))
  return rows.map((r) => '  ' + r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd()).join('\n')
}

export function explainCommand(argv: string[]): number {
  const args = parseArgs('explain', argv, { values: ['temperature', 'seed'], booleans: ['help'] })
  if (args.flags.has('help')) {
    process.stdout.write(EXPLAIN_HELP)
    return 0
  }
  refusePositionals('explain', args)
  const temperature = numberFlag('explain', args, 'temperature', 1, { min: 0, exclusiveMin: true })
  const seed = seedFlag('explain', args)
  process.stdout.write(explain(temperature, seed))
  return 0
}

/** The network, the example and the loss of one explanation, all from one seeded generator. */
interface Example {
  model: Sequential
  /** the parameters by their state-dict names: 0.weight, 0.bias, 2.weight, 2.bias */
  params: Record<string, Tensor>
  x: Tensor
  y: number
  oneHot: number[]
  ce: SoftmaxCrossEntropy
  T: number
}

/** The forward pass's tensors, named as the printout names them, and p = softmax(logits / T). */
interface Forward {
  z1: Tensor
  h1: Tensor
  logits: Tensor
  loss: Tensor
  p: Float64Array
}

/** The whole explanation as text. */
function explain(T: number, seed: number): string {
  const example = makeExample(T, seed)
  const pass = forwardPass(example)
  const forwardLines = forwardSection(example, pass)
  const steps = traceBackward(pass.loss) // runs loss.backward(): from here on every parameter has its .grad
  return [
    `softgrad explain: one forward and one backward pass of a 2-3-2 network (seed ${seed}, temperature T = ${T})`,
    ...forwardLines,
    ...section('Backward (loss.backward(), recorded step by step by traceBackward)', formatTrace(steps).trimEnd().replace(/^(?=.)/gm, '  ')),
    ...logitsCheck(example, pass, steps),
    ...parametersCheck(example),
  ].join('\n') + '\n'
}

/** A titled part of the printout: a blank line, the title, a blank line, the body. */
function section(title: string, ...body: string[]): string[] {
  return ['', title, '', ...body]
}

/** A 2-3-2 network (Linear, tanh, Linear), one example x with its label y, and the loss at temperature T. */
function makeExample(T: number, seed: number): Example {
  const rng = makeRng(seed)
  const model = new Sequential(new Linear(2, 3, { rng }), new Tanh(), new Linear(3, 2, { rng }))
  // Parameters carry their state-dict names, so the trace says 0.weight, not param#1.
  for (const [name, p] of model.namedParameters()) p.named(name)
  const round2 = (v: number): number => Math.round(100 * v) / 100
  const x = tensor([[round2(normal(rng)), round2(normal(rng))]]).named('x')
  const y = rng() < 0.5 ? 0 : 1
  return {
    model,
    params: Object.fromEntries(model.namedParameters()) as Record<string, Tensor>,
    x,
    y,
    oneHot: y === 0 ? [1, 0] : [0, 1],
    ce: new SoftmaxCrossEntropy({ temperature: T }),
    T,
  }
}

/** The forward pass, one layer at a time, so each step's tensor can be printed. */
function forwardPass({ model, x, y, ce, T }: Example): Forward {
  const [layer1, activation, layer2] = model.layers
  const z1 = layer1.forward(x).named('z1')
  const h1 = activation.forward(z1).named('h1')
  const logits = layer2.forward(h1).named('logits')
  const loss = ce.forward(logits, [y]).named('loss')
  const p = noGrad(() => softmax(logits.detach(), { temperature: T })).data
  return { z1, h1, logits, loss, p }
}

/** Every number of the forward pass: the example, each parameter and each tensor it makes. */
function forwardSection({ params, x, y, oneHot, T }: Example, { z1, h1, logits, loss, p }: Forward): string[] {
  return section('Forward', columns([
    ['x', '[1,2]', vector(x.data), `the example; label y = ${y}, one-hot [${oneHot.join(', ')}]`],
    ...matrixRows('0.weight', params['0.weight'], 'Linear(2, 3): a row per hidden unit'),
    ['0.bias', '[3]', vector(params['0.bias'].data), ''],
    ['z1 = x·0.weightᵀ + 0.bias', '[1,3]', vector(z1.data), 'pre-activations'],
    ['h1 = tanh(z1)', '[1,3]', vector(h1.data), 'activations'],
    ...matrixRows('2.weight', params['2.weight'], 'Linear(3, 2): a row per class'),
    ['2.bias', '[2]', vector(params['2.bias'].data), ''],
    ['logits = h1·2.weightᵀ + 2.bias', '[1,2]', vector(logits.data), ''],
    [`p = softmax(logits / ${T})`, '[1,2]', vector(p), 'probabilities, summing to 1'],
    [`loss = −log p[${y}]`, '[]', f(loss.item()), `= −log ${f(p[y])}`],
  ]))
}

/** Check 1: the gradient the fused loss's backward gave the logits is (p − y)/T, and finite differences agree. */
function logitsCheck({ y, oneHot, ce, T }: Example, { logits, p }: Forward, steps: TraceStep[]): string[] {
  const fused = steps.find((s) => s.op === 'softmaxCrossEntropy')!
  const dLogits = flatten(fused.inputs[0].grad!)
  const numericLogits = numericJacobian((z) => ce.forward(z, [y]), logits.detach()).data
  const rows = [0, 1].map((c) => [
    `class ${c}`, f(p[c], 8), String(oneHot[c]), f((p[c] - oneHot[c]) / T, 8), f(dLogits[c], 8), f(numericLogits[c], 8),
    e(Math.abs(dLogits[c] - numericLogits[c])),
  ])
  return section(
    `∂loss/∂logits = (p − y)/T: the fused loss's backward beside finite differences of the loss (ε = 1e-6)`,
    table(['', 'p', 'y', '(p − y)/T', 'backward', 'finite difference', '|difference|'], rows).replace(/^/gm, '  '),
  )
}

/** Check 2: every parameter's .grad beside finite differences of the loss, and the largest difference. */
function parametersCheck({ params, x, y, ce }: Example): string[] {
  // The same loss written with the op itself (nn.Linear is linear(x, W, b)), one parameter swapped in.
  const lossWith = (name: string, value: Tensor): Tensor => {
    const w = { ...params, [name]: value }
    const hidden = linear(x, w['0.weight'], w['0.bias']).tanh()
    return ce.forward(linear(hidden, w['2.weight'], w['2.bias']), [y])
  }
  const rows: string[][] = []
  let largest = 0
  for (const [name, param] of Object.entries(params)) {
    const numeric = numericJacobian((v) => lossWith(name, v), param).data
    const grad = param.grad!.data
    for (let i = 0; i < param.size; i++) {
      const index = param.shape.length === 2 ? `[${Math.floor(i / param.shape[1])},${i % param.shape[1]}]` : `[${i}]`
      const diff = Math.abs(grad[i] - numeric[i])
      largest = Math.max(largest, diff)
      rows.push([i === 0 ? name : '', index, f(grad[i], 8), f(numeric[i], 8), e(diff)])
    }
  }
  return section(
    'Every parameter: .grad after the backward above beside finite differences of the loss',
    table(['', 'index', '.grad', 'finite difference', '|difference|'], rows).replace(/^/gm, '  '),
    '',
    `  largest difference ${e(largest)}: backprop is the chain rule, and finite differences agree with it.`,
  )
}
