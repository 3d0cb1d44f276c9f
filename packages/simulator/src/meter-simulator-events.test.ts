import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame, DecoderEvent } from '@linkyrpi/tic-core'
import { describe, expect, it } from 'vitest'
import { parisInstantOf, parisLocalTime } from '@linkyrpi/tic-core'
import { createMeterSimulator } from './meter-simulator.js'
import type { MeterSimulatorOptions } from './options.js'
import type { SimulatedFrame } from './simulated-frame.js'

function lastIndex<T>(xs: readonly T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i]!)) return i
  return -1
}

/** Runs a simulator at its real pace from local 19:20 to 19:50 on its first day (the overpower episode). */
function evening(options: MeterSimulatorOptions): {
  sims: SimulatedFrame[]
  decoded: DecodedFrame[]
} {
  const day = parisLocalTime(Date.UTC(2026, 0, 12, 12)).dayNumber
  const sim = createMeterSimulator({
    ...options,
    overpower: true,
    heating: false,
    start: parisInstantOf(day, 19 * 60 + 20),
  })
  const decoder = createTicDecoder({ reading: true })
  const sims: SimulatedFrame[] = []
  const decoded: DecodedFrame[] = []
  while (sim.now < sim.options.start + 30 * 60_000) {
    const f = sim.next()
    sims.push(f)
    for (const e of decoder.push(f.bytes)) if (e.kind === 'frame') decoded.push(e.frame)
  }
  return { sims, decoded }
}

describe('overpower episodes', () => {
  it('single-phase historique: ADPS while over the subscription', () => {
    const { sims, decoded } = evening({ mode: 'historique', phases: 1 })
    const over = decoded.filter((f) => f.groups.some((g) => g.label === 'ADPS'))
    expect(over.length).toBeGreaterThan(10)
    for (const f of over) expect(f.reading!.alerts).toContain('overpower')
    expect(sims.some((s) => !s.expected.alerts.includes('overpower'))).toBe(true)
  })

  it('three-phase historique: cycles of 20 short frames and 1 long frame, then long frames after a minute', () => {
    const { sims, decoded } = evening({ mode: 'historique', phases: 3 })
    expect(decoded.length).toBe(sims.length)
    const kinds = sims.map((s) => (s.short ? 's' : 'L')).join('')
    expect(kinds).toContain(`L${'s'.repeat(20)}L${'s'.repeat(20)}L`)
    expect(kinds).not.toContain('s'.repeat(21))
    expect(kinds.endsWith('LLLL')).toBe(true)
    // Each cycle starts by cutting the long frame in progress with EOT.
    const firstShort = sims.findIndex((s) => s.short)
    expect(sims[firstShort]!.bytes).toContain(0x04)
    const short = decoded.filter((f) => f.short)
    expect(short.some((f) => f.groups.some((g) => /^ADIR[123]$/.test(g.label)))).toBe(true)
    for (const f of short)
      expect(f.groups.map((g) => g.label)).toEqual(
        expect.arrayContaining(['ADCO', 'IINST1', 'IINST2', 'IINST3']),
      )
    // The last overrun is followed by one minute of short-frame cycles.
    // Overrun: a phase current above ISOUSC (12 kVA / 200 V / 3 = 20 A), in long or short frames.
    const lastOver = lastIndex(sims, (s) => s.expected.current.rmsA.some((a) => a > 20))
    const lastShort = lastIndex(sims, (s) => s.short)
    expect(sims[lastShort]!.at - sims[lastOver]!.at).toBeLessThanOrEqual(60_000)
    expect(sims[lastShort]!.at - sims[lastOver]!.at).toBeGreaterThan(50_000)
  })

  it('standard: STGE bit 7 while over the reference power', () => {
    const { decoded } = evening({ mode: 'standard', phases: 1 })
    const over = decoded.filter((f) => f.reading!.status!.overpower)
    expect(over.length).toBeGreaterThan(10)
    for (const f of over) expect(f.reading!.power.apparentVA!).toBeGreaterThan(6000)
  })
})

