/**
 * drawGraph: the DOT holds one node per tensor and per op with the edges input → op → output,
 * Graphviz (the same WebAssembly build that renders the SVG) parses it, Mermaid output is a
 * flowchart, and a large graph folds each layer into one box.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { instance } from '@viz-js/viz'
import { Tensor, makeRng, nn, tensor } from '../src/index.js'
import { buildDrawGraph, drawGraph } from '../src/teach/draw.js'

/** The node ids and edges of a DOT written by toDot (one statement a line). */
function parseDot(dot: string): { nodes: Map<string, string>; edges: string[] } {
  const nodes = new Map<string, string>()
  const edges: string[] = []
  for (const line of dot.split('\n')) {
    const node = /^ {2}(\w+) \[.*label="(.*)"\]$/.exec(line)
    if (node) nodes.set(node[1], node[2])
    const edge = /^ {2}(\w+) -> (\w+)$/.exec(line)
    if (edge) edges.push(`${edge[1]} -> ${edge[2]}`)
  }
  return { nodes, edges }
}

/** Graphviz's own verdict on a DOT: it parses and lays out without an error. */
async function graphvizAccepts(dot: string): Promise<boolean> {
  const result = (await instance()).render(dot, { format: 'dot' })
  return result.status === 'success' && result.errors.every((e) => e.level !== 'error')
}

/** z = sum(x·x + y): three tensors made by three ops from two leaves. */
function tinyExpression() {
  const x = tensor([1, 2], { requiresGrad: true, name: 'x' })
  const y = tensor([3, -4], { requiresGrad: true, name: 'y' })
  const z = x.mul(x).add(y).sum().named('z')
  return { x, y, z }
}

/** A layer made of three ops (mul, tanh, add), so folding has something to fold. */
class Affine extends nn.Module {
  w: Tensor
  b: Tensor

  constructor(rng: () => number) {
    super()
    this.w = new Tensor(Float64Array.from({ length: 2 }, () => rng() - 0.5), [2], { requiresGrad: true })
    this.b = new Tensor(Float64Array.from({ length: 2 }, () => rng() - 0.5), [2], { requiresGrad: true })
  }

  forward(x: Tensor): Tensor {
    return x.mul(this.w).tanh().add(this.b)
  }
}

