import { describe, expect, it } from 'vitest'
import {
  ENERGY_MINUTES_CONFLICT,
  POWER_MINUTES_CONFLICT,
  packEnergyMinutes,
  packPowerMinutes,
} from './packed-minutes.js'
import type { PowerMinuteRow } from './packed-minutes.js'

const HOUR = 3_600_000
const H = 10 * HOUR

const power = (m: number, bucket: number, va: number): PowerMinuteRow => ({
  m,
  bucket,
  n: 2,
  va_n: 2,
  va_sum: 2 * va,
  va_min: va,
  va_max: va,
  vap_n: 0,
  va1_sum: null,
  va2_sum: null,
  va3_sum: null,
  inj_n: 0,
  inj_sum: null,
  u_n: 2,
  u1_sum: 460,
  u2_sum: null,
  u3_sum: null,
  u_min: 230,
  u_max: 230,
})

describe('packPowerMinutes', () => {
  it('packs the minutes of each meter and hour into 60-element arrays, in key order', () => {
    const rows = packPowerMinutes([
      power(2, H, 100),
      power(1, H + HOUR + 59 * 60_000, 300),
      power(1, H + 60_000, 200),
    ])
    expect(rows.map((r) => [r.m, r.hour])).toEqual([
      [1, H],
      [1, H + HOUR],
      [2, H],
    ])
    const first = rows[0]!
    expect(first.n).toHaveLength(60)
    expect(first.n![1]).toBe(2)
    expect(first.n![0]).toBeNull()
    expect(first.va_sum![1]).toBe(400)
    expect(rows[1]!.va_max![59]).toBe(300)
  })

  it('stores zero counts as null elements and all-null columns as null', () => {
    const [row] = packPowerMinutes([power(1, H, 100)])
    expect(row!.vap_n).toBeNull()
    expect(row!.inj_n).toBeNull()
    expect(row!.va1_sum).toBeNull()
    expect(row!.u_n![0]).toBe(2)
  })
})

describe('packEnergyMinutes', () => {
  it('packs per meter, register and hour', () => {
    const rows = packEnergyMinutes([
      { m: 1, reg: 200, bucket: H + 120_000, min_wh: 10, max_wh: 12, energy_wh: 3 },
      { m: 1, reg: 1, bucket: H, min_wh: 5, max_wh: 6, energy_wh: 1 },
      { m: 1, reg: 200, bucket: H, min_wh: 8, max_wh: 9, energy_wh: 1 },
    ])
    expect(rows.map((r) => [r.m, r.reg, r.hour])).toEqual([
      [1, 1, H],
      [1, 200, H],
    ])
    expect(rows[1]!.min_wh!.slice(0, 3)).toEqual([8, null, 10])
    expect(rows[1]!.energy_wh!.slice(0, 3)).toEqual([1, null, 3])
  })
})

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
