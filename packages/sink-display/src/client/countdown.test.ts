import { describe, expect, it } from 'vitest'
import type { TicReading } from '@linkyrpi/tic-core'
import { nextPeriod } from './countdown.js'

const TZ = 'Europe/Paris'
/** 2026-12-04 at hh:mm in Paris (UTC+1 in December), epoch ms. */
const at = (hh: number, mm = 0): number => Date.UTC(2026, 11, 4, hh - 1, mm)

function reading(p: {
  option: string
  index?: number | null
  code?: string | null
  alerts?: string[]
  profile?: { startMinute: number; supplierIndex: number | null }[]
  sameDay?: boolean
}): TicReading {
  return {
    contract: { option: p.option },
    period: { index: p.index ?? null, code: p.code ?? null, tempoToday: null, tempoTomorrow: null },
    alerts: p.alerts ?? [],
    calendar: {
      dayNumber: 1,
      nextDayNumber: p.sameDay === false ? 2 : 1,
      nextDayProfile: p.profile ?? null,
      mobilePeaks: [],
    },
  } as unknown as TicReading
}

describe('nextPeriod', () => {
  const profile = [
    { startMinute: 0, supplierIndex: 1 },
    { startMinute: 360, supplierIndex: 2 },
    { startMinute: 1320, supplierIndex: 1 },
  ]
  it("reads today's profile from PJOURF+1 when today's day type is tomorrow's", () => {
    expect(
      nextPeriod(reading({ option: 'hc', index: 2, code: 'hp', profile }), at(20, 48), TZ),
    ).toEqual({ at: at(22), index: 1, code: 'hc' })
    // HC at 23:00: HP at 06:00 tomorrow.
    expect(
      nextPeriod(reading({ option: 'hc', index: 1, code: 'hc', profile }), at(23), TZ),
    ).toEqual({ at: at(6) + 86_400_000, index: 2, code: 'hp' })
    // Another day type tomorrow: the profile says nothing of today.
    expect(
      nextPeriod(
        reading({ option: 'hc', index: 2, code: 'hp', profile, sameDay: false }),
        at(20),
        TZ,
      ),
    ).toBeNull()
  })
  it('Tempo: HC 22:00-06:00; EJP: a notice means the peak at 07:00, a peak ends at 01:00', () => {
    expect(nextPeriod(reading({ option: 'tempo', code: 'hp' }), at(9), TZ)).toEqual({
      at: at(22),
      index: null,
      code: 'hc',
    })
    expect(nextPeriod(reading({ option: 'tempo', code: 'hc' }), at(3), TZ)).toEqual({
      at: at(6),
      index: null,
      code: 'hp',
    })
    expect(
      nextPeriod(reading({ option: 'ejp', code: 'hn', alerts: ['peak-notice'] }), at(6, 35), TZ),
    ).toEqual({ at: at(7), index: 2, code: 'pm' })
    expect(nextPeriod(reading({ option: 'ejp', code: 'pm' }), at(12), TZ)).toEqual({
      at: at(1) + 86_400_000,
      index: 1,
      code: 'hn',
    })
    // Historique HC: the hours are the installation's, not told.
    expect(nextPeriod(reading({ option: 'hc', code: 'hp', index: 2 }), at(12), TZ)).toBeNull()
  })
})
