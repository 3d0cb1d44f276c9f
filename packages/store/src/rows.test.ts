import { describe, expect, it } from 'vitest'
import { syntheticFrameArray } from './testing/index.js'
import { contractOf, eventsBetween, isoMs, registersOf, sampleRow, sampleTime } from './rows.js'
import type { TicReading } from '@linkyrpi/tic-core'

const [std] = syntheticFrameArray({ start: Date.UTC(2026, 0, 10, 12), count: 1 })
const [hist] = syntheticFrameArray({
  start: Date.UTC(2026, 0, 10, 12),
  count: 1,
  mode: 'historique',
})

describe('row mapping', () => {
  it('keys a standard frame by its meter clock and a historique frame by its receive time', () => {
    expect(sampleTime({ reading: std!.reading, receivedAt: 123 })).toEqual({
      t: Date.UTC(2026, 0, 10, 12),
      clockMs: Date.UTC(2026, 0, 10, 12),
    })
    expect(sampleTime({ reading: hist!.reading, receivedAt: 123 })).toEqual({
      t: 123,
      clockMs: null,
    })
  })

  it('reads ISO times as Date.parse does, valid or not', () => {
    const times = [
      '2024-02-10T12:13:55+01:00',
      '2024-07-31T23:59:59+02:00',
      '2024-12-31T00:00:00-03:30',
      '2024-02-29T12:00:00+01:00',
      '2023-02-29T12:00:00+01:00',
      '2024-04-31T12:00:00+02:00',
      '2024-13-01T12:00:00+01:00',
      '2024-00-10T12:00:00+01:00',
      '2024-02-10T24:00:00+01:00',
      '2024-02-10T12:60:00+01:00',
      '2024-02-10T12:13:55Z',
      '2024-02-10T12:13:55.250+01:00',
      '0099-02-10T12:13:55+01:00',
      '2024-02-1xT12:13:55+01:00',
      '2024/02/10T12:13:55+01:00',
      'not a time at all, really',
      '',
    ]
    for (const iso of times) expect([iso, isoMs(iso)]).toEqual([iso, Date.parse(iso)])
    // Every day of a leap year and a common one, at both offsets.
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000 + 3_661_000) {
      const d = new Date(t)
      const p2 = (n: number): string => String(n).padStart(2, '0')
      const local = `${String(d.getUTCFullYear())}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
      for (const off of ['+01:00', '+02:00'])
        expect(isoMs(local + off)).toBe(Date.parse(local + off))
    }
  })

  it('reads consecutive times of one minute from the seconds, and anything else in full', () => {
    // Seconds within a minute after a full parse, then a new minute, a new offset, a new day, an
    // invalid second in a cached minute, and back: each as Date.parse reads it.
    const times = [
      '2026-03-29T01:59:58+01:00',
      '2026-03-29T01:59:59+01:00',
      '2026-03-29T01:59:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T03:00:01+02:00',
      '2026-03-29T03:00:01+01:00',
      '2026-03-30T03:00:01+01:00',
      '2026-03-30T03:00:7x+01:00',
      '2026-03-30T03:00:60+01:00',
      '2026-03-30T03:00:59+01:00',
      '2026-03-29T01:59:30+01:00',
      '2026-03-29T01:59:30-01:00',
    ]
    for (const iso of times) expect([iso, isoMs(iso)]).toEqual([iso, Date.parse(iso)])
  })

  it('maps every sample column from the reading', () => {
    const row = sampleRow(7, 1000, 1000, { reading: std!.reading, receivedAt: 1005 })
    expect(row).toEqual({
      m: 7,
      t: 1000,
      rx: 5,
      flags: 1,
      va: std!.reading.power.apparentVA,
      va1: null,
      va2: null,
      va3: null,
      injected_va: null,
      i1: std!.reading.current.rmsA![0],
      i2: null,
      i3: null,
      u1: std!.reading.voltage.rmsV![0],
      u2: null,
      u3: null,
      period_index: 2,
      period_code: 3,
      import_wh: std!.reading.energy.importWh,
      export_wh: null,
    })
  })

  it('lists the index registers of both modes', () => {
    expect(registersOf(std!.reading).filter((_, i) => i % 2 === 0)).toEqual([
      's01',
      's02',
      'd1',
      'import',
    ])
    expect(registersOf(hist!.reading).filter((_, i) => i % 2 === 0)).toEqual([
      's01',
      's02',
      'import',
    ])
  })

  it('reads contract terms, none from a short frame', () => {
    expect(contractOf(hist!.reading)).toEqual({
      option: 'hc',
      optionLabel: 'HC..',
      subscribedVA: 9000,
      cutoffVA: null,
      hhphc: 'A',
    })
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
    expect(eventsBetween(b, 0, a, 2000, 60_000).map((e) => e.kind)).toEqual([
      'period-change',
      'overpower-end',
      'relay-change',
      'message',
    ])
    expect(eventsBetween(a, 0, a, 2000, 60_000)).toEqual([])
  })

  it('reports STGE changes that no other event tells, and only those', () => {
    const a = std!.reading
    const withStatus = (value: number): TicReading => ({
      ...a,
      status: { ...a.status!, value, raw: value.toString(16).toUpperCase().padStart(8, '0') },
    })
    const base = withStatus(0x00000001 << 17)
    // Overpower (bit 7) with its alert: the alert event only.
    const over = { ...withStatus(((1 << 17) | (1 << 7)) >>> 0), alerts: ['overpower' as const] }
    expect(eventsBetween(base, 0, over, 2000, 60_000).map((e) => e.kind)).toEqual(['overpower'])
    // Tempo tomorrow (bits 26-27) and a mobile peak notice (bits 28-29): none.
    expect(
      eventsBetween(base, 0, withStatus(((1 << 17) | (2 << 26) | (1 << 28)) >>> 0), 2000, 60_000),
    ).toEqual([])
    // The dry contact (bit 0) and the cut-off reason (bits 1-3): a status change naming the bits.
    const changed = eventsBetween(
      base,
      0,
      withStatus(((1 << 17) | 1 | (2 << 1)) >>> 0),
      2000,
      60_000,
    )
    expect(changed).toEqual([
      { kind: 'status-change', detail: { from: '00020000', to: '00020005', changedBits: 5 } },
    ])
  })
})
