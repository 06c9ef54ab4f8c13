/**
 * How the softmax lab draws its numbers: bars, one row a class, and the Jacobian as a heat map.
 * Every number shown is rounded for the eye; its cell keeps the full-precision number in
 * `data-value`, which is what the tests read. Drawing reads numbers and never computes them.
 */
import { formatNumber } from './format.js'

/** `value` to `digits` decimals, with no '−0.000' for a tiny negative rounding error. */
export function shown(value: number, digits = 3): string {
  const text = formatNumber(value, digits)
  return /^-0\.0+$/.test(text) ? text.slice(1) : text
}

/** 3 → '₃': the index of a class, below the line (there are at most 10). */
export function subscript(k: number): string {
  return '₀₁₂₃₄₅₆₇₈₉'[k]
}

/** 'z₀ = 4': a class named by its logit. */
export function classNames(logits: readonly number[]): string[] {
  return logits.map((z, k) => `z${subscript(k)} = ${shown(z, 2).replace(/\.00$/, '')}`)
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag)
  made.className = className
  made.textContent = text
  return made
}

/** A cell that shows `value` rounded and carries it exactly. */
function valueCell<K extends 'span' | 'td'>(tag: K, className: string, value: number): HTMLElementTagNameMap[K] {
  const cell = element(tag, className, shown(value))
  cell.dataset.value = String(value)
  return cell
}

export interface BarOptions {
  names: readonly string[]
  /** signed: bars grow left or right of a zero line, scaled to the largest |value|; else from 0 to 1 */
  signed?: boolean
  /** the row to mark (the true class) */
  mark?: number
  /** the sum to print under the bars */
  total?: number
}

/** Bars of `values` into `container`, one row a class; a NaN is drawn as no bar and the word NaN. */
export function drawBars(container: HTMLElement, values: readonly number[], { names, signed = false, mark, total }: BarOptions): void {
  const largest = Math.max(...values.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)))
  const scale = signed ? largest || 1 : Math.max(1, largest)
  const rows = values.map((value, k) => {
    const row = element('div', 'lab-bar-row')
    if (k === mark) row.classList.add('marked')
    if (Number.isNaN(value)) row.classList.add('nan')
    const track = element('span', signed ? 'lab-bar-track signed' : 'lab-bar-track')
    const bar = element('span', value < 0 ? 'lab-bar negative' : 'lab-bar')
    const width = Number.isFinite(value) ? (Math.abs(value) / scale) * (signed ? 50 : 100) : 0
    bar.style.width = `${width}%`
    if (signed) bar.style.left = `${value < 0 ? 50 - width : 50}%`
    track.append(bar)
    row.append(element('span', 'lab-bar-name', names[k]), track, valueCell('span', 'lab-bar-value', value))
    return row
  })
  if (total !== undefined) {
    const sum = element('div', 'lab-bar-total', 'Σ = ')
    sum.append(valueCell('span', 'lab-total', total))
    rows.push(sum)
  }
  container.replaceChildren(...rows)
}

/** A colour for v in [−1, 1]: orange above zero, blue below, stronger further from it. */
function heat(v: number): string {
  const [r, g, b] = v >= 0 ? [242, 142, 43] : [78, 121, 167]
  return `rgba(${r}, ${g}, ${b}, ${Math.min(1, Math.abs(v)).toFixed(3)})`
}

/** The K×K matrix as a heat map (coloured by value over the largest |value|), each row's sum beside it. */
export function drawHeatmap(table: HTMLTableElement, matrix: readonly number[][], rowSums: readonly number[], names: readonly string[]): void {
  const largest = Math.max(...matrix.flat().map(Math.abs)) || 1
  const header = document.createElement('tr')
  header.append(element('th', ''), ...names.map((_, j) => element('th', 'lab-column', `∂/∂z${subscript(j)}`)), element('th', 'row-sum', 'row sum'))
  const rows = matrix.map((values, i) => {
    const tr = document.createElement('tr')
    const cells = values.map((v) => {
      const cell = valueCell('td', 'lab-cell', v)
      cell.style.background = heat(v / largest)
      if (Math.abs(v / largest) > 0.6) cell.classList.add('strong')
      return cell
    })
    const sum = valueCell('td', 'row-sum', rowSums[i])
    sum.dataset.testid = 'lab-jacobian-row-sum'
    tr.append(element('th', 'lab-row-name', `s${subscript(i)}`), ...cells, sum)
    return tr
  })
  table.replaceChildren(header, ...rows)
}
