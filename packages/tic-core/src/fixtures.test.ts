import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createTicDecoder } from './decoder.js'
import type { DecodedFrame } from './decoder.js'
import type { DiscardEvent } from './framer.js'
import { chunks } from './testing/index.js'

const dir = new URL('../fixtures/', import.meta.url)

function decodeFixture(
  name: string,
  chunkSize?: number,
): { frames: DecodedFrame[]; discarded: DiscardEvent[] } {
  const bytes = new Uint8Array(readFileSync(new URL(name, dir)))
  const d = createTicDecoder({ reading: true })
  const events = [
    ...(chunkSize === undefined ? [bytes] : chunks(bytes, chunkSize)).flatMap((c) => d.push(c)),
    ...d.end(),
  ]
  return {
    frames: events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : [])),
    discarded: events.flatMap((e) => (e.kind === 'discarded' ? [e] : [])),
  }
}

const FIXTURES = [
  'hist_mono_hc_cbemm_blogexample.tic',
  'hist_mono_tempo_linky_lains_teleinfo-nom_raw.tic',
  'hist_mono_tempo_pyteleinfo.tic',
  'hist_tri_hc_linky_ziyaddev_data2.tic',
  'noise_std_garbage_teleinfo2mqtt_issue64.tic',
  'std_mono_base_linkytic.tic',
  'std_mono_hcwe_goteleinfo.tic',
  'std_mono_prod_hpc_teleinfo2mqtt_log.tic',
  'std_tri_tempo_noise_lains_teleinfo-nom_raw.tic',
]

