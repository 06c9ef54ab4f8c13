// 12 · the graph a loss was built from, drawn: every tensor (name, shape, data, grad) and every op, input → op → output.
// It trains nothing: one forward and one backward of a 2-3-2 MLP on the four XOR corners, written as SVG and as DOT.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { drawGraph, makeRng, nn, tensor } from '../src/index.js'

const outDir = process.env.SOFTGRAD_OUT ?? fileURLToPath(new URL('../out/', import.meta.url))
mkdirSync(outDir, { recursive: true })
const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path))

// The data: XOR's four corners; the class is 1 where the two signs differ.
const x = tensor([[-1, -1], [-1, 1], [1, -1], [1, 1]], { name: 'x' })
const y = Int32Array.from([0, 1, 1, 0])

// The model: 2 inputs → 3 tanh units → 2 logits, seeded so every drawing has the same numbers.
const rng = makeRng(0)
const model = new nn.Sequential(new nn.Linear(2, 3, { rng }), new nn.Tanh(), new nn.Linear(3, 2, { rng }))

// One step's forward and backward. Backward fills each parameter's .grad, so the boxes show it.
const logits = model.forward(x).named('logits')
const loss = new nn.SoftmaxCrossEntropy().forward(logits, y).named('loss')
loss.backward()
console.log(`loss of the 2-3-2 MLP on the four XOR corners: ${loss.item().toFixed(4)}\n`)

// { model } names the parameters after the state dict ('0.weight', '2.bias'); a tensor of at
// most 6 numbers shows its data and, for a leaf after backward, its grad.
const dot = await drawGraph(loss, { format: 'dot', model })
const svg = await drawGraph(loss, { format: 'svg', model }) // Graphviz as WebAssembly, in-process
console.log('The DOT, as Graphviz reads it (one line a tensor, an op or an edge):\n')
console.log(dot.split('\n').filter((line) => line.includes('label=')).map((line) => `  ${line.trim()}`).join('\n'))

const dotPath = join(outDir, 'mlp-graph.dot')
writeFileSync(dotPath, dot)
const svgPath = join(outDir, 'mlp-graph.svg')
writeFileSync(svgPath, svg)
console.log(`\nwrote ${shown(svgPath)}  (blue: parameters with their grads; grey: data; ovals: ops)`)
console.log(`wrote ${shown(dotPath)}`)
console.log('NOTE: only leaves keep a .grad after backward; traceBackward shows the gradient at every op.')
