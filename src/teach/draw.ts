/**
 * The graph that made a tensor, drawn: one box per tensor (its name, shape and, when small, its
 * numbers as micrograd's draw_dot shows them) and one oval per op, edges input → op → output,
 * left to right. Three formats from one graph: Graphviz DOT, SVG (that DOT rendered by Graphviz
 * compiled to WebAssembly, in-process, no system binary) and a Mermaid flowchart.
 *
 *   const loss = lossFn.forward(model.forward(x), y)
 *   loss.backward()
 *   const svg = await drawGraph(loss, { format: 'svg', model })
 *
 * Large graphs stay legible: beyond `maxNodes` (300) boxes, each layer of `model` folds into one
 * box (see `foldLayers` for the rule), and whatever is still too many is cut off with a note.
 * NOTE: browser-safe: no `node:` imports; the 1 MB renderer is loaded only for format 'svg'.
 */
import type { Tensor } from '../tensor.js'
import { topologicalOrder } from '../walk.js'
import type { Module } from '../nn/module.js'
import { formatShape } from '../shape.js'

export type DrawFormat = 'dot' | 'svg' | 'mermaid'

export interface DrawOptions {
  /** 'dot' (default), 'svg' or 'mermaid' */
  format?: DrawFormat
  /** show data and grad for tensors of up to 6 numbers (default true) */
  values?: boolean
  /** the model that built the graph: names its parameters and lets large graphs fold by layer */
  model?: Module
  /** beyond this many boxes, fold layers, then cut off (default 300) */
  maxNodes?: number
}

/** The most numbers a tensor may hold and still have them printed in its box. */
export const MAX_VALUES = 6

/** One box of the drawing: a tensor, an op, a folded layer, or the note that says what was cut. */
export interface DrawNode {
  id: string
  kind: 'tensor' | 'op' | 'layer' | 'note'
  /** the label, one entry a line */
  lines: string[]
  /** tensors: a leaf that requires grad (a parameter), a leaf that does not (data), or the root */
  role?: 'parameter' | 'data' | 'root'
}

export interface DrawnGraph {
  nodes: DrawNode[]
  /** [from, to] by id; input → op and op → output */
  edges: Array<[string, string]>
}

/**
 * Draw the graph that made `t`; async for every format since SVG loads WebAssembly.
 *
 *   await drawGraph(x.mul(y).named('z'))   // 'digraph softgrad { rankdir=LR ... x -> op2 ... }'
 */
export async function drawGraph(t: Tensor, options: DrawOptions = {}): Promise<string> {
  const { format = 'dot' } = options
  const graph = buildDrawGraph(t, options)
  if (format === 'dot') return toDot(graph)
  if (format === 'mermaid') return toMermaid(graph)
  if (format === 'svg') return renderSvg(toDot(graph))
  throw new Error(`drawGraph: format must be 'dot', 'svg' or 'mermaid', got '${String(format)}'`)
}

/**
 * The graph as plain data, already folded and cut to `maxNodes`: what every format draws.
 *
 *   buildDrawGraph(loss).nodes.length   // tensors + ops
 */
export function buildDrawGraph(t: Tensor, { values = true, model, maxNodes = 300 }: DrawOptions = {}): DrawnGraph {
  const order = topologicalOrder(t, { follow: () => true, firstInputFirst: true }) // data and constants too
  const id = new Map<Tensor, number>(order.map((tensor, i) => [tensor, i]))
  const paramNames = new Map<Tensor, string>((model?.namedParameters() ?? []).map(([name, p]) => [p, name]))
  const nodes: DrawNode[] = []
  const edges: Array<[string, string]> = []
  for (const [i, tensor] of order.entries()) {
    const role = tensor === t ? 'root' : tensor.node !== null ? undefined : tensor.requiresGrad ? 'parameter' : 'data'
    nodes.push({ id: `t${i}`, kind: 'tensor', lines: tensorLines(tensor, paramNames.get(tensor), values), ...(role && { role }) })
    if (tensor.node === null) continue
    // The op that made tensor i gets the same number: op7 made t7.
    nodes.push({ id: `op${i}`, kind: 'op', lines: [tensor.node.op.name] })
    // One edge per input slot, so x·x shows two arrows: x is used twice and gets two gradients.
    for (const input of tensor.node.inputs) edges.push([`t${id.get(input)}`, `op${i}`])
    edges.push([`op${i}`, `t${i}`])
  }
  let graph: DrawnGraph = { nodes, edges }
  if (model !== undefined && nodes.length > maxNodes) graph = foldLayers(graph, order, model, t)
  if (graph.nodes.length > maxNodes) graph = cutOff(graph, maxNodes, model !== undefined)
  return graph
}

