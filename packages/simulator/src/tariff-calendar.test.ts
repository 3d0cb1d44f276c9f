import { describe, expect, it } from 'vitest'
import { parisInstantOf, parisLocalTime } from '@linkyrpi/tic-core'
import { createTariffCalendar, parseOffPeakHours } from './tariff-calendar.js'

// Local day numbers of the 2025-2026 winter (1 Nov 2025 … 31 Mar 2026).
const NOV_1 = Math.floor(Date.UTC(2025, 10, 1) / 86_400_000)
const MAR_31 = Math.floor(Date.UTC(2026, 2, 31) / 86_400_000)
const at = (day: number, hh: number, mm = 0): number => parisInstantOf(day, hh * 60 + mm)

describe('createTariffCalendar: Tempo', () => {
  const cal = createTariffCalendar('tempo', 1)

  it('draws a plausible season: red only on winter weekdays, no white on Sundays', () => {
    const count = { blue: 0, white: 0, red: 0 }
    for (let d = NOV_1 - 200; d < NOV_1 + 165; d++) {
      const c = cal.tempoColour(d)
      count[c]++
      const wd = new Date(d * 86_400_000).getUTCDay()
      if (c === 'red') {
        expect(wd).not.toBe(0)
        expect(wd).not.toBe(6)
        expect(d >= NOV_1 && d <= MAR_31).toBe(true)
      }
      if (c === 'white') expect(wd).not.toBe(0)
    }
    expect(count.red).toBeGreaterThan(8)
    expect(count.red).toBeLessThan(40)
    expect(count.white).toBeGreaterThan(20)
    expect(count.blue).toBeGreaterThan(250)
  })

  it('changes colour at 06:00, not at midnight, and announces tomorrow from 20:00', () => {
    let d = NOV_1
    while (cal.tempoColour(d) === cal.tempoColour(d + 1)) d++
    expect(cal.at(at(d + 1, 0, 30)).tempoToday).toBe(cal.tempoColour(d))
    expect(cal.at(at(d + 1, 5, 59)).tempoToday).toBe(cal.tempoColour(d))
    expect(cal.at(at(d + 1, 6, 0)).tempoToday).toBe(cal.tempoColour(d + 1))
    expect(cal.at(at(d, 19, 59)).tempoTomorrow).toBeNull()
    expect(cal.at(at(d, 20, 0)).tempoTomorrow).toBe(cal.tempoColour(d + 1))
    expect(cal.at(at(d + 1, 3, 0)).tempoTomorrow).toBe(cal.tempoColour(d + 1))
    expect(cal.at(at(d + 1, 7, 0)).tempoTomorrow).toBeNull()
  })

  it('numbers indexes 1-6 by colour and HC/HP, and closes the relay in HC', () => {
    const d = NOV_1 + 3
    const c = cal.tempoColour(d)
    const base = { blue: 0, white: 2, red: 4 }[c]
    expect(cal.at(at(d, 12))).toMatchObject({
      index: base + 2,
      code: 'hp',
      offPeak: false,
      relayClosed: false,
    })
    expect(cal.at(at(d, 23))).toMatchObject({
      index: base + 1,
      code: 'hc',
      offPeak: true,
      relayClosed: true,
    })
  })

  it('publishes the next-day profile with HC/HP switches and dry-contact actions', () => {
    const d = NOV_1 + 10
    const slots = cal.dayProfile(d)
    expect(slots.map((s) => s.startMinute)).toEqual([0, 360, 1320])
    expect(slots.map((s) => s.dryContact)).toEqual(['close', 'open', 'close'])
  })
})

describe('createTariffCalendar: EJP and HC', () => {
  it('gives a 30-minute notice before a 07:00-01:00 mobile peak', () => {
    const cal = createTariffCalendar('ejp', 3)
    let d = NOV_1
    while (!cal.isEjpDay(d) || cal.isEjpDay(d - 1)) d++
    expect(cal.at(at(d, 6, 29))).toMatchObject({
      ejpNotice: false,
      ejpPeak: false,
      code: 'hn',
      index: 1,
    })
    expect(cal.at(at(d, 6, 30))).toMatchObject({ ejpNotice: true, ejpPeak: false })
    expect(cal.at(at(d, 7, 0))).toMatchObject({
      ejpNotice: false,
      ejpPeak: true,
      code: 'pm',
      index: 2,
      relayClosed: false,
    })
    expect(cal.at(at(d + 1, 0, 59)).ejpPeak).toBe(true)
    expect(cal.at(at(d + 1, 1, 0)).ejpPeak).toBe(false)
  })

  it('follows configurable off-peak hours, including two windows', () => {
    const cal = createTariffCalendar('hc', 1, parseOffPeakHours('02:00-07:00,13:00-16:00'))
    const d = NOV_1
    expect(cal.at(at(d, 1, 59)).code).toBe('hp')
    expect(cal.at(at(d, 2, 0)).code).toBe('hc')
    expect(cal.at(at(d, 14, 0)).code).toBe('hc')
    expect(cal.at(at(d, 16, 0)).code).toBe('hp')
    expect(() => parseOffPeakHours('22h-6h')).toThrow(/22:00-06:00/)
  })
})

describe('parisLocalTime', () => {
  it('follows French legal time across DST', () => {
    expect(parisLocalTime(Date.UTC(2026, 0, 15, 12)).offsetMinutes).toBe(60)
    expect(parisLocalTime(Date.UTC(2026, 6, 15, 12)).offsetMinutes).toBe(120)
    expect(parisLocalTime(Date.UTC(2026, 6, 15, 22, 30)).minuteOfDay).toBe(30)
  })
})
