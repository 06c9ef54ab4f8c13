/**
 * Hierarchical vs flat softmax: milliseconds per loss forward + backward at C = 1,000 and
 * 10,000 classes (d = 64, batch 128), both in this one process. Run: npm run bench:hsoftmax
 * Flat is nn.Linear(64, C) + nn.SoftmaxCrossEntropy (C·d work per row); hierarchical is
 * nn.HierarchicalSoftmax(64, C).loss with ⌈√C⌉ clusters ((K + S)·d work per row). The input
 * h requires a gradient in both, as it would coming out of a network. Before timing, each
 * loss is checked against the same model's logProbAll, so a fast wrong loss never shows up.
 */
import os from 'node:os'
import { Tensor, makeRng, nn, randn } from '../src/index.js'

const d = 64
const batch = 128
const sizes = [1000, 10_000]
const warmup = 5
const repeats = 31

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** ms per call of `step` for each of `steps`, taken in turn so a burst of other work hits them alike. */
function timeInTurn(steps: Array<() => void>): number[] {
  for (let i = 0; i < warmup; i++) for (const step of steps) step()
  const times = steps.map(() => [] as number[])
  for (let r = 0; r < repeats; r++) {
    steps.forEach((step, i) => {
      const t = performance.now()
      step()
      times[i].push(performance.now() - t)
    })
  }
  return times.map(median)
}

const rows: string[][] = []
for (const c of sizes) {
  const rng = makeRng(c)
  const h = randn([batch, d], { rng, requiresGrad: true })
  const labels = Int32Array.from({ length: batch }, () => Math.floor(rng() * c))

  const hs = new nn.HierarchicalSoftmax(d, c, { rng })
  const flat = new nn.Linear(d, c, { rng })
  const crossEntropy = new nn.SoftmaxCrossEntropy()

  // The loss is the mean −log p of the labels under the full distribution.
  const all = hs.logProbAll(h)
  let expected = 0
  for (let i = 0; i < batch; i++) expected -= all.data[i * c + labels[i]] / batch
  const got = hs.loss(h, labels).item()
  if (!(Math.abs(got - expected) <= 1e-12 * Math.abs(expected))) {
    throw new Error(`bench/hsoftmax.ts: at C = ${c} the hierarchical loss ${got} differs from logProbAll's ${expected}`)
  }

  const step = (loss: () => Tensor, params: Tensor[]) => () => {
    for (const p of [h, ...params]) p.grad = null
    loss().backward()
  }
  const [flatMs, hsMs] = timeInTurn([
    step(() => crossEntropy.forward(flat.forward(h), labels), flat.parameters()),
    step(() => hs.loss(h, labels), hs.parameters()),
  ])
  rows.push([
    c.toLocaleString('en'),
    `${hs.numClusters} × ≤ ${Math.ceil(c / hs.numClusters)}`,
    flatMs.toFixed(2),
    hsMs.toFixed(2),
    `${(flatMs / hsMs).toFixed(1)}×`,
  ])
}

const header = ['classes C', 'clusters', 'flat ms/step', 'hierarchical ms/step', 'speed-up']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const r of rows) console.log(line(r))
const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
console.log(`\nloss forward + backward (gradients for h and every parameter), d = ${d}, batch ${batch}; median of ${repeats} after ${warmup} warm-up steps`)
console.log(`${cpu}, ${os.cpus().length} cores, node ${process.version}`)
