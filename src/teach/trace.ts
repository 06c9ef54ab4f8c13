/**
 * The backward pass, recorded. `traceBackward(loss)` runs the engine's own backward (the same
 * `runBackward` that `loss.backward()` runs) with an observer that copies down each op's step:
 * which op, its local rule, the gradient that arrived (`upstream`, the dOut) and the gradient it
 * handed each input. Nothing is computed twice, so the trace cannot disagree with `.grad`.
 *
 *   const steps = traceBackward(loss)   // loss.backward() happened, leaves' .grad are set
 *   console.log(formatTrace(steps))     // one block per op, root first: the chain rule in numbers
 */
import { Tensor, runBackward, topologicalOrder, type BackwardStep, type Nested } from '../tensor.js'
import { formatShape } from '../shape.js'

/** A tensor as the trace shows it: its name (or a made-up label) and its shape. */
export interface TraceTensor {
  name: string
  shape: number[]
}

export interface TraceInput extends TraceTensor {
  /** ∂root/∂input handed to this input by this step; null for an input with no gradient (data, labels) */
  grad: Nested | null
}

/** One op's backward as it ran. */
export interface TraceStep {
  /** the op's name: 'linear', 'tanh', 'softmaxCrossEntropy' … */
  op: string
  /** the op's local derivative in one line */
  rule: string
  output: TraceTensor
  /** ∂root/∂output: the gradient this step received (its dOut) */
  upstream: Nested
  inputs: TraceInput[]
}

/**
 * Run backward from the scalar `t` and return the steps in the order they ran, root first.
 * The leaves' `.grad` accumulate exactly as after `t.backward()`.
 *
 *   traceBackward(x.mul(x).sum())   // [{ op: 'sum', … }, { op: 'mul', … }]
 */
export function traceBackward(t: Tensor): TraceStep[] {
  if (t.size !== 1) {
    throw new Error(
      `traceBackward: the output has shape ${formatShape(t.shape)} (${t.size} numbers); a trace starts from a single number, ` +
        `such as a loss. Reduce it first with .sum() or .mean()`,
    )
  }
  if (!t.requiresGrad) {
    throw new Error('traceBackward: this tensor does not require grad, so there is no backward pass to trace: make an input or parameter with { requiresGrad: true }')
  }
  const label = labeller(t)
  const steps: TraceStep[] = []
  const record = ({ output, dOut, inputGrads }: BackwardStep): void => {
    const inputs = output.node!.inputs
    steps.push({
      op: output.node!.op.name,
      rule: output.node!.op.rule,
      output: { name: label(output), shape: output.shape.slice() },
      upstream: nested(dOut, output.shape),
      inputs: inputs.map((input, k) => {
        // The engine gives a gradient only to inputs that require one; the trace says the same.
        const g = inputGrads[k]
        return { name: label(input), shape: input.shape.slice(), grad: g != null && input.requiresGrad ? nested(g, input.shape) : null }
      }),
    })
  }
  runBackward(t, Float64Array.of(1), record)
  return steps
}

/**
 * Labels for unnamed tensors, numbered in forward order: `linear#1` is the first linear op,
 * `param#2` the second unnamed leaf that requires grad, `input#1` the first one that does not.
 * A kind that occurs once gets no number. Named tensors keep their name.
 */
function labeller(root: Tensor): (t: Tensor) => string {
  const order = topologicalOrder(root, { follow: () => true, firstInputFirst: true }) // data too, unlike backward's walk
  const kind = (t: Tensor): string => (t.node !== null ? t.node.op.name : t.requiresGrad ? 'param' : 'input')
  const total = new Map<string, number>()
  for (const t of order) if (t.name === undefined) total.set(kind(t), (total.get(kind(t)) ?? 0) + 1)
  const labels = new Map<Tensor, string>()
  const count = new Map<string, number>()
  for (const t of order) {
    if (t.name !== undefined) continue
    const k = kind(t)
    const n = (count.get(k) ?? 0) + 1
    count.set(k, n)
    labels.set(t, total.get(k) === 1 ? k : `${k}#${n}`)
  }
  return (t) => t.name ?? labels.get(t) ?? kind(t)
}

/** The numbers of a nested array in row-major order: [[1, 2], [3, 4]] → [1, 2, 3, 4]. */
export function flatten(v: Nested): number[] {
  const out: number[] = []
  const collect = (u: Nested): void => void (typeof u === 'number' ? out.push(u) : u.forEach(collect))
  collect(v)
  return out
}

