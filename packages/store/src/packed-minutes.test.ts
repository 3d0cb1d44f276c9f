import { describe, expect, it } from 'vitest'
import {
  ENERGY_MINUTES_CONFLICT,
  POWER_MINUTES_CONFLICT,
  foldPowerMinutesSql,
} from './packed-minutes.js'

describe('conflict clauses', () => {
  it('merge every packed column with its function', () => {
    expect(POWER_MINUTES_CONFLICT).toContain('n = linky_add(power_minutes.n, excluded.n)')
    expect(POWER_MINUTES_CONFLICT).toContain(
      'u_min = linky_least(power_minutes.u_min, excluded.u_min)',
    )
    expect(ENERGY_MINUTES_CONFLICT).toContain(
      'max_wh = linky_greatest(energy_minutes.max_wh, excluded.max_wh)',
    )
  })
})

describe('fold SQL', () => {
  it('folds all 1-minute rows, or those before a parameter, merging into stored rows on demand', () => {
    expect(foldPowerMinutesSql(false, false)).not.toContain('?')
    expect(foldPowerMinutesSql(false, false)).not.toContain('on conflict')
    expect(foldPowerMinutesSql(true, true)).toContain('where res = 1 and bucket < ?')
    expect(foldPowerMinutesSql(true, true)).toContain(POWER_MINUTES_CONFLICT)
  })
})
