/** Seeing backprop: the trace is the backward pass itself, and `softgrad explain` checks out. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OPS, formatTrace, gradientsFromTrace, makeRng, nn, randn, tensor, traceBackward, type OpName, type Tensor } from '../src/index.js'
import { explainCommand, EXPLAIN_HELP } from '../src/cli/explain.js'
import { UsageError } from '../src/cli/args.js'


/** A 2-4-3 MLP's mean cross-entropy on 5 rows, parameters named after the state dict. */
function mlpLoss(seed = 0) {
  const rng = makeRng(seed)
  const model = new nn.Sequential(new nn.Linear(2, 4, { rng }), new nn.Tanh(), new nn.Linear(4, 3, { rng }))
  for (const [name, p] of model.namedParameters()) p.named(name)
  const x = randn([5, 2], { rng })
  const loss = new nn.SoftmaxCrossEntropy().forward(model.forward(x), [0, 1, 2, 1, 0])
  return { model, loss }
}

describe('op rules', () => {
  it('every op in OPS has a one-line rule', () => {
    for (const name of Object.keys(OPS) as OpName[]) {
      expect(OPS[name].rule.trim().length, name).toBeGreaterThan(0)
      expect(OPS[name].rule, name).not.toMatch(/\n/)
    }
  })
})

describe('traceBackward', () => {
  it('lists one step per op, root first, in the order backward takes them', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true }).named('a')
    const b = tensor([4, 5, 6], { requiresGrad: true }).named('b')
    const steps = traceBackward(a.mul(b).exp().sum().named('s'))
    expect(steps.map((s) => s.op)).toEqual(['sum', 'exp', 'mul'])
    expect(steps[0].output).toEqual({ name: 's', shape: [] })
    expect(steps[0].upstream).toBe(1)
    expect(steps[2].inputs.map((i) => i.name)).toEqual(['a', 'b'])
    expect(steps[1].output.name).toBe('exp') // unnamed: the op's name
    expect(steps[2].inputs[0].grad).toEqual([4, 5, 6].map((v, i) => v * Math.exp(v * (i + 1))))
  })

  it('labels unnamed tensors by op and number in forward order, and leaves as param / input', () => {
    const x = tensor([[1, 2]])
    const w = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true })
    const steps = traceBackward(x.matmul(w).matmul(w).sum())
    expect(steps.map((s) => s.output.name)).toEqual(['sum', 'matmul#2', 'matmul#1'])
    expect(steps[2].inputs.map((i) => i.name)).toEqual(['input', 'param'])
    expect(steps[2].inputs[0].grad).toBeNull() // data: no gradient
  })

  it('needs a single number and says the shape otherwise', () => {
    const x = tensor([[1, 2, 3]], { requiresGrad: true })
    expect(() => traceBackward(x.mul(2))).toThrow(/\[1,3\]/)
  })

  it('gives the fused loss step (p − y)/N and each leaf exactly its .grad, to the last bit', () => {
    const { model, loss } = mlpLoss()
    const steps = traceBackward(loss)
    expect(steps[0].op).toBe('softmaxCrossEntropy')
    expect(steps[0].rule).toContain('p − y')
    const grads = gradientsFromTrace(steps)
    for (const [name, p] of model.namedParameters()) expect(grads.get(name), name).toEqual(Array.from(p.grad!.data))
  })

  it('a tensor used twice gets both contributions, adding up to its .grad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true }).named('x')
    const steps = traceBackward(x.mul(x).add(x).sum())
    expect(gradientsFromTrace(steps).get('x')).toEqual([3, 5, 7])
    expect(Array.from(x.grad!.data)).toEqual([3, 5, 7])
  })

  it('changes nothing: the gradients equal those of a plain backward()', () => {
    const traced = mlpLoss(3)
    traceBackward(traced.loss)
    const plain = mlpLoss(3)
    plain.loss.backward()
    const a = traced.model.parameters().map((p: Tensor) => Array.from(p.grad!.data))
    const b = plain.model.parameters().map((p: Tensor) => Array.from(p.grad!.data))
    expect(a).toEqual(b)
  })

  it('copies the numbers: changing a gradient later does not change the trace', () => {
    const x = tensor([1, 2], { requiresGrad: true })
    const steps = traceBackward(x.mul(3).sum())
    x.grad!.data.fill(99)
    expect(steps[1].inputs[0].grad).toEqual([3, 3])
  })
})