/** A tensor's box: its name (or what it is), its shape, and for small tensors data and grad. */
function tensorLines(t: Tensor, paramName: string | undefined, values: boolean): string[] {
  const label = t.name ?? paramName ?? (t.node !== null ? `${t.node.op.name} out` : t.requiresGrad ? 'leaf' : t.size === 1 ? 'constant' : 'input')
  const lines = [label, formatShape(t.shape)]
  if (values && t.size <= MAX_VALUES) {
    lines.push(`data ${formatNumbers(t.data, t.shape.length === 0)}`)
    // NOTE: only leaves keep a gradient after backward (the engine frees the others), so an
    // op's output shows none; traceBackward records every step's gradients.
    if (t.grad !== null) lines.push(`grad ${formatNumbers(t.grad.data, t.shape.length === 0)}`)
  }
  return lines
}

function formatNumbers(data: Float64Array, scalar: boolean): string {
  const shown = Array.from(data, formatNumber)
  return scalar ? shown[0] : `[${shown.join(', ')}]`
}

/** Four decimals as micrograd prints them, or an exponent when that would hide the number. */
function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  const a = Math.abs(x)
  return a !== 0 && (a < 1e-4 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4)
}

// ---------------------------------------------------------------------------------------------
// Large graphs

/**
 * Fold each layer of `model` into one box. The rule, in two steps:
 *   1. an op belongs to layer L when one of its inputs is a parameter of L (Linear's `linear`);
 *   2. an op with no parameter input belongs to L when it lies on a path from one of L's ops to
 *      another (the `add` between a layer's matmul and its bias), and to no other layer's path.
 * L's box then holds its ops, its parameters and the tensors its ops made. A layer without
 * parameters (ReLU) cannot be told apart from the ops around it and stays drawn op by op.
 */
function foldLayers(graph: DrawnGraph, order: Tensor[], model: Module, root: Tensor): DrawnGraph {
  const layers = namedLayers(model)
  const layerOfParam = new Map<Tensor, number>()
  layers.forEach(({ module }, k) => {
    for (const [, p] of module.ownParameters()) layerOfParam.set(p, k)
  })
  const layerOfOp = assignOpsToLayers(order, layerOfParam, layers.length)

  // Every tensor and op in a layer is drawn as that layer's box; the root always stays itself.
  const index = new Map<Tensor, number>(order.map((t, i) => [t, i]))
  const boxOf = new Map<string, string>()
  const opCount = new Map<number, number>()
  for (const [i, k] of layerOfOp) {
    boxOf.set(`op${i}`, `layer${k}`)
    if (order[i] !== root) boxOf.set(`t${i}`, `layer${k}`)
    opCount.set(k, (opCount.get(k) ?? 0) + 1)
  }
  for (const [p, k] of layerOfParam) {
    const i = index.get(p)
    if (i !== undefined && opCount.has(k)) boxOf.set(`t${i}`, `layer${k}`)
  }
  const nodes: DrawNode[] = []
  const placed = new Set<string>()
  for (const node of graph.nodes) {
    const box = boxOf.get(node.id)
    if (box === undefined) nodes.push(node)
    else if (!placed.has(box)) {
      placed.add(box)
      const k = Number(box.slice('layer'.length))
      const { name, module } = layers[k]
      const ops = opCount.get(k)!
      const params = module.ownParameters().length
      nodes.push({ id: box, kind: 'layer', lines: [`${name} · ${module.constructor.name}`, `${ops} op${ops === 1 ? '' : 's'}, ${params} parameter${params === 1 ? '' : 's'}`] })
    }
  }
  const edges = uniqueEdges(graph.edges.map(([a, b]): [string, string] => [boxOf.get(a) ?? a, boxOf.get(b) ?? b]))
  return { nodes, edges }
}

