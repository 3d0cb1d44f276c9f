import { describe, expect, it } from 'vitest'
import { parseAds } from './ads.js'
import { formatDayProfile, parseDayProfile } from './day-profile.js'
import { formatHorodate, parseHorodate } from './horodate.js'
import { isEuSummerTime } from './paris-time.js'
import { parseInteger } from './integer.js'
import { parsePpot } from './ppot.js'
import { formatRelays, parseRelays } from './relays.js'
import { parseStge } from './stge.js'
import { optionFromLabels, parseDemain, parseOptarif, parsePtec, tidyText } from './tariff.js'

describe('STGE (worked decodes of tic-spec.md §7)', () => {
  it('003A0000: single-phase consumer, Base', () => {
    expect(parseStge('003A0000')).toMatchObject({
      dryContactOpen: false,
      cutoff: 'closed',
      ticMode: 'standard',
      euridis: 'secured',
      plcStatus: 'new-lock',
      supplierIndex: 1,
      distributorIndex: 1,
      tempoToday: null,
      tempoTomorrow: null,
      producer: false,
    })
  })
  it('013A0000: Tempo blue today, tomorrow not announced', () => {
    expect(parseStge('013A0000')).toMatchObject({ tempoToday: 'blue', tempoTomorrow: null })
  })
  it('003A0101: producer with the dry contact open', () => {
    expect(parseStge('003A0101')).toMatchObject({ dryContactOpen: true, producer: true })
  })
  it('013A4401: supplier index 2, distributor index 2, blue', () => {
    expect(parseStge('013A4401')).toMatchObject({
      dryContactOpen: true,
      supplierIndex: 2,
      distributorIndex: 2,
      tempoToday: 'blue',
    })
  })
  it('83 top byte: red today, PM2 in progress; stays unsigned', () => {
    const s = parseStge('833A0000')!
    expect(s.value).toBe(0x833a0000)
    expect(s).toMatchObject({ tempoToday: 'red', mobilePeakActive: 2, mobilePeakNotice: 0 })
  })
  it('rejects anything but 8 hex digits', () => {
    expect(parseStge('003A000')).toBeNull()
    expect(parseStge('003A000G')).toBeNull()
    expect(parseStge(undefined)).toBeNull()
  })
})

describe('RELAIS', () => {
  it('decodes relay n as bit n-1, true = closed', () => {
    expect(parseRelays('140')).toEqual([false, false, true, true, false, false, false, true])
    expect(parseRelays('001')).toEqual([true, false, false, false, false, false, false, false])
    expect(parseRelays('256')).toBeNull()
    expect(formatRelays([false, false, true, true, false, false, false, true])).toBe('140')
  })
})

describe('PJOURF+1 / PPOINTE', () => {
  it('decodes slots, skipping NONUTILE', () => {
    const slots = parseDayProfile(`00004001 06004002 22004001${' NONUTILE'.repeat(8)}`)!
    expect(slots.map((s) => [s.start, s.supplierIndex, s.dryContact])).toEqual([
      ['00:00', 1, 'tempo'],
      ['06:00', 2, 'tempo'],
      ['22:00', 1, 'tempo'],
    ])
    expect(parseDayProfile(`0000C001${' NONUTILE'.repeat(10)}`)![0]).toMatchObject({
      dryContact: 'close',
      supplierIndex: 1,
    })
    expect(parseDayProfile(`00008001${' NONUTILE'.repeat(10)}`)![0]!.dryContact).toBe('open')
  })
  it('decodes virtual contacts and round-trips through the formatter', () => {
    const raw = formatDayProfile([
      {
        startMinute: 390,
        supplierIndex: 3,
        dryContact: 'none',
        virtualContacts: [true, false, true],
      },
    ])
    expect(raw).toHaveLength(98)
    const [slot] = parseDayProfile(raw)!
    expect(slot).toMatchObject({
      start: '06:30',
      supplierIndex: 3,
      virtualContacts: [true, false, true, false, false, false, false],
    })
  })
  it('returns null for a malformed block', () => {
    expect(parseDayProfile('2500400Z')).toBeNull()
  })
})

