import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { nn, optim, toy, fit, predict, makeRng, tensor, Tensor, type CurveRow } from '../src/index.js'
import { lossCurves, decisionBoundary, softmaxBars } from '../src/plot/index.js'
import { decimate } from '../src/plot/curves.js'
import { escapeXml } from '../src/plot/svg.js'
import { niceTicks } from '../src/plot/axes.js'

/**
 * A small XML well-formedness check (node has no DOMParser): one root, balanced tags, quoted
 * attributes, no raw `<` or stray `&` in text or attribute values. Returns the element names in
 * document order, so a test can count them.
 */
function checkXml(xml: string): string[] {
  const entities = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi
  const checkChars = (s: string, where: string): void => {
    if (/[<&]/.test(s.replace(entities, ''))) throw new Error(`a raw < or & in ${where}: ${s.slice(0, 80)}`)
  }
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"]*")*)\s*(\/?)>/y
  const attribute = /([A-Za-z_][\w:.-]*)="([^"]*)"/g
  const names: string[] = []
  const open: string[] = []
  let i = 0
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const between = lt < 0 ? xml.slice(i) : xml.slice(i, lt)
    checkChars(between, 'text')
    if (open.length === 0 && between.trim() !== '') throw new Error(`text outside the root element: ${between.slice(0, 80)}`)
    if (lt < 0) break
    tag.lastIndex = lt
    const m = tag.exec(xml)
    if (m === null) throw new Error(`a malformed tag at ${lt}: ${xml.slice(lt, lt + 80)}`)
    const [whole, closing, name, attrs, selfClosing] = m
    const seen = new Set<string>()
    for (const [, attr, value] of attrs.matchAll(attribute)) {
      if (seen.has(attr)) throw new Error(`<${name}> repeats the attribute ${attr}`)
      seen.add(attr)
      checkChars(value, `the attribute ${attr} of <${name}>`)
    }
    if (closing) {
      if (attrs !== '' || selfClosing) throw new Error(`a closing tag with attributes: ${whole}`)
      const expected = open.pop()
      if (expected !== name) throw new Error(`</${name}> closes <${expected}>`)
    } else {
      if (open.length === 0 && names.length > 0) throw new Error(`a second root element <${name}>`)
      names.push(name)
      if (!selfClosing) open.push(name)
    }
    i = lt + whole.length
  }
  if (open.length > 0) throw new Error(`unclosed: <${open.join('> <')}>`)
  return names
}

const count = (names: string[], name: string): number => names.filter((n) => n === name).length

/** The first <g class="…"> element, through its matching </g>, as a document of its own. */
function group(svg: string, className: string): string {
  const start = svg.indexOf(`<g class="${className}"`)
  if (start < 0) throw new Error(`no group ${className}`)
  const tags = /<g[\s>]|<\/g>/g
  tags.lastIndex = start
  let depth = 0
  for (let m = tags.exec(svg); m !== null; m = tags.exec(svg)) {
    depth += m[0] === '</g>' ? -1 : 1
    if (depth === 0) return svg.slice(start, m.index + 4)
  }
  throw new Error(`group ${className} is not closed`)
}

/** Every polyline's points as [x, y] pairs. */
function polylines(svg: string): number[][][] {
  return [...svg.matchAll(/<polyline[^>]* points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)))
}

function expectStandalone(svg: string): void {
  expect(checkXml(svg)[0]).toBe('svg')
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="')).toBe(true)
  expect(svg).toMatch(/^<svg [^>]*width="\d+(\.\d+)?" height="\d+(\.\d+)?" viewBox="0 0 [\d.]+ [\d.]+"/)
  expect(svg).toContain('font-family="sans-serif"')
  expect(svg).toMatch(/<rect x="0" y="0" width="[\d.]+" height="[\d.]+" fill="white"\/>/)
  expect(svg).not.toMatch(/NaN|Infinity|undefined/)
}