describe('real captures (fixtures/README.md gives their provenance)', () => {
  it.each(FIXTURES)('%s: full decode matches the reviewed expectation file', async (name) => {
    const { frames, discarded } = decodeFixture(name)
    await expect(`${JSON.stringify({ frames, discarded }, null, 1)}\n`).toMatchFileSnapshot(
      `../fixtures/expected/${name}.json`,
    )
  })

  it.each(FIXTURES)('%s: decoding is independent of chunking (1, 7, 64 bytes)', (name) => {
    const whole = decodeFixture(name)
    for (const size of [1, 7, 64]) expect(decodeFixture(name, size)).toEqual(whole)
  })

  it('CBEMM (pre-Linky), HC option, checksum that is a space', () => {
    const { frames } = decodeFixture('hist_mono_hc_cbemm_blogexample.tic')
    expect(frames).toHaveLength(1)
    const f = frames[0]!
    expect(f.rejected).toEqual([])
    expect(f.groups.find((g) => g.label === 'PTEC')).toEqual({
      label: 'PTEC',
      value: 'HP..',
      horodate: undefined,
    })
    const r = f.reading!
    expect(r.meter).toMatchObject({
      id: '040422040644',
      mode: 'historique',
      phases: 1,
      producer: false,
      kind: 'pre-linky',
      prm: null,
    })
    expect(r.meter.ads).toMatchObject({ manufacturerCode: '04', year: 2004, typeCode: '22' })
    expect(r.contract).toMatchObject({
      option: 'hc',
      subscribedVA: 9000,
      subscribedA: 45,
      hhphc: 'E',
    })
    expect(r.period).toMatchObject({ index: 2, label: 'HP..', code: 'hp', tempoToday: null })
    expect(r.energy.importByIndexWh).toEqual({ 1: 77089461, 2: 96066754 })
    expect(r.energy.importWh).toBe(77089461 + 96066754)
    expect(r.power.apparentVA).toBe(460)
    expect(r.current.rmsA).toEqual([2])
    expect(r.current.maxA).toEqual([44])
    expect(r.voltage.rmsV).toBeNull()
    expect(r.relays).toBeNull()
    expect(r.time).toBeNull()
  })

  it('Linky historique Tempo: six indexes mapped to supplier indexes 1-6, colours', () => {
    const { frames } = decodeFixture('hist_mono_tempo_pyteleinfo.tic')
    expect(frames).toHaveLength(10)
    expect(frames.every((f) => f.rejected.length === 0 && f.groups.length === 16)).toBe(true)
    const r = frames[0]!.reading!
    expect(r.meter).toMatchObject({ id: '021861348497', kind: 'linky', phases: 1 })
    expect(r.contract).toMatchObject({ option: 'tempo', optionLabel: 'BBR(', subscribedVA: 6000 })
    expect(r.period).toMatchObject({
      index: 1,
      code: 'hc',
      tempoToday: 'blue',
      tempoTomorrow: 'red',
    })
    expect(Object.keys(r.energy.importByIndexWh)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(r.energy.importByIndexWh[1]).toBe(18328702)
  })

  it('Linky three-phase historique: phases 3 from IINST1-3, frames missing PPOT still decode', () => {
    const { frames, discarded } = decodeFixture('hist_tri_hc_linky_ziyaddev_data2.tic')
    expect(frames).toHaveLength(14)
    expect(frames.every((f) => f.rejected.length === 1 && f.rejected[0]!.raw === 'OT 00 #')).toBe(
      true,
    )
    const r = frames.at(-1)!.reading!
    expect(r.meter).toMatchObject({ id: '041976300236', phases: 3, kind: 'linky' })
    expect(r.contract).toMatchObject({ option: 'hc', subscribedA: 10, subscribedVA: 6000 })
    expect(r.current.rmsA).toHaveLength(3)
    expect(r.current.maxA).toEqual([60, 60, 60])
    expect(discarded.map((d) => d.reason)).toEqual(['outside-frame', 'truncated'])
  })

  it('standard single-phase Base: clock, relays, STGE', () => {
    const { frames } = decodeFixture('std_mono_base_linkytic.tic')
    const f = frames[0]!
    expect(f.groups).toHaveLength(38)
    expect(f.groups.find((g) => g.label === 'DATE')).toEqual({
      label: 'DATE',
      value: '',
      horodate: 'H240210121355',
    })
    const r = f.reading!
    expect(r.meter).toMatchObject({
      id: '012345678910',
      prm: '00000000000000',
      mode: 'standard',
      phases: 1,
      producer: false,
      ticVersion: '02',
    })
    expect(r.contract).toMatchObject({ option: 'base', subscribedVA: 6000, cutoffVA: 6000 })
    expect(r.energy.importWh).toBe(3519702)
    expect(r.energy.importByIndexWh[1]).toBe(3519702)
    expect(r.power.apparentVA).toBe(263)
    expect(r.voltage.rmsV).toEqual([242])
    expect(r.time).toBe('2024-02-10T12:13:55+01:00')
    expect(r.relays).toEqual([true, false, false, false, false, false, false, false])
    expect(r.status).toMatchObject({
      raw: '003A0000',
      ticMode: 'standard',
      euridis: 'secured',
      plcStatus: 'new-lock',
      supplierIndex: 1,
    })
  })

  it('standard producer: export, injection, reactive energy; damaged groups rejected', () => {
    const { frames } = decodeFixture('std_mono_prod_hpc_teleinfo2mqtt_log.tic')
    expect(frames).toHaveLength(9)
    const r = frames.at(-1)!.reading!
    expect(r.meter).toMatchObject({ id: '031764953443', producer: true, phases: 1, kind: 'linky' })
    expect(r.energy.exportWh).not.toBeNull()
    expect(r.energy.reactiveVArh).toHaveLength(4)
    expect(r.contract.option).toBe('hc')
    const rejected = frames.flatMap((f) => f.rejected.map((x) => x.raw))
    expect(rejected).toContain('IRMS1\t:K5')
  })

  it('standard three-phase Tempo with real bit errors: no corrupted group accepted', () => {
    const { frames } = decodeFixture('std_tri_tempo_noise_lains_teleinfo-nom_raw.tic')
    expect(frames).toHaveLength(7)
    const rejected = frames.flatMap((f) => f.rejected)
    expect(rejected).toHaveLength(10)
    expect(rejected.map((x) => x.raw)).toContain('SINSTS1\t0066 \tC')
    for (const f of frames) {
      for (const g of f.groups) expect(g.label).not.toMatch(/@/)
    }
    const r = frames.at(-1)!.reading!
    expect(r.meter).toMatchObject({ id: '041776199277', phases: 3, producer: false })
    expect(r.contract.option).toBe('tempo')
    expect(r.period).toMatchObject({
      tempoToday: 'white',
      tempoTomorrow: 'blue',
      label: 'HC BLANC',
      index: 3,
    })
    expect(r.voltage.rmsV).toHaveLength(3)
    expect(r.power.apparentVAByPhase).toHaveLength(3)
    expect(r.calendar.mobilePeaks.length).toBeGreaterThan(0)
  })

  it('garbage from a wrong serial set-up yields no frame and no group', () => {
    const { frames, discarded } = decodeFixture('noise_std_garbage_teleinfo2mqtt_issue64.tic')
    expect(frames).toEqual([])
    expect(discarded.reduce((n, d) => n + d.byteCount, 0)).toBe(770)
  })
})
