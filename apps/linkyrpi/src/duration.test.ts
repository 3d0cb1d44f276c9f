import { describe, expect, it } from 'vitest'
import { parseDuration, parseRate, parseSpeed } from './duration.js'

describe('parseDuration / parseSpeed / parseRate', () => {
  it('parses durations in every unit and combinations', () => {
    expect(parseDuration('7d', '--duration')).toBe(7 * 86_400_000)
    expect(parseDuration('1h30m', '--duration')).toBe(5_400_000)
    expect(parseDuration('500ms', '--duration')).toBe(500)
    expect(parseDuration('45', '--duration')).toBe(45_000)
    expect(parseDuration('2w', '--duration')).toBe(14 * 86_400_000)
  })
  it('rejects anything else, naming the option', () => {
    for (const bad of ['', 'd7', '7 days', '-1h', '0s', '1h-'])
      expect(() => parseDuration(bad, '--duration')).toThrow(/--duration/)
  })
  it('parses speeds and rates', () => {
    expect(parseSpeed(undefined)).toBe(1)
    expect(parseSpeed('max')).toBe('max')
    expect(parseSpeed('60x')).toBe(60)
    expect(() => parseSpeed('fast')).toThrow(/--speed/)
    expect(parseRate('2%', '--noise')).toBeCloseTo(0.02)
    expect(parseRate('0.001', '--noise')).toBe(0.001)
    expect(() => parseRate('3', '--noise')).toThrow(/--noise/)
  })
})
