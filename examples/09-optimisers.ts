// 09 · four optimisers on the same spiral, from the same starting weights: SGD, SGD + momentum, Adam, AdamW + cosine.
// It prints how far and how fast each one got, and draws the four loss curves on one axis (and the cosine's lr) as SVG.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { evaluate, fit, makeRng, nn, optim, toy, type HistoryRow, type Tensor } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const outDir = process.env.SOFTGRAD_OUT ?? fileURLToPath(new URL('../out/', import.meta.url))
mkdirSync(outDir, { recursive: true })
const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path))

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}

const { X, y } = toy.spirals({ n: 300, classes: 3, seed: 0 })
const epochs = quick ? 15 : 150
const batchSize = 32
const seed = 0 // the same minibatch order for every run

/** 2 → 32 → 32 → 3, from a fresh makeRng(0) each time: every optimiser starts from the very same weights. */
function makeModel(): nn.Sequential {
  const rng = makeRng(0)
  return new nn.Sequential(
    new nn.Linear(2, 32, { rng }), new nn.ReLU(),
    new nn.Linear(32, 32, { rng }), new nn.ReLU(),
    new nn.Linear(32, 3, { rng }),
  )
}

interface Run { name: string; color: string; what: string; setup: (params: Tensor[]) => { optimizer: optim.Optimizer; scheduler?: optim.LRScheduler } }
const runs: Run[] = [
  { name: 'SGD', color: '#4e79a7', what: 'w ← w − lr·g: every step is the gradient of this one batch, noise and all',
    setup: (p) => ({ optimizer: new optim.SGD(p, { lr: 0.1 }) }) },
  { name: 'SGD + momentum 0.9', color: '#f28e2b', what: 'steps along a running sum of gradients: the noise averages out, steady directions build speed',
    setup: (p) => ({ optimizer: new optim.SGD(p, { lr: 0.1, momentum: 0.9 }) }) },
  { name: 'Adam', color: '#e15759', what: 'momentum, and each parameter\'s step divided by the running RMS of its own gradient',
    setup: (p) => ({ optimizer: new optim.Adam(p, { lr: 0.01 }) }) },
  { name: 'AdamW + cosine', color: '#59a14f', what: 'Adam, but weights shrink by lr·λ directly (decay kept out of the RMS); lr glides to 0 along a cosine',
    setup: (p) => {
      const optimizer = new optim.AdamW(p, { lr: 0.01, weightDecay: 1e-2 })
      return { optimizer, scheduler: new optim.CosineAnnealingLR(optimizer, { tMax: epochs }) }
    } },
]

console.log(`Spirals (${X.shape[0]} points, 3 arms), MLP 2-32-32-3 ReLU, the same starting weights and batch order for all`)
console.log(`${epochs} epochs, batches of ${batchSize}\n`)
for (const run of runs) console.log(`   ${run.name.padEnd(19)} ${run.what}`)

fit(makeModel(), { X, y }, { epochs: quick ? 2 : 30, batchSize, seed }) // untimed: lets the JIT warm up, so the first run's time is not inflated
const results = runs.map((run) => {
  const model = makeModel()
  const started = performance.now()
  const history = fit(model, { X, y }, { ...run.setup(model.parameters()), epochs, batchSize, seed })
  const seconds = (performance.now() - started) / 1000
  return { run, history, final: evaluate(model, { X, y }), seconds, reached: history.find((r) => r.accuracy >= 0.95)?.epoch }
})

console.log('\n' + table(
  ['optimiser', 'final loss', 'final accuracy', 'first epoch ≥ 95%', 'time'],
  results.map(({ run, final, reached, seconds }) => [
    run.name, final.loss.toFixed(4), `${(100 * final.accuracy).toFixed(1)}%`, reached === undefined ? '—' : String(reached), `${seconds.toFixed(2)} s`,
  ]),
))
console.log('   (final: the trained model on all 300 training points; ≥ 95%: the running accuracy during an epoch, as fit reports it)')