describe('drawGraph', () => {
  it('the DOT of sum(x·x + y) has one node per tensor and per op, and the edges input → op → output', async () => {
    const { z } = tinyExpression()
    const { nodes, edges } = parseDot(await drawGraph(z))
    // tensors: x, y, x·x, x·x + y, z; ops: mul, add, sum
    expect([...nodes.keys()].filter((id) => id.startsWith('t'))).toHaveLength(5)
    expect([...nodes.values()].filter((label) => ['mul', 'add', 'sum'].includes(label))).toHaveLength(3)
    expect(nodes.size).toBe(8)
    const id = (label: string) => [...nodes].find(([, l]) => l === label || l.startsWith(`${label}|`))![0]
    expect(edges).toEqual([
      `${id('x')} -> ${id('mul')}`, `${id('x')} -> ${id('mul')}`, // x is used twice: two arrows
      `${id('mul')} -> ${id('mul out')}`,
      `${id('mul out')} -> ${id('add')}`, `${id('y')} -> ${id('add')}`,
      `${id('add')} -> ${id('add out')}`,
      `${id('add out')} -> ${id('sum')}`,
      `${id('sum')} -> ${id('z')}`,
    ])
    expect(await graphvizAccepts(await drawGraph(z))).toBe(true)
  })

  it('boxes show names, shapes, and data and grad for tensors of up to 6 numbers', async () => {
    const { z } = tinyExpression()
    z.backward()
    const dot = await drawGraph(z)
    expect(dot).toContain('label="x|[2]|data [1.0000, 2.0000]|grad [2.0000, 4.0000]"') // dz/dx = 2x
    expect(dot).toContain('label="y|[2]|data [3.0000, -4.0000]|grad [1.0000, 1.0000]"')
    expect(dot).toContain('label="z|[]|data 4.0000"')
    expect(await drawGraph(z, { values: false })).not.toContain('data ')
    const big = tensor([1, 2, 3, 4, 5, 6, 7], { requiresGrad: true, name: 'seven' })
    expect(await drawGraph(big.sum())).toContain('label="seven|[7]"')
  })

  it('names with DOT and Mermaid syntax in them are escaped, and Graphviz still parses the DOT', async () => {
    const nasty = 'a|b{c}<d> "e" \\f #1 & `g`'
    const t = tensor([1], { requiresGrad: true, name: nasty }).exp().named('out "quoted"')
    const dot = await drawGraph(t)
    expect(dot).toContain('label="a\\|b\\{c\\}\\<d\\> \\"e\\" \\\\f #1 & `g`|[1]')
    expect(await graphvizAccepts(dot)).toBe(true)
    const mermaid = await drawGraph(t, { format: 'mermaid' })
    expect(mermaid).toContain('"a|b{c}#lt;d#gt; #quot;e#quot; \\f #35;1 #amp; #96;g#96;<br/>[1]')
    expect(mermaid).toContain('out #quot;quoted#quot;')
  })

  it('mermaid output is a flowchart left to right with every node and edge', async () => {
    const { z } = tinyExpression()
    const mermaid = await drawGraph(z, { format: 'mermaid' })
    const lines = mermaid.trimEnd().split('\n')
    expect(lines[0]).toBe('flowchart LR')
    const nodeLines = lines.filter((l) => /^ {2}\w+(\["|\(\["|\[\["|>").*("\]|"\]\)|"\]\])$/.test(l))
    const edgeLines = lines.filter((l) => /^ {2}\w+ --> \w+$/.test(l))
    expect(nodeLines).toHaveLength(8)
    expect(edgeLines).toHaveLength(8)
    expect(lines.slice(1).every((l) => nodeLines.includes(l) || edgeLines.includes(l) || /^ {2}class(Def)? /.test(l))).toBe(true)
    expect(mermaid).toContain('op1(["mul"])')
  })

  it('svg output is an SVG document rendered in-process, with the tensor names as text', async () => {
    const { z } = tinyExpression()
    z.backward()
    const svg = await drawGraph(z, { format: 'svg' })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg).toContain('>z</text>')
    expect(svg).toContain('>mul</text>')
    expect(svg).toContain('grad [2.0000, 4.0000]')
  })

  it('with { model }, parameters are labelled by their state-dict names', async () => {
    const model = new nn.Sequential(new nn.Linear(2, 3, { rng: makeRng(0) }), new nn.Tanh(), new nn.Linear(3, 2, { rng: makeRng(1) }))
    const loss = new nn.SoftmaxCrossEntropy().forward(model.forward(tensor([[1, -1]])), [1])
    const dot = await drawGraph(loss, { model })
    for (const name of ['0.weight', '0.bias', '2.weight', '2.bias']) expect(dot).toContain(`label="${name}|`)
    expect(await graphvizAccepts(dot)).toBe(true)
  })

  it('a graph of more than 300 nodes folds each layer of the model into one box named after the layer', async () => {
    const rng = makeRng(0)
    const layers: nn.Module[] = []
    for (let i = 0; i < 40; i++) layers.push(new Affine(rng), new nn.ReLU())
    const model = new nn.Sequential(...layers)
    const loss = model.forward(tensor([[0.5, -0.5]], { name: 'x' })).sum().named('loss')

    const full = buildDrawGraph(loss)
    const folded = buildDrawGraph(loss, { model })
    expect(full.nodes.length).toBeGreaterThan(300) // 40 × (w, b, 3 ops, 3 outputs, relu, its output) + x, sum, loss
    expect(folded.nodes.length).toBeLessThan(full.nodes.length / 2)
    const boxes = folded.nodes.filter((n) => n.kind === 'layer')
    expect(boxes).toHaveLength(40)
    expect(boxes[0].lines).toEqual(['0 · Affine', '3 ops, 2 parameters']) // tanh sits between mul(w) and add(b)
    expect(boxes[39].lines[0]).toBe('78 · Affine')
    expect(folded.nodes.some((n) => n.kind === 'op' && n.lines[0] === 'tanh')).toBe(false)
    expect(folded.nodes.filter((n) => n.kind === 'op' && n.lines[0] === 'relu')).toHaveLength(40)
    expect(folded.nodes.some((n) => n.kind === 'note')).toBe(false)

    const dot = await drawGraph(loss, { model })
    expect(dot).toContain('label="0 · Affine\\n3 ops, 2 parameters"')
    expect(parseDot(dot).nodes.size).toBe(folded.nodes.length)
    expect(await graphvizAccepts(dot)).toBe(true)
  })

  it('without a model, a graph beyond maxNodes keeps the nodes nearest the root and says what it cut', async () => {
    let t = tensor([1], { requiresGrad: true, name: 'start' })
    for (let i = 0; i < 400; i++) t = t.mul(1.001)
    const graph = buildDrawGraph(t.named('end'))
    expect(graph.nodes).toHaveLength(301)
    const note = graph.nodes.find((n) => n.kind === 'note')!
    expect(note.lines[0]).toMatch(/^… \d+ more tensors and ops upstream, not drawn$/)
    expect(graph.nodes.some((n) => n.lines[0] === 'end')).toBe(true)
    expect(graph.nodes.some((n) => n.lines[0] === 'start')).toBe(false)
    expect(graph.edges.some(([from]) => from === note.id)).toBe(true)
    expect(await graphvizAccepts(await drawGraph(t))).toBe(true)
  })

  it('src/teach/draw.ts imports no node: module, so it runs in the browser', () => {
    const source = readFileSync(new URL('../src/teach/draw.ts', import.meta.url), 'utf8')
    expect(source).not.toMatch(/from\s+['"]node:/)
    expect(source).not.toMatch(/import\(\s*['"]node:/)
    expect(source).not.toMatch(/\bBuffer\b|\bprocess\./)
  })
})