const history: CurveRow[] = [1, 2, 3, 4, 5].map((epoch) => ({
  epoch,
  loss: 1 / epoch,
  accuracy: 0.5 + epoch / 20,
  valLoss: 1.2 / epoch,
  valAccuracy: 0.45 + epoch / 20,
}))

describe('svg helpers', () => {
  it('the test\'s XML checker rejects what a browser would reject', () => {
    expect(checkXml('<svg><g><rect/></g></svg>')).toEqual(['svg', 'g', 'rect'])
    expect(() => checkXml('<svg><g></svg>')).toThrow(/closes/)
    expect(() => checkXml('<svg><text>a<b</text></svg>')).toThrow(/malformed|raw/)
    expect(() => checkXml('<svg><text>a & b</text></svg>')).toThrow(/raw < or &/)
    expect(() => checkXml('<svg><rect x="1" x="2"/></svg>')).toThrow(/repeats/)
    expect(() => checkXml('<svg><rect x=1/></svg>')).toThrow(/malformed/)
    expect(() => checkXml('<svg></svg><svg></svg>')).toThrow(/second root/)
  })

  it('escapeXml escapes & < > " and \' so text and attribute values stay well-formed', () => {
    expect(escapeXml(`a<b&"c"'d'>`)).toBe('a&lt;b&amp;&quot;c&quot;&#39;d&#39;&gt;')
  })

  it('niceTicks picks steps of 1, 2 or 5 times a power of ten that cover the data', () => {
    expect(niceTicks(0.03, 2.4).values).toEqual([0, 0.5, 1, 1.5, 2, 2.5])
    expect(niceTicks(0, 1, { count: 6 }).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(1, 10000, { count: 6, integer: true }).values).toEqual([0, 2000, 4000, 6000, 8000, 10000])
    expect(niceTicks(1, 1, { integer: true }).values).toEqual([0, 1, 2])
  })
})

