import { describe, expect, it } from 'vitest'
import type { TicReading } from '@linkyrpi/tic-core'
import { withUnstoredEnergy } from './unstored-energy.js'

const reading = (byIndex: Record<number, number>, exportWh: number | null = null): TicReading =>
  ({ energy: { importByIndexWh: byIndex, exportWh } }) as unknown as TicReading

describe('withUnstoredEnergy', () => {
  const totals = { byIndexWh: { 1: 1000, 2: 500 }, exportWh: 20 }

  it('adds the index increase since the stored reading, per index and for export', () => {
    const out = withUnstoredEnergy(
      totals,
      { t: 5000, reading: reading({ 1: 10_000, 2: 7000 }, 300) },
      reading({ 1: 10_040, 2: 7000, 3: 9 }, 310),
      1000,
    )
    expect(out).toEqual({ byIndexWh: { 1: 1040, 2: 500 }, exportWh: 30 })
    expect(totals.byIndexWh[1]).toBe(1000)
  })

  it('adds nothing when the stored reading is older than the period start, missing, or an index went back', () => {
    const stored = { t: 500, reading: reading({ 1: 10_000 }) }
    expect(withUnstoredEnergy(totals, stored, reading({ 1: 10_040 }), 1000)).toBe(totals)
    expect(withUnstoredEnergy(totals, null, reading({ 1: 10_040 }), 1000)).toBe(totals)
    expect(withUnstoredEnergy(totals, { ...stored, t: 2000 }, null, 1000)).toBe(totals)
    expect(withUnstoredEnergy(totals, { ...stored, t: 2000 }, reading({ 1: 9000 }), 1000)).toEqual({
      byIndexWh: { 1: 1000, 2: 500 },
      exportWh: 20,
    })
  })

  it('on a store with no reading of the period (fresh, or last reading before the period), adds what the dashboard counted in the period', () => {
    const counted = { since: 1500, byIndexWh: { 1: 40, 2: 0 }, exportWh: 7 }
    const fresh = { byIndexWh: {}, exportWh: 0 }
    expect(withUnstoredEnergy(fresh, null, reading({ 1: 10_040 }), 1000, counted)).toEqual({
      byIndexWh: { 1: 40, 2: 0 },
      exportWh: 7,
    })
    const yesterday = { t: 500, reading: reading({ 1: 9_000 }) }
    expect(withUnstoredEnergy(totals, yesterday, reading({ 1: 10_040 }), 1000, counted)).toEqual({
      byIndexWh: { 1: 1040, 2: 500 },
      exportWh: 27,
    })
    // Counted since before the period (no frame yet today): it belongs to the previous period.
    expect(withUnstoredEnergy(fresh, null, null, 2000, counted)).toBe(fresh)
    // A stored reading in the period wins: the index increase since it, not the dashboard's count.
    const stored = { t: 5000, reading: reading({ 1: 10_000 }) }
    expect(withUnstoredEnergy(totals, stored, reading({ 1: 10_010 }), 1000, counted)).toEqual({
      byIndexWh: { 1: 1010, 2: 500 },
      exportWh: 20,
    })
  })
})