describe('horodate', () => {
  it('decodes season, degraded clock, local and UTC time', () => {
    expect(parseHorodate('H081225223518')).toMatchObject({
      season: 'winter',
      degraded: false,
      local: '2008-12-25T22:35:18',
      iso: '2008-12-25T22:35:18+01:00',
      epochMs: Date.UTC(2008, 11, 25, 21, 35, 18),
    })
    expect(parseHorodate('e090714074553')).toMatchObject({
      season: 'summer',
      degraded: true,
      iso: '2009-07-14T07:45:53+02:00',
    })
    expect(parseHorodate(' 230213060000')).toMatchObject({
      season: null,
      iso: null,
      epochMs: null,
      local: '2023-02-13T06:00:00',
    })
    expect(parseHorodate('H230230060000')).toBeNull()
  })
  it('formats instants in French legal time across DST', () => {
    expect(formatHorodate(Date.UTC(2024, 6, 15, 12, 30, 0))).toBe('E240715143000')
    expect(formatHorodate(Date.UTC(2024, 0, 15, 12, 30, 0))).toBe('H240115133000')
    // 2024-03-31 01:00 UTC: DST starts.
    expect(isEuSummerTime(Date.UTC(2024, 2, 31, 0, 59, 59))).toBe(false)
    expect(isEuSummerTime(Date.UTC(2024, 2, 31, 1, 0, 0))).toBe(true)
    expect(isEuSummerTime(Date.UTC(2024, 9, 27, 0, 59, 59))).toBe(true)
    expect(isEuSummerTime(Date.UTC(2024, 9, 27, 1, 0, 0))).toBe(false)
    for (const t of [Date.UTC(2024, 6, 15, 12), Date.UTC(2024, 11, 1, 5, 6, 7)])
      expect(parseHorodate(formatHorodate(t))!.epochMs).toBe(t)
  })
})

describe('ADS', () => {
  it('decodes Linky and pre-Linky addresses; unknown types are not fatal', () => {
    expect(parseAds('041976300236')).toMatchObject({
      manufacturer: 'Landis+Gyr / Siemens',
      year: 2019,
      kind: 'linky',
      phases: 3,
    })
    expect(parseAds('021861348497')).toMatchObject({
      manufacturer: 'Sagem / Sagemcom',
      year: 2018,
      kind: 'linky',
      phases: 1,
      serial: '348497',
    })
    expect(parseAds('040422040644')).toMatchObject({ kind: 'pre-linky', year: 2004 })
    expect(parseAds('029930123456')).toMatchObject({ kind: 'pre-linky', year: 1999, phases: 3 })
    expect(parseAds('990099123456')).toMatchObject({
      kind: 'unknown',
      manufacturer: null,
      model: null,
      phases: null,
    })
    expect(parseAds('12345678900')).toBeNull()
  })
})

describe('tariffs and integers', () => {
  it('OPTARIF, PTEC, DEMAIN', () => {
    expect(['BASE', 'HC..', 'EJP.', 'BBR(', 'BBR?', 'XXXX'].map(parseOptarif)).toEqual([
      'base',
      'hc',
      'ejp',
      'tempo',
      'tempo',
      'other',
    ])
    expect(parsePtec('PM..')).toEqual({ code: 'pm', index: 2, tempoColour: null })
    expect(parsePtec('HPJW')).toEqual({ code: 'hp', index: 4, tempoColour: 'white' })
    expect(parsePtec('????')).toBeNull()
    expect(['BLEU', 'BLAN', 'ROUG', '----'].map(parseDemain)).toEqual([
      'blue',
      'white',
      'red',
      null,
    ])
  })
  it('standard option from NGTF/LTARF', () => {
    expect(optionFromLabels('H PLEINE/CREUSE', 'HEURE PLEINE')).toBe('hc')
    expect(optionFromLabels('BASE', 'BASE')).toBe('base')
    expect(optionFromLabels('TEMPO', 'HC BLEU')).toBe('tempo')
    expect(optionFromLabels(null, null)).toBeNull()
    expect(optionFromLabels('PRODUCTEUR', null)).toBe('other')
    expect(optionFromLabels(null, 'HEURE POINTE')).toBe('ejp')
    expect(tidyText(' HEURE  CREUSE  ')).toBe('HEURE CREUSE')
  })
  it('parseInteger accepts only digits', () => {
    expect(parseInteger('00263')).toBe(263)
    expect(parseInteger('')).toBeNull()
    expect(parseInteger('0 63')).toBeNull()
    expect(parseInteger('12a')).toBeNull()
  })
})

describe('PPOT', () => {
  it('bit n = phase n without potential', () => {
    expect(parsePpot('00')?.missingPhases).toEqual([false, false, false])
    expect(parsePpot('02')?.missingPhases).toEqual([true, false, false])
    expect(parsePpot('0E')?.missingPhases).toEqual([true, true, true])
    expect(parsePpot('0X')).toBeNull()
  })
})