describe('lossCurves', () => {
  it('draws train and validation loss and accuracy as four polylines in a standalone SVG', () => {
    const svg = lossCurves(history, { title: 'Iris' })
    const names = checkXml(svg)
    expectStandalone(svg)
    expect(count(names, 'polyline')).toBe(4)
    for (const label of ['Iris', 'train', 'validation', 'epoch', 'loss', 'accuracy']) expect(svg).toContain(`>${label}</text>`)
    expect(polylines(svg).every((line) => line.length === 5)).toBe(true)
  })

  it('draws only the training lines, and no validation legend, when the rows have no validation', () => {
    const svg = lossCurves(history.map(({ epoch, loss, accuracy }) => ({ epoch, loss, accuracy })))
    expect(count(checkXml(svg), 'polyline')).toBe(2)
    expect(svg).not.toContain('validation')
  })

  it('runs the accuracy axis from 0 to 1', () => {
    const svg = lossCurves([{ epoch: 1, loss: 0.5, accuracy: 0.97 }, { epoch: 2, loss: 0.4, accuracy: 0.98 }])
    const panel = svg.slice(svg.indexOf('>Loss</text>') + 1)
    for (const tick of ['0', '0.2', '0.4', '0.6', '0.8', '1.0']) expect(panel).toContain(`>${tick}</text>`)
  })

  it('draws a single epoch as dots, since a one-point line is invisible', () => {
    const names = checkXml(lossCurves(history.slice(0, 1)))
    expect(count(names, 'polyline')).toBe(0)
    expect(count(names, 'circle')).toBe(4)
  })

  it('skips NaN and ±Infinity without writing NaN or Infinity into the SVG', () => {
    const rows: CurveRow[] = [
      { epoch: 1, loss: 1, accuracy: 0.5, valLoss: Infinity, valAccuracy: 0.4 },
      { epoch: 2, loss: NaN, accuracy: NaN, valLoss: 0.9, valAccuracy: 0.5 },
      { epoch: 3, loss: 0.5, accuracy: 0.7, valLoss: -Infinity, valAccuracy: 0.6 },
      { epoch: 4, loss: 0.4, accuracy: 0.8, valLoss: 0.6, valAccuracy: 0.7 },
    ]
    const svg = lossCurves(rows)
    checkXml(svg)
    expectStandalone(svg)
    expect(polylines(svg).map((line) => line.length)).toEqual([3, 2, 3, 4])
  })

  it('still draws the axes when every value is NaN', () => {
    const svg = lossCurves([{ epoch: 1, loss: NaN, accuracy: NaN }, { epoch: 2, loss: NaN, accuracy: NaN }])
    checkXml(svg)
    expectStandalone(svg)
    expect(svg).toContain('no finite values')
  })

  it('decimates a 10,000-epoch history to at most 1000 points a line and under 100 kB', () => {
    const long: CurveRow[] = Array.from({ length: 10000 }, (_, i) => ({
      epoch: i + 1, loss: Math.exp(-i / 1000) + (i === 5000 ? 3 : 0), accuracy: 1 - Math.exp(-i / 1000), valLoss: 1.1 * Math.exp(-i / 1000),
    }))
    const svg = lossCurves(long)
    checkXml(svg)
    expect(svg.length).toBeLessThan(100_000)
    const lines = polylines(svg)
    expect(lines).toHaveLength(3) // valAccuracy is never given: its line is empty
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(1000)
    // the spike at epoch 5001 survives: the loss line reaches its highest pixel (smallest y) there
    const lossLine = lines[0]
    const spikeY = Math.min(...lossLine.map(([, y]) => y))
    expect(spikeY).toBeLessThan(lossLine[0][1])
  })

  it('decimate keeps the first and last points and each bucket\'s extremes in order', () => {
    const points = Array.from({ length: 5000 }, (_, i) => [i, Math.sin(i)] as const)
    const out = decimate(points, 100)
    expect(out.length).toBeLessThanOrEqual(100)
    expect(out[0]).toEqual(points[0])
    expect(out[out.length - 1]).toEqual(points[4999])
    for (let i = 1; i < out.length; i++) expect(out[i][0]).toBeGreaterThan(out[i - 1][0])
  })

  it('escapes the title', () => {
    const svg = lossCurves(history, { title: 'loss < 1 & "done"' })
    checkXml(svg)
    expect(svg).toContain('loss &lt; 1 &amp; &quot;done&quot;')
  })
})

