/** How the page prints numbers: fixed decimals while short, exponent form once they grow (playground/format.ts). */
import { describe, expect, it } from 'vitest'
import { EXPONENT_FROM, formatNumber } from '../../playground/format.js'

describe('formatNumber', () => {
  it('prints a diverged loss as 5.7e+253, two significant digits in exponent form', () => {
    expect(formatNumber(5.682216071262592e+253, 4)).toBe('5.7e+253')
    expect(formatNumber(-5.882977485283101e+55, 3)).toBe('-5.9e+55')
    expect(formatNumber(1.7976931348623157e+308, 4)).toBe('1.8e+308')
  })

  it('keeps the fixed decimals below 10⁴, where accuracies, losses and probabilities live', () => {
    expect(formatNumber(0.91666, 4)).toBe('0.9167')
    expect(formatNumber(1, 4)).toBe('1.0000')
    expect(formatNumber(-0.5, 2)).toBe('-0.50')
    expect(formatNumber(9999.25, 2)).toBe('9999.25')
  })

  it('switches to exponent form at 10⁴ on either side of zero, so no printed number is longer than ten characters there', () => {
    expect(EXPONENT_FROM).toBe(1e4)
    expect(formatNumber(1e4, 4)).toBe('1.0e+4')
    expect(formatNumber(-12345.678, 4)).toBe('-1.2e+4')
    for (const value of [9999.99, 1e4, 3.3e21, 1e100, -7e300]) expect(formatNumber(value, 4).length).toBeLessThanOrEqual(10)
  })

  it('writes NaN and infinities as words, not as a number that looks fine', () => {
    expect(formatNumber(Number.NaN, 4)).toBe('NaN')
    expect(formatNumber(Infinity, 4)).toBe('Infinity')
    expect(formatNumber(-Infinity, 3)).toBe('-Infinity')
  })
})