/** A copy of `data` as nested arrays in `shape` (a plain number for a 0-d tensor). */
function nested(data: Float64Array, shape: readonly number[]): Nested {
  return new Tensor(Float64Array.from(data), shape).toArray()
}

/**
 * What the trace handed each named tensor, added up over the steps it appears in (a tensor used
 * twice gets both contributions): for the leaves, exactly their `.grad` after backward.
 */
export function gradientsFromTrace(steps: readonly TraceStep[]): Map<string, number[]> {
  const total = new Map<string, number[]>()
  for (const step of steps) {
    for (const input of step.inputs) {
      if (input.grad === null) continue
      const g = flatten(input.grad)
      const before = total.get(input.name)
      total.set(input.name, before === undefined ? g : before.map((v, k) => v + g[k]))
    }
  }
  return total
}

export interface FormatTraceOptions {
  /** significant digits of each number, default 4 */
  digits?: number
  /** tensors with more numbers than this are summarised, default 12 */
  maxNumbers?: number
}

/**
 * The trace as a learner reads the chain rule, one block per step, root first:
 *
 *   step 1 · softmaxCrossEntropy: logits [1,2] → loss []
 *     rule       dz = (p − y)/N
 *     ∂L/∂loss   1                  (upstream: what arrived from above)
 *     ∂L/∂logits [[0.2689, -0.2689]]
 */
export function formatTrace(steps: readonly TraceStep[], { digits = 4, maxNumbers = 12 }: FormatTraceOptions = {}): string {
  if (steps.length === 0) return 'backward: no op to trace (the root is a leaf)\n'
  const root = steps[0].output.name
  const show = (v: Nested, shape: readonly number[]): string => formatValues(v, shape, digits, maxNumbers)
  const lines = [`Backward from L = ${root}, seeded with ∂L/∂${root} = 1; each step turns ∂L/∂(its output) into ∂L/∂(its inputs).`]
  // A tensor that feeds several ops gets a gradient from each; the engine adds them up (+=).
  const uses = new Map<string, number>()
  for (const step of steps) for (const x of step.inputs) if (x.grad !== null) uses.set(x.name, (uses.get(x.name) ?? 0) + 1)
  steps.forEach((step, i) => {
    const ins = step.inputs.map((x) => `${x.name} ${formatShape(x.shape)}`).join(', ')
    const rows: Array<[string, string]> = [
      ['rule', step.rule],
      [`∂L/∂${step.output.name}`, `${show(step.upstream, step.output.shape)}   ← upstream`],
    ]
    for (const x of step.inputs) {
      const used = uses.get(x.name) ?? 0
      const note = used > 1 ? `   (+= : one of ${used} contributions to ∂L/∂${x.name})` : ''
      rows.push([`∂L/∂${x.name}`, x.grad === null ? 'no gradient (does not require grad)' : show(x.grad, x.shape) + note])
    }
    const width = Math.max(...rows.map(([k]) => k.length))
    lines.push('', `step ${i + 1} · ${step.op}: ${ins} → ${step.output.name} ${formatShape(step.output.shape)}`)
    for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`)
  })
  return lines.join('\n') + '\n'
}

/** A number rounded to `digits` significant digits, without a minus on zero. */
export function roundNumber(x: number, digits = 4): string {
  if (x === 0) return '0'
  if (!Number.isFinite(x)) return String(x)
  return String(Number(x.toPrecision(digits)))
}

function formatValues(v: Nested, shape: readonly number[], digits: number, maxNumbers: number): string {
  const flat = flatten(v)
  if (flat.length <= maxNumbers) {
    const write = (u: Nested): string => (typeof u === 'number' ? roundNumber(u, digits) : `[${u.map(write).join(', ')}]`)
    return write(v)
  }
  // NOTE: a large tensor is summarised: its shape, the first few numbers and the largest |value|.
  let largest = 0
  for (const x of flat) largest = Math.max(largest, Math.abs(x))
  const first = flat.slice(0, 4).map((x) => roundNumber(x, digits)).join(', ')
  return `${formatShape(shape)} of ${flat.length} numbers: ${first}, …  (largest |value| ${roundNumber(largest, digits)})`
}