describe('faults', () => {
  const decodeAll = (
    options: MeterSimulatorOptions,
    n: number,
  ): { events: DecoderEvent[]; sims: SimulatedFrame[] } => {
    const sim = createMeterSimulator(options)
    const decoder = createTicDecoder({ reading: true })
    const events: DecoderEvent[] = []
    const sims: SimulatedFrame[] = []
    for (let i = 0; i < n; i++) {
      const f = sim.next()
      sims.push(f)
      events.push(...decoder.push(f.bytes))
    }
    return { events, sims }
  }

  it('wrong baud rate: garbage that never decodes to a frame, in either direction', () => {
    for (const mode of ['historique', 'standard'] as const) {
      const { events, sims } = decodeAll({ mode, faults: { wrongBaud: true } }, 20)
      expect(sims.reduce((n, s) => n + s.bytes.length, 0)).toBeGreaterThan(0)
      expect(events.filter((e) => e.kind === 'frame' && e.frame.groups.length > 0)).toEqual([])
    }
  })

  it('bit errors: corrupted groups are rejected by checksum, the rest still decodes', () => {
    const { events } = decodeAll({ mode: 'standard', faults: { bitErrorRate: 0.0005 } }, 200)
    const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []))
    expect(frames.length).toBeGreaterThan(150)
    expect(frames.some((f) => f.rejected.length > 0)).toBe(true)
    expect(frames.filter((f) => f.rejected.length === 0).length).toBeGreaterThan(50)
  })

  it('dropped bytes and EOT interruptions are reported as discarded or rejected, never as wrong values', () => {
    const { events, sims } = decodeAll(
      { mode: 'historique', faults: { dropRate: 0.001, eotRate: 0.1 } },
      300,
    )
    expect(sims.filter((s) => s.interrupted).length).toBeGreaterThan(10)
    expect(events.some((e) => e.kind === 'discarded' && e.reason === 'interrupted')).toBe(true)
    const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []))
    expect(frames.length).toBeLessThan(300)
    expect(frames.length).toBeGreaterThan(200)
  })

  it('mode switch mid-stream: historique frames, then standard frames from the same meter', () => {
    const { events } = decodeAll({ mode: 'historique', faults: { modeSwitchAtMs: 60_000 } }, 80)
    const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []))
    const modes = frames.map((f) => f.mode)
    expect(modes[0]).toBe('historique')
    expect(modes.at(-1)).toBe('standard')
    expect(modes.indexOf('standard')).toBeGreaterThan(modes.lastIndexOf('historique'))
    const ids = new Set(frames.map((f) => f.reading!.meter.id))
    expect(ids.size).toBe(1)
  })
})

describe('EJP in standard mode', () => {
  it('announces the mobile peak with DPM1/FPM1 and STGE during the notice and the peak', () => {
    const sim = createMeterSimulator({
      mode: 'standard',
      option: 'ejp',
      seed: 3,
      intervalMs: 10 * 60_000,
    })
    const decoder = createTicDecoder({ reading: true })
    let notice = 0
    let peak = 0
    while (sim.now < sim.options.start + 40 * 86_400_000) {
      const f = sim.next()
      const frame = decoder.push(f.bytes).find((e) => e.kind === 'frame')
      if (frame?.kind !== 'frame') continue
      const r = frame.frame.reading!
      if (f.tariff.ejpNotice || f.tariff.ejpPeak) {
        expect(r.calendar.mobilePeaks).toHaveLength(1)
        expect(r.calendar.mobilePeaks[0]!.start).toMatch(/T07:00:00$/)
        expect(r.calendar.mobilePeaks[0]!.end).toMatch(/T01:00:00$/)
        if (f.tariff.ejpNotice) notice++
        else peak++
      } else expect(r.calendar.mobilePeaks).toEqual([])
    }
    expect(notice).toBeGreaterThan(0)
    expect(peak).toBeGreaterThan(notice)
  })
})

describe('season letter and real pace', () => {
  it('writes E in summer and H in winter horodates', () => {
    const summer = createMeterSimulator({ mode: 'standard', start: Date.UTC(2026, 6, 1) }).next()
    const winter = createMeterSimulator({ mode: 'standard', start: Date.UTC(2026, 0, 1) }).next()
    expect(new TextDecoder().decode(summer.bytes)).toMatch(/DATE\tE2607/)
    expect(new TextDecoder().decode(winter.bytes)).toMatch(/DATE\tH2601/)
    expect(summer.expected.time).toMatch(/\+02:00$/)
  })

  it('paces frames at the real character rate: 120 chars/s historique, 960 standard', () => {
    for (const [mode, cps] of [
      ['historique', 120],
      ['standard', 960],
    ] as const) {
      const f = createMeterSimulator({ mode }).next()
      expect(f.durationMs).toBe(Math.round((f.bytes.length * 1000) / cps) + 25)
    }
  })
})
