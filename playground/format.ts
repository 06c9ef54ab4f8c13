/**
 * Numbers as the page prints them: a fixed number of decimals while that stays short, and
 * exponent form past it, so a diverging loss reads 5.7e+253 and fits its panel.
 *
 *   formatNumber(0.91666, 4)             // '0.9167'
 *   formatNumber(5.682216071262592e+253, 4)  // '5.7e+253'
 */

/** From this size on, a number is written in exponent form: 1.0e+4, not 10000.0000. */
export const EXPONENT_FROM = 1e4

/** `value` with `digits` decimals, or with two significant digits in exponent form when |value| ≥ 10⁴. */
export function formatNumber(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value) // NaN, Infinity, -Infinity
  return Math.abs(value) >= EXPONENT_FROM ? value.toExponential(1) : value.toFixed(digits)
}