describe('formatTrace', () => {
  it('prints every step with its rule, the upstream gradient and each input gradient', () => {
    const { loss } = mlpLoss()
    const steps = traceBackward(loss)
    const text = formatTrace(steps)
    for (const step of steps) expect(text).toContain(step.rule)
    expect(text).toContain('∂L/∂0.weight')
    expect(text).toContain('upstream')
    expect(text.match(/^step \d+/gm)).toHaveLength(steps.length)
  })

  it('summarises a large tensor by its shape and a few numbers', () => {
    const x = tensor(new Float64Array(50).fill(0.5), { shape: [5, 10], requiresGrad: true }).named('x')
    const text = formatTrace(traceBackward(x.mul(x).sum()))
    expect(text).toContain('[5,10] of 50 numbers')
    expect(text).not.toContain('0.5, 0.5, 0.5, 0.5, 0.5')
  })
})

describe('softgrad explain', () => {
  let written = ''
  afterEach(() => vi.restoreAllMocks())
  function run(...argv: string[]): { code: number; out: string } {
    written = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk)
      return true
    })
    const code = explainCommand(argv)
    vi.restoreAllMocks()
    return { code, out: written }
  }

  /** The rows of the logits check: class, p, y, (p − y)/T, backward, finite difference. */
  function logitRows(out: string): number[][] {
    return [...out.matchAll(/^\s+class (\d)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/gm)].map((m) => m.slice(2, 7).map(Number))
  }

  it('prints the forward pass, the traced backward and (p − y)/T beside finite differences, agreeing to 1e-6', () => {
    for (const T of [1, 2.5]) {
      const { code, out } = run('--temperature', String(T), '--seed', '4')
      expect(code).toBe(0)
      for (const label of ['x', '0.weight', '0.bias', '2.weight', '2.bias', 'logits', 'p = softmax', 'loss']) expect(out).toContain(label)
      expect(out).toContain('(p − y)/T')
      expect(out).toContain(OPS.softmaxCrossEntropy.rule)
      const rows = logitRows(out)
      expect(rows).toHaveLength(2)
      for (const [p, y, pMinusY, backward, numeric] of rows) {
        expect(Math.abs((p - y) / T - pMinusY)).toBeLessThan(1e-6)
        expect(Math.abs(pMinusY - numeric)).toBeLessThan(1e-6)
        expect(Math.abs(backward - numeric)).toBeLessThan(1e-6)
      }
      const largest = Number(/largest difference (\S+):/.exec(out)![1])
      expect(largest).toBeLessThan(1e-6)
    }
  })

  it('is reproducible: the same seed prints the same numbers', () => {
    expect(run('--seed', '7').out).toBe(run('--seed', '7').out)
    expect(run('--seed', '7').out).not.toBe(run('--seed', '8').out)
  })

  it('--help prints the usage', () => {
    const { code, out } = run('--help')
    expect(code).toBe(0)
    expect(out).toBe(EXPLAIN_HELP)
  })

  it('--temperature 0 is an error naming the flag', () => {
    expect(() => run('--temperature', '0')).toThrow(UsageError)
    expect(() => run('--temperature', '0')).toThrow(/--temperature must be a number > 0/)
    expect(() => run('--seed', '1.5')).toThrow(/--seed/)
    expect(() => run('--epochs', '3')).toThrow(/unknown flag --epochs/)
  })
})