describe('decisionBoundary', () => {
  const X = tensor([[-1, -1], [1, -1], [-1, 1], [1, 1], [0.5, 0]])
  const y = new Int32Array([0, 1, 0, 1, 1])
  /** class 1 right of x = 0, more sure further away */
  const bySign = (grid: Tensor): Tensor => {
    const n = grid.shape[0]
    const probs = new Float64Array(n * 2)
    for (let i = 0; i < n; i++) {
      const p1 = 1 / (1 + Math.exp(-4 * grid.data[2 * i]))
      probs[2 * i] = 1 - p1
      probs[2 * i + 1] = p1
    }
    return tensor(probs, { shape: [n, 2] })
  }

  it('calls predictFn once, with every cell of a 100 × 100 grid inside the padded bounding box', () => {
    const calls: Tensor[] = []
    const svg = decisionBoundary((grid) => (calls.push(grid), bySign(grid)), X, y)
    checkXml(svg)
    expectStandalone(svg)
    expect(calls).toHaveLength(1)
    expect(calls[0].shape).toEqual([10000, 2])
    const coords = Array.from(calls[0].data)
    expect(Math.min(...coords)).toBeGreaterThan(-1.2)
    expect(Math.max(...coords)).toBeLessThan(1.2)
    expect(Math.min(...coords)).toBeLessThan(-1)
  })

  it('draws one circle for each data point, in the colour of its true class', () => {
    const names = checkXml(group(decisionBoundary(bySign, X, y, { resolution: 20 }), 'points'))
    expect(count(names, 'circle')).toBe(5)
  })

  it('merges neighbouring cells of equal class and confidence into one rect a run', () => {
    const svg = decisionBoundary(bySign, X, y, { resolution: 50 })
    const rects = count(checkXml(group(svg, 'cells')), 'rect')
    // each row is a run per confidence level on each side: at most 2 × 8 rects, far fewer than 50
    expect(rects).toBeLessThanOrEqual(50 * 16)
    expect(rects).toBeGreaterThanOrEqual(50 * 2)
  })

  it('names the classes in the legend, escaped', () => {
    const svg = decisionBoundary(bySign, X, y, { classNames: ['setosa', 'a<b&"c"'], resolution: 10 })
    checkXml(svg)
    expect(svg).toContain('>setosa</text>')
    expect(svg).toContain('>a&lt;b&amp;&quot;c&quot;</text>')
    expect(svg).not.toContain('a<b')
  })

  it('rejects X that is not [N, 2], naming the shape it got', () => {
    expect(() => decisionBoundary(bySign, tensor([[1, 2, 3], [4, 5, 6]]), new Int32Array([0, 1]))).toThrow(/X must be \[N, 2\].*\[2, ?3\]/)
  })

  it('rejects a predictFn that does not return [cells, C], and labels outside the classes', () => {
    expect(() => decisionBoundary(() => tensor([0.5, 0.5]), X, y, { resolution: 10 })).toThrow(/predictFn must return probabilities \[100, C\]/)
    expect(() => decisionBoundary(bySign, X, new Int32Array([0, 1, 0, 1, 2]), { resolution: 10 })).toThrow(/y\[4\] is 2/)
  })

  it('draws a trained spiral classifier: 300 points over a 3-class field, under 500 kB', () => {
    const data = toy.spirals({ n: 300, classes: 3, seed: 0 })
    const rng = makeRng(0)
    const model = new nn.Sequential(new nn.Linear(2, 16, { rng }), new nn.ReLU(), new nn.Linear(16, 3, { rng }))
    fit(model, data, { epochs: 200, optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }) })
    const svg = decisionBoundary((grid) => predict(model, grid).probs, data.X, data.y, { classNames: ['a', 'b', 'c'] })
    const names = checkXml(svg)
    expectStandalone(svg)
    expect(count(checkXml(group(svg, 'points')), 'circle')).toBe(300)
    expect(count(names, 'g')).toBeGreaterThanOrEqual(3)
    expect(svg.length).toBeLessThan(500_000)
  })
})

describe('softmaxBars', () => {
  it('labels each bar with softmax(z / T) to 3 decimals: [4, 2, −1] gives 0.876 at T = 1 and 0.587 at T = 3', () => {
    const svg = softmaxBars([4, 2, -1], [0.5, 1, 3])
    checkXml(svg)
    expectStandalone(svg)
    for (const p of ['0.982', '0.876', '0.118', '0.006', '0.587', '0.302', '0.111']) expect(svg).toContain(`>${p}</text>`)
    expect(count(checkXml(group(svg, 'bars')), 'rect')).toBe(9)
    for (const T of ['0.5', '1', '3']) expect(svg).toContain(`>T = ${T}</text>`)
  })

  it('escapes class names and rejects a temperature that is not > 0', () => {
    const svg = softmaxBars([1, 0], [1], { classNames: ['a<b&"c"', 'ok'] })
    checkXml(svg)
    expect(svg).toContain('>a&lt;b&amp;&quot;c&quot;</text>')
    expect(() => softmaxBars([1, 0], [0])).toThrow(/softmaxBars: temperature must be a finite number > 0, got 0/)
    expect(() => softmaxBars([1, NaN], [1])).toThrow(/logits\[1\] is NaN/)
  })
})

describe('plot is browser-safe', () => {
  it('no file in src/plot imports a node: module or uses Buffer', () => {
    const dir = new URL('../src/plot/', import.meta.url)
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8')
      expect(source, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\b/)
    }
  })
})
