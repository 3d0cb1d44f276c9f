import { describe, expect, it } from 'vitest'
import type { TicReading } from '@linkyrpi/tic-core'
import { EnergyTracker } from './energy-tracker.js'

function reading(byIndex: Record<number, number>, exportWh: number | null = null): TicReading {
  return {
    meter: { id: '812164123456', producer: exportWh !== null },
    energy: { importByIndexWh: byIndex, exportWh },
  } as unknown as TicReading
}

describe('EnergyTracker', () => {
  it('counts today and this month from the first indexes seen, and restarts at local midnight', () => {
    const e = new EnergyTracker('Europe/Paris')
    const t0 = Date.UTC(2026, 10, 28, 8) // 09:00 in Paris
    e.observe(reading({ 1: 1000, 2: 5000 }, 100), t0)
    e.observe(reading({ 1: 1000, 2: 5600 }, 150), t0 + 3_600_000)
    expect(e.stats()).toMatchObject({
      source: 'live',
      sinceDay: t0,
      todayByIndexWh: { 1: 0, 2: 600 },
      monthByIndexWh: { 1: 0, 2: 600 },
      todayExportWh: 50,
    })
    const nextDay = Date.UTC(2026, 10, 29, 0) // 01:00 in Paris, the next day
    e.observe(reading({ 1: 1200, 2: 5600 }, 150), nextDay)
    e.observe(reading({ 1: 1300, 2: 5600 }, 150), nextDay + 60_000)
    expect(e.stats()).toMatchObject({
      todayByIndexWh: { 1: 100, 2: 0 },
      monthByIndexWh: { 1: 300, 2: 600 },
    })
  })

  it('says nothing before a reading with indexes', () => {
    const e = new EnergyTracker('Europe/Paris')
    e.observe(reading({}), Date.now())
    expect(e.stats()).toBeNull()
  })
})

describe('EnergyTracker after an index goes down', () => {
  it('never shows a negative or lost "today": counting goes on from the new value (simulator restart, meter replaced)', () => {
    const e = new EnergyTracker('Europe/Paris')
    const t0 = Date.UTC(2026, 10, 28, 8)
    e.observe(reading({ 1: 900_000, 2: 1_000_000 }, 5000), t0)
    e.observe(reading({ 1: 900_000, 2: 1_000_400 }, 5100), t0 + 60_000)
    // Restart: the indexes start again from lower values.
    e.observe(reading({ 1: 100, 2: 200 }, 0), t0 + 120_000)
    expect(e.stats()).toMatchObject({
      todayByIndexWh: { 1: 0, 2: 400 },
      monthByIndexWh: { 1: 0, 2: 400 },
      todayExportWh: 100,
    })
    e.observe(reading({ 1: 100, 2: 450 }, 30), t0 + 180_000)
    expect(e.stats()).toMatchObject({
      todayByIndexWh: { 1: 0, 2: 650 },
      monthByIndexWh: { 1: 0, 2: 650 },
      todayExportWh: 130,
      monthExportWh: 130,
    })
  })
})