/** The rule's two steps: op i (the op that made order[i]) → the layer k it belongs to. */
function assignOpsToLayers(order: Tensor[], layerOfParam: Map<Tensor, number>, layerCount: number): Map<number, number> {
  const index = new Map<Tensor, number>(order.map((t, i) => [t, i]))
  // The op graph: op i made tensor i; its predecessors are the ops that made its inputs.
  const preds = order.map((t) => (t.node?.inputs ?? []).filter((x) => x.node !== null).map((x) => index.get(x)!))
  const succs = order.map((): number[] => [])
  preds.forEach((ps, i) => ps.forEach((p) => succs[p].push(i)))

  // Step 1: ops that consume a layer's parameters.
  const layerOfOp = new Map<number, number>()
  order.forEach((t, i) => {
    for (const input of t.node?.inputs ?? []) {
      const k = layerOfParam.get(input)
      if (k !== undefined && !layerOfOp.has(i)) layerOfOp.set(i, k)
    }
  })
  // Step 2: ops between two of a layer's ops (reachable from one, reaching another), claimed by that layer alone.
  const claims = new Map<number, number[]>()
  for (let k = 0; k < layerCount; k++) {
    const own = [...layerOfOp].filter(([, l]) => l === k).map(([i]) => i)
    if (own.length < 2) continue
    const below = reach(own, succs)
    for (const i of reach(own, preds)) {
      if (below.has(i) && !layerOfOp.has(i)) claims.set(i, [...(claims.get(i) ?? []), k])
    }
  }
  for (const [i, ks] of claims) if (ks.length === 1) layerOfOp.set(i, ks[0])
  return layerOfOp
}

/** Every module under `model` with its dotted name ('0', 'encoder.fc1'); the model itself is ''. */
function namedLayers(model: Module, prefix = ''): Array<{ name: string; module: Module }> {
  const out = [{ name: prefix === '' ? 'model' : prefix.slice(0, -1), module: model }]
  for (const [name, child] of model.namedChildren()) out.push(...namedLayers(child, `${prefix}${name}.`))
  return out
}

/** The ops reachable from `start` (inclusive) following `next`. */
function reach(start: number[], next: number[][]): Set<number> {
  const seen = new Set(start)
  const stack = [...start]
  while (stack.length > 0) {
    for (const j of next[stack.pop()!]) {
      if (!seen.has(j)) {
        seen.add(j)
        stack.push(j)
      }
    }
  }
  return seen
}

