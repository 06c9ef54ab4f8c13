/** Walks the catalogue: every sample of every op must match finite differences. */
import { describe, expect, it } from 'vitest'
import { OPS, gradcheck, type OpName, type Tensor } from '../src/index.js'
import { topologicalOrder } from '../src/tensor.js'
import { catalogue } from './catalogue.js'

const names = Object.keys(OPS) as OpName[]

/** Names of the primitive ops in the graph that made `t`. */
function opsInGraph(t: Tensor): Set<string> {
  return new Set(topologicalOrder(t).flatMap((x) => (x.node ? [x.node.op.name] : [])))
}

describe('the op catalogue', () => {
  it('has at least two samples for every op in OPS', () => {
    for (const name of names) expect(catalogue[name].length, name).toBeGreaterThanOrEqual(2)
  })

  it('every sample of an op runs that op (or, for a composite, the ops it is made of)', () => {
    for (const name of names) {
      const entry = OPS[name]
      const expected = 'composedOf' in entry ? entry.composedOf : [name]
      for (const s of catalogue[name]) {
        const used = opsInGraph(s.fn(...s.inputs))
        for (const op of expected) expect(used.has(op), `${name} / ${s.name} should use ${op}`).toBe(true)
      }
    }
  })

  it('every op carries a one-line rule', () => {
    for (const name of names) {
      expect(OPS[name].rule.length, name).toBeGreaterThan(0)
      expect(OPS[name].rule.includes('\n'), name).toBe(false)
    }
  })
})

describe('every op matches finite differences (eps 1e-6, atol 1e-5, rtol 1e-3)', () => {
  for (const name of names) {
    for (const s of catalogue[name]) {
      it(`${name}: ${s.name}`, () => {
        const result = gradcheck(s.fn, s.inputs, { eps: 1e-6, atol: 1e-5, rtol: 1e-3 })
        expect(result.ok, `worst: ${JSON.stringify(result.worst)}`).toBe(true)
      })
    }
  }
})
