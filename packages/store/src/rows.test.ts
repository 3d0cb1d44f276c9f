import { describe, expect, it } from 'vitest'
import { syntheticFrameArray } from './testing/index.js'
import { contractOf, eventsBetween, registersOf, sampleRow, sampleTime } from './rows.js'
import type { TicReading } from '@linkyrpi/tic-core'

const [std] = syntheticFrameArray({ start: Date.UTC(2026, 0, 10, 12), count: 1 })
const [hist] = syntheticFrameArray({ start: Date.UTC(2026, 0, 10, 12), count: 1, mode: 'historique' })

describe('row mapping', () => {
  it('keys a standard frame by its meter clock and a historique frame by its receive time', () => {
    expect(sampleTime({ reading: std!.reading, receivedAt: 123 })).toEqual({ t: Date.UTC(2026, 0, 10, 12), clockMs: Date.UTC(2026, 0, 10, 12) })
    expect(sampleTime({ reading: hist!.reading, receivedAt: 123 })).toEqual({ t: 123, clockMs: null })
  })

  it('maps every sample column from the reading', () => {
    const row = sampleRow('m', 1, 1, { reading: std!.reading, receivedAt: 5 })
    expect(row).toEqual(['m', 1, 5, 1, std!.reading.power.apparentVA, null, null, null, null, std!.reading.current.rmsA![0], null, null, std!.reading.voltage.rmsV![0], null, null, 2, 'hp', std!.reading.energy.importWh, null, 0])
  })

  it('lists the index registers of both modes', () => {
    expect(registersOf(std!.reading).filter((_, i) => i % 2 === 0)).toEqual(['s01', 's02', 'd1', 'import'])
    expect(registersOf(hist!.reading).filter((_, i) => i % 2 === 0)).toEqual(['s01', 's02', 'import'])
  })

  it('reads contract terms, none from a short frame', () => {
    expect(contractOf(hist!.reading)).toEqual({ option: 'hc', optionLabel: 'HC..', subscribedVA: 9000, cutoffVA: null, hhphc: 'A' })
    expect(contractOf({ ...hist!.reading, short: true })).toBeNull()
  })

  it('finds period changes, alerts appearing and clearing, relays, messages and gaps', () => {
    const a = std!.reading
    const b: TicReading = {
      ...a,
      period: { ...a.period, index: 1, label: 'HEURE  CREUSE', code: 'hc' },
      alerts: ['overpower'],
      relays: [true, false, false, false, false, false, false, false],
      messages: { msg1: 'COUPURE', msg2: null },
    }
    const kinds = eventsBetween(a, 0, b, 90_000, 60_000).map((e) => e.kind)
    expect(kinds).toEqual(['gap', 'period-change', 'overpower', 'relay-change', 'message'])
    expect(eventsBetween(b, 0, a, 2000, 60_000).map((e) => e.kind)).toEqual(['period-change', 'overpower-end', 'relay-change', 'message'])
    expect(eventsBetween(a, 0, a, 2000, 60_000)).toEqual([])
  })
})