/** Drop self-loops (edges inside a folded box) and repeats. */
function uniqueEdges(edges: Array<[string, string]>): Array<[string, string]> {
  const seen = new Set<string>()
  return edges.filter(([a, b]) => {
    const key = `${a}->${b}`
    if (a === b || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Keep the `maxNodes` boxes nearest the root (breadth-first against the edges) and draw one note
 * where the rest was cut: an edge from the note into each kept box that lost an input.
 */
function cutOff(graph: DrawnGraph, maxNodes: number, folded: boolean): DrawnGraph {
  const into = new Map<string, string[]>()
  for (const [a, b] of graph.edges) into.set(b, [...(into.get(b) ?? []), a])
  const rootId = graph.nodes.find((n) => n.role === 'root')?.id ?? graph.nodes[graph.nodes.length - 1].id
  const kept = new Set([rootId])
  const queue = [rootId]
  for (let q = 0; q < queue.length && kept.size < maxNodes; q++) {
    for (const from of into.get(queue[q]) ?? []) {
      if (kept.size >= maxNodes) break
      if (!kept.has(from)) {
        kept.add(from)
        queue.push(from)
      }
    }
  }
  const hidden = graph.nodes.length - kept.size
  const note: DrawNode = {
    id: 'cut',
    kind: 'note',
    lines: [`… ${hidden} more tensors and ops upstream, not drawn`, folded ? `(at most ${maxNodes} boxes after folding layers)` : `(at most ${maxNodes} boxes; pass { model } to fold layers)`],
  }
  const nodes = [note, ...graph.nodes.filter((n) => kept.has(n.id))]
  const edges = uniqueEdges(graph.edges.filter(([, b]) => kept.has(b)).map(([a, b]): [string, string] => [kept.has(a) ? a : note.id, b]))
  return { nodes, edges }
}

// ---------------------------------------------------------------------------------------------
// Formats

/** Graphviz DOT: tensors as records (one field a line), ops as ovals, folded layers as 3-D boxes. */
export function toDot({ nodes, edges }: DrawnGraph): string {
  const style = {
    // Monospace: the numbers line up, and the width Graphviz estimates holds in any viewer's font.
    tensor: 'shape=record fontname="Courier"',
    op: 'shape=ellipse style=filled fillcolor="#fff3c4"',
    layer: 'shape=box3d style=filled fillcolor="#e0e7ff"',
    note: 'shape=note style=filled fillcolor="#f3f4f6"',
  }
  const fill = { parameter: ' style=filled fillcolor="#dbeafe"', data: ' style=filled fillcolor="#f3f4f6"', root: ' penwidth=2' }
  const lines = ['digraph softgrad {', '  rankdir=LR', '  node [fontname="Helvetica" fontsize=11]', '  edge [color="#555555"]']
  for (const node of nodes) {
    // Records split fields on '|'; every other node takes its lines joined by a centred \n.
    const label = node.kind === 'tensor' ? node.lines.map(escapeRecord).join('|') : node.lines.map(escapeDot).join('\\n')
    lines.push(`  ${node.id} [${style[node.kind]}${node.role ? fill[node.role] : ''} label="${label}"]`)
  }
  for (const [a, b] of edges) lines.push(`  ${a} -> ${b}`)
  lines.push('}')
  return lines.join('\n') + '\n'
}

/** Inside a DOT "string": backslash and quote are escaped; a newline becomes a space. */
function escapeDot(s: string): string {
  return s.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ')
}

/** A record field also gives { } | < > a meaning, so those are escaped too. */
function escapeRecord(s: string): string {
  return s.replace(/[\\"{}|<>]/g, '\\$&').replace(/[\r\n]+/g, ' ')
}

/** A Mermaid flowchart: tensors as boxes, ops as stadiums, folded layers as subroutines. */
export function toMermaid({ nodes, edges }: DrawnGraph): string {
  const shape = { tensor: ['[', ']'], op: ['([', '])'], layer: ['[[', ']]'], note: ['>', ']'] }
  const lines = ['flowchart LR']
  for (const node of nodes) {
    const [open, close] = shape[node.kind]
    lines.push(`  ${node.id}${open}"${node.lines.map(escapeMermaid).join('<br/>')}"${close}`)
  }
  for (const [a, b] of edges) lines.push(`  ${a} --> ${b}`)
  const ids = (role: DrawNode['role']) => nodes.filter((n) => n.role === role).map((n) => n.id)
  lines.push('  classDef parameter fill:#dbeafe', '  classDef data fill:#f3f4f6', '  classDef root stroke-width:3px')
  for (const role of ['parameter', 'data', 'root'] as const) if (ids(role).length > 0) lines.push(`  class ${ids(role).join(',')} ${role}`)
  return lines.join('\n') + '\n'
}

/** Inside a quoted Mermaid label, characters with a meaning become entity codes (# first). */
function escapeMermaid(s: string): string {
  return s
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/&/g, '#amp;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n]+/g, ' ')
}

// The renderer, loaded once and only when an SVG is asked for.
let viz: Promise<{ render(dot: string, options: { format: string }): { status: string; output?: string; errors: Array<{ message: string }> } }> | undefined

/** Render DOT to an SVG document with Graphviz compiled to WebAssembly (@viz-js/viz). */
async function renderSvg(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance())
  const result = (await viz).render(dot, { format: 'svg' })
  if (result.status !== 'success' || result.output === undefined) {
    throw new Error(`drawGraph: Graphviz could not render the DOT: ${result.errors.map((e) => e.message).join('; ')}`)
  }
  // Drop the XML prolog and DOCTYPE, as softgrad's other SVGs do: the file starts with <svg.
  return result.output.slice(result.output.indexOf('<svg'))
}
