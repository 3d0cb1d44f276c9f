import { describe, expect, it } from 'vitest'
import { createFrameDecoder } from './frame.js'
import type { TicFrame } from './frame.js'
import { createReadingBuilder } from './reading.js'
import { buildFrame, bytesOf } from './testing/index.js'

const frames = createFrameDecoder()
const decode = (bytes: Uint8Array): TicFrame => frames.decode(bytes.subarray(1, bytes.length - 1))
const hist = (groups: [string, string][]): TicFrame => decode(buildFrame('historique', groups))
const std = (groups: [string, string, string?][]): TicFrame =>
  decode(buildFrame('standard', groups))

const TRI_LONG: [string, string][] = [
  ['ADCO', '041976300236'],
  ['OPTARIF', 'BASE'],
  ['ISOUSC', '15'],
  ['BASE', '002809718'],
  ['PTEC', 'TH..'],
  ['IINST1', '012'],
  ['IINST2', '003'],
  ['IINST3', '004'],
  ['IMAX1', '060'],
  ['IMAX2', '060'],
  ['IMAX3', '060'],
  ['PMAX', '05000'],
  ['PAPP', '04500'],
  ['HHPHC', 'A'],
  ['MOTDETAT', '000000'],
  ['PPOT', '00'],
]

describe('createReadingBuilder', () => {
  it('keeps long-frame values across three-phase short frames and reports the overrun', () => {
    const b = createReadingBuilder()
    b.update(hist(TRI_LONG))
    const short = hist([
      ['ADIR1', '031'],
      ['ADCO', '041976300236'],
      ['IINST1', '031'],
      ['IINST2', '003'],
      ['IINST3', '004'],
    ])
    expect(short.short).toBe(true)
    const r = b.update(short)
    expect(r.short).toBe(true)
    expect(r.power.apparentVA).toBe(4500)
    expect(r.energy.importWh).toBe(2809718)
    expect(r.current.rmsA).toEqual([31, 3, 4])
    expect(r.current.overrunA).toEqual([31, null, null])
    expect(r.alerts).toContain('overpower')
    expect(r.meter.phases).toBe(3)
    // Back to a long frame: the overrun is gone.
    const after = b.update(hist(TRI_LONG))
    expect(after.alerts).not.toContain('overpower')
    expect(after.current.overrunA).toBeNull()
    expect(after.contract.subscribedVA).toBe(15 * 200 * 3)
  })

  it('a single rejected group does not blank a field for one frame', () => {
    const b = createReadingBuilder()
    b.update(
      hist([
        ['ADCO', '021861348497'],
        ['PAPP', '00450'],
        ['IINST', '002'],
      ]),
    )
    const corrupted = frames.decode(
      bytesOf('\nADCO 021861348497 L\r\nPAPP 00460 X\r\nIINST 002 Y\r'),
    )
    expect(corrupted.rejected.map((r) => r.label)).toEqual(['PAPP'])
    expect(b.update(corrupted).power.apparentVA).toBe(450)
  })

  it('never flips phases on one frame of contrary evidence (hysteresis)', () => {
    const b = createReadingBuilder({ hysteresisFrames: 3 })
    const tri = std([
      ['ADSC', '041776199277'],
      ['IRMS1', '003'],
      ['IRMS2', '006'],
      ['IRMS3', '003'],
      ['SINSTS', '02698'],
    ])
    const monoLooking = std([
      ['ADSC', '041776199277'],
      ['IRMS1', '003'],
      ['SINSTS', '02698'],
    ])
    expect(b.update(tri).meter.phases).toBe(3)
    expect(b.update(monoLooking).meter.phases).toBe(3)
    expect(b.update(monoLooking).meter.phases).toBe(3)
    expect(b.update(tri).meter.phases).toBe(3)
    // Three consecutive contrary frames do switch.
    b.update(monoLooking)
    b.update(monoLooking)
    expect(b.update(monoLooking).meter.phases).toBe(1)
  })

  it('takes phases from the ADS type code until frames say otherwise', () => {
    const b = createReadingBuilder()
    expect(b.update(hist([['ADCO', '041976300236']])).meter.phases).toBe(3)
    expect(createReadingBuilder().update(hist([['ADCO', '021861348497']])).meter.phases).toBe(1)
    expect(createReadingBuilder().update(hist([['ADCO', '999999999999']])).meter.phases).toBeNull()
  })

  it('detects producers from labels or STGE, robustly', () => {
    const b = createReadingBuilder()
    const prod = std([
      ['ADSC', '031764953443'],
      ['EAST', '080490250'],
      ['EAIT', '000123456'],
      ['SINSTI', '01200'],
      ['STGE', '003A0100'],
    ])
    const r = b.update(prod)
    expect(r.meter.producer).toBe(true)
    expect(r.energy.exportWh).toBe(123456)
    expect(r.power.injectedVA).toBe(1200)
    const noLabels = std([
      ['ADSC', '031764953443'],
      ['EAST', '080490250'],
      ['STGE', '003A0000'],
    ])
    expect(b.update(noLabels).meter.producer).toBe(true)
  })

  it('maps standard tariff data: NTARF index, LTARF label, Tempo colours from STGE', () => {
    const r = createReadingBuilder().update(
      std([
        ['ADSC', '041776199277'],
        ['NGTF', '     TEMPO      '],
        ['LTARF', '    HP  ROUGE   '],
        ['EAST', '000000100'],
        ['EASF06', '000000100'],
        ['STGE', '0B3A1400'],
        ['NTARF', '06'],
      ]),
    )
    expect(r.contract.option).toBe('tempo')
    expect(r.contract.optionLabel).toBe('TEMPO')
    expect(r.period).toMatchObject({
      index: 6,
      label: 'HP ROUGE',
      code: 'hp',
      tempoToday: 'red',
      tempoTomorrow: 'white',
    })
  })

  it('decodes DATE to an ISO time with offset, summer and winter', () => {
    const b = createReadingBuilder()
    expect(
      b.update(
        std([
          ['ADSC', '041776199277'],
          ['DATE', '', 'E240715143000'],
        ]),
      ).time,
    ).toBe('2024-07-15T14:30:00+02:00')
    expect(
      b.update(
        std([
          ['ADSC', '041776199277'],
          ['DATE', '', 'H240115143000'],
        ]),
      ).time,
    ).toBe('2024-01-15T14:30:00+01:00')
  })

  it('raises alerts from STGE and PPOT', () => {
    const r = createReadingBuilder().update(
      std([
        ['ADSC', '041776199277'],
        ['STGE', '003B00D3'],
      ]),
    )
    expect(new Set(r.alerts)).toEqual(
      new Set(['overpower', 'overvoltage', 'cutoff-open', 'cover-open', 'clock-degraded']),
    )
    const p = createReadingBuilder().update(hist([...TRI_LONG.slice(0, -1), ['PPOT', '02']]))
    expect(p.voltage.missingPhases).toEqual([true, false, false])
    expect(p.alerts).toContain('phase-missing')
  })

  it('starts afresh when another meter appears', () => {
    const b = createReadingBuilder()
    b.update(hist(TRI_LONG))
    const r = b.update(
      hist([
        ['ADCO', '021861348497'],
        ['IINST', '002'],
      ]),
    )
    expect(r.meter.id).toBe('021861348497')
    expect(r.meter.phases).toBe(1)
    expect(r.power.apparentVA).toBeNull()
  })
})
