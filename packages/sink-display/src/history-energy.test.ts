import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TicReading } from '@linkyrpi/tic-core'
import type { EnergyBucket, HistoryStore } from '@linkyrpi/tic-core/stage'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { historyEnergy } from './history-energy.js'

const NOW = Date.UTC(2026, 11, 4, 12)
const DAY = Date.UTC(2026, 11, 4)
const MONTH = Date.UTC(2026, 11, 1)

function bucket(start: number, byIndexWh: Record<number, number>, exportWh: number): EnergyBucket {
  const importWh = Object.values(byIndexWh).reduce((a, b) => a + b, 0)
  return { start, bucket: 'day', byIndexWh, importWh, exportWh }
}

function store(
  days: readonly EnergyBucket[],
  latest: { t: number; reading: TicReading } | null,
): HistoryStore {
  return {
    meters: () => Promise.resolve([]),
    latest: () => Promise.resolve(latest),
    samples: () => Promise.resolve([]),
    energy: () => Promise.resolve(days),
    events: () => Promise.resolve([]),
  }
}

/** A standard-mode reading of meter 812164123456 with index 1 at `wh`. */
function reading(wh: number): TicReading {
  const dec = createTicDecoder({ reading: true })
  const bytes = buildFrame('standard', [
    ['ADSC', '812164123456'],
    ['SINSTS', '01000'],
    ['EAST', String(wh).padStart(9, '0')],
    ['EASF01', String(wh).padStart(9, '0')],
    ['PREF', '06'],
    ['LTARF', 'BASE'],
  ])
  for (const e of dec.push(bytes))
    if (e.kind === 'frame' && e.frame.reading !== undefined) return e.frame.reading
  throw new Error('no reading')
}

describe('historyEnergy', () => {
  const days = [bucket(MONTH, { 1: 100 }, 5), bucket(DAY, { 1: 10, 2: 3 }, 1)]

  it('sums today and this month per index from the stored days', async () => {
    const e = await historyEnergy(store(days, null), 'UTC', 'm', NOW, null)
    expect(e).toEqual({
      meter: 'm',
      source: 'history',
      sinceDay: DAY,
      sinceMonth: MONTH,
      todayByIndexWh: { 1: 10, 2: 3 },
      monthByIndexWh: { 1: 110, 2: 3 },
      todayExportWh: null,
      monthExportWh: null,
    })
  })

  it("adds what the meter counted since the store's latest reading", async () => {
    const current = reading(5100)
    const meter = current.meter.id ?? 'none'
    const stored = { t: DAY + 1000, reading: reading(5000) }
    const e = await historyEnergy(store(days, stored), 'UTC', meter, NOW, current)
    expect(e.todayByIndexWh).toEqual({ 1: 110, 2: 3 })
    expect(e.monthByIndexWh).toEqual({ 1: 210, 2: 3 })
  })

  it("ignores the latest reading when it is another meter's", async () => {
    const stored = { t: DAY + 1000, reading: reading(5000) }
    const e = await historyEnergy(store(days, stored), 'UTC', 'other', NOW, reading(5100))
    expect(e.todayByIndexWh).toEqual({ 1: 10, 2: 3 })
  })

  it('on a fresh store (no reading yet), gives what the dashboard counted, since when it counted', async () => {
    const current = reading(5100)
    const meter = current.meter.id ?? 'none'
    const live = {
      meter,
      source: 'live' as const,
      sinceDay: NOW - 70_000,
      sinceMonth: NOW - 70_000,
      todayByIndexWh: { 1: 30 },
      monthByIndexWh: { 1: 30 },
      todayExportWh: null,
      monthExportWh: null,
    }
    const e = await historyEnergy(store([], null), 'UTC', meter, NOW, current, live)
    expect(e).toMatchObject({
      source: 'history',
      sinceDay: NOW - 70_000,
      sinceMonth: NOW - 70_000,
      todayByIndexWh: { 1: 30 },
      monthByIndexWh: { 1: 30 },
    })
    // Another meter's count is not this one's.
    const other = await historyEnergy(store([], null), 'UTC', 'other', NOW, current, live)
    expect(other.todayByIndexWh).toEqual({})
  })
})
