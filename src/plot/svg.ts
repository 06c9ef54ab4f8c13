/**
 * The small pieces every plot is made of: escaping text, writing numbers, the <svg> document
 * around a drawing, and the colour palette. Plots are strings: nothing here needs a browser
 * or Node, so the same code draws in the playground and in the command line.
 */

/** Tableau 10: ten colours that stay distinct from one another (and mostly for colour-blind eyes). */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
] as const

/** escapeXml('a<b&"c"') → 'a&lt;b&amp;&quot;c&quot;': safe inside text and inside "…" attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * num(12.3456) → '12.35': a coordinate with two decimals, enough for a screen.
 * NOTE: throws on NaN or Infinity, so a bug upstream can never write an invalid SVG.
 */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`plot: tried to write the coordinate ${value}; this is a bug in src/plot/`)
  const rounded = Math.round(value * 100) / 100
  return String(Object.is(rounded, -0) ? 0 : rounded)
}

/** formatValue(0.5) → '0.5', formatValue(1/3) → '0.333333': a number for a label, without float noise. */
export function formatValue(value: number): string {
  return String(Number(value.toPrecision(6)))
}

/** attrs({ x: 1, fill: 'red' }) → ' x="1" fill="red"': numbers through num, strings escaped. */
export function attrs(values: Record<string, string | number | undefined>): string {
  let out = ''
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`
  }
  return out
}

/** text(10, 20, 'a<b', { 'text-anchor': 'middle' }) → '<text x="10" y="20" text-anchor="middle">a&lt;b</text>' */
export function text(x: number, y: number, content: string, more: Record<string, string | number | undefined> = {}): string {
  return `<text${attrs({ x, y, ...more })}>${escapeXml(content)}</text>`
}

/** A rough width of a label in pixels, for laying out legends (sans-serif is about 0.6 em a character). */
export function textWidth(content: string, fontSize = 12): number {
  return content.length * fontSize * 0.6
}

/**
 * svgDocument(640, 480, body, 'Loss') → a standalone SVG: white background, sans-serif text,
 * and the title both drawn at the top and as the <title> a browser shows in its tab.
 */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  const head = `<svg xmlns="http://www.w3.org/2000/svg"${attrs({ width, height, viewBox: `0 0 ${num(width)} ${num(height)}` })}` +
    ` font-family="sans-serif" font-size="12" fill="#222">`
  const lines = [head]
  if (title !== undefined && title !== '') lines.push(`<title>${escapeXml(title)}</title>`)
  lines.push(`<rect${attrs({ x: 0, y: 0, width, height, fill: 'white' })}/>`)
  if (title !== undefined && title !== '') lines.push(text(width / 2, 24, title, { 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' }))
  lines.push(body, '</svg>', '')
  return lines.join('\n')
}