/** Lines on one shared axis, with ticks and a legend: a plain SVG string. */
function linesSvg(title: string, yLabel: string, series: { name: string; color: string; dashed?: boolean; rows: HistoryRow[]; pick: (r: HistoryRow) => number }[]): string {
  const W = 720, H = 420, left = 70, right = 200, top = 50, bottom = 50
  const nice = (lo: number, hi: number): number[] => {
    const raw = (hi - lo) / 5
    const mag = 10 ** Math.floor(Math.log10(raw))
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!
    const ticks: number[] = []
    for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)))
    if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)))
    return ticks
  }
  const xTicks = nice(0, Math.max(...series.flatMap((s) => s.rows.map((r) => r.epoch))))
  const yTicks = nice(0, Math.max(...series.flatMap((s) => s.rows.map(s.pick))))
  const [x0, x1, y1] = [xTicks[0], xTicks[xTicks.length - 1], yTicks[yTicks.length - 1]]
  const sx = (v: number): number => left + ((v - x0) / (x1 - x0)) * (W - left - right)
  const sy = (v: number): number => H - bottom - (v / y1) * (H - top - bottom)
  const f = (v: number): string => v.toFixed(1)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${(left + W - right) / 2}" y="28" text-anchor="middle" font-size="15" font-weight="bold">${title}</text>`,
    ...xTicks.map((t) => `<line x1="${f(sx(t))}" y1="${top}" x2="${f(sx(t))}" y2="${H - bottom + 5}" stroke="#eee"/>` +
      `<text x="${f(sx(t))}" y="${H - bottom + 18}" text-anchor="middle">${t}</text>`),
    ...yTicks.map((t) => `<line x1="${left - 5}" y1="${f(sy(t))}" x2="${W - right}" y2="${f(sy(t))}" stroke="#eee"/>` +
      `<text x="${left - 8}" y="${f(sy(t) + 4)}" text-anchor="end">${t}</text>`),
    `<path d="M${left},${top} V${H - bottom} H${W - right}" fill="none" stroke="#333"/>`,
    `<text x="${(left + W - right) / 2}" y="${H - 12}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(18 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`,
  ]
  series.forEach((s, i) => {
    const points = s.rows.map((r) => `${f(sx(r.epoch))},${f(sy(s.pick(r)))}`).join(' ')
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : ''
    parts.push(`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"${dash}/>`)
    const ly = top + 10 + 22 * i
    parts.push(`<line x1="${W - right + 20}" y1="${ly}" x2="${W - right + 44}" y2="${ly}" stroke="${s.color}" stroke-width="3"${dash}/>` +
      `<text x="${W - right + 50}" y="${ly + 4}">${s.name}</text>`)
  })
  return [...parts, '</svg>', ''].join('\n')
}

const lossPath = join(outDir, 'optimisers-loss.svg')
writeFileSync(lossPath, linesSvg(`Spirals, 2-32-32-3: training loss per epoch`, 'loss (mean over the epoch)',
  // AdamW's curve lies almost on Adam's: dashed, so the red line shows through its gaps.
  results.map(({ run, history }) => ({ name: run.name, color: run.color, dashed: run.name.startsWith('AdamW'), rows: history, pick: (r: HistoryRow) => r.loss }))))
const cosine = results[results.length - 1]
const lrPath = join(outDir, 'optimisers-lr.svg')
writeFileSync(lrPath, linesSvg(`AdamW's learning rate under CosineAnnealingLR (tMax ${epochs})`, 'lr at the start of the epoch',
  [{ name: cosine.run.name, color: cosine.run.color, rows: cosine.history, pick: (r: HistoryRow) => r.lr }]))
console.log(`\nwrote ${shown(lossPath)}  (the four loss curves on one axis)`)
console.log(`wrote ${shown(lrPath)}  (the cosine run's lr, epoch by epoch)`)
