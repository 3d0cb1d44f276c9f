import { describe, expect, it } from 'vitest'
import { autoResolution } from './history-store.js'

describe('autoResolution', () => {
  const DAY = 86_400_000
  it('serves raw samples up to a day, then the coarsest rollup giving at least 300 points', () => {
    expect(autoResolution(0, DAY)).toBe('raw')
    expect(autoResolution(0, 7 * DAY)).toBe('1m')
    expect(autoResolution(0, 30 * DAY)).toBe('1h')
    expect(autoResolution(0, 365 * DAY)).toBe('1d')
  })
})
