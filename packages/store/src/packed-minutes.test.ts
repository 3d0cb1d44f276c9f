import { describe, expect, it } from 'vitest'
import {
  ENERGY_MINUTES_CONFLICT,
  POWER_MINUTES_CONFLICT,
  foldEnergyMinutesSql,
  foldPowerMinutesSql,
  rollupConflicts,
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
  it('copies all 1-minute rows, or moves those before a cut and merges them into stored rows', () => {
    expect(foldPowerMinutesSql('copy')).not.toContain('?')
    expect(foldPowerMinutesSql('copy')).not.toContain('on conflict')
    expect(foldPowerMinutesSql('move')).toContain(
      'delete from power_rows where res = 1 and bucket < ?',
    )
    expect(foldPowerMinutesSql('move')).toContain(POWER_MINUTES_CONFLICT)
  })

  it('moves from the hot tables: power_rows/energy_rows only get the derived rows inserted', () => {
    const { power: pc, energy: ec } = rollupConflicts(
      (a, b) => `least(${a}, ${b})`,
      (a, b) => `greatest(${a}, ${b})`,
    )
    const power = foldPowerMinutesSql('move', '?', pc, 'hot')
    const energy = foldEnergyMinutesSql('move', '?', ec, 'hot')
    expect(power).toContain('delete from power_hot_rows where true and bucket < ?')
    expect(energy).toContain('delete from energy_hot_rows where true and bucket < ?')
    expect(`${power} ${energy}`).not.toMatch(/(delete from|update) (power|energy)_rows\b/)
  })
})
