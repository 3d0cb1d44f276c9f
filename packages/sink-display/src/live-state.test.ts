import { describe, expect, it } from 'vitest'
import { createPipelineFrameDecoder } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { LiveState } from './live-state.js'
import type { DashboardConfig } from './protocol.js'

const T0 = Date.UTC(2026, 11, 4, 9) // 10:00 in Paris
const ADCO = '031428097115'
const config: DashboardConfig = {
  lang: 'fr',
  staleAfterMs: 10_000,
  history: true,
  diagnostics: false,
  timeZone: 'Europe/Paris',
}

/** Historique base frames of one meter: PAPP `va`, BASE index `wh`, received at `at`. */
function feed(): (va: number, wh: number, at: number) => PipelineFrame {
  const decoder = createPipelineFrameDecoder({ source: 'meter' })
  return (va, wh, at) => {
    const frames: PipelineFrame[] = []
    const groups: [string, string][] = [
      ['ADCO', ADCO],
      ['OPTARIF', 'BASE'],
      ['ISOUSC', '30'],
      ['BASE', String(wh).padStart(9, '0')],
      ['PTEC', 'TH..'],
      ['IINST', '005'],
      ['PAPP', String(va).padStart(5, '0')],
    ]
    decoder.write(buildFrame('historique', groups), () => at, { frame: (f) => frames.push(f) })
    if (frames[0] === undefined) throw new Error('no frame')
    return frames[0]
  }
}

describe('LiveState', () => {
  it('before any frame: no frame, no tariff, empty samples, a zero snapshot', () => {
    const s = new LiveState('Europe/Paris', T0)
    expect(s.reading).toBeNull()
    expect(s.latestJson).toBeNull()
    expect(s.takeTariff()).toBeNull()
    expect(s.samples(T0)).toEqual({ meter: null, t: [], va: [], inj: [] })
    expect(s.hello(config, 1, T0)).toMatchObject({
      frame: null,
      lastFrameAgeMs: null,
      tariff: null,
      stats: { frames: 0, clients: 1, energy: null },
    })
  })

  it('keeps every frame of the last 10 minutes, the energy counted and the latest frame for a page that connects late', () => {
    const s = new LiveState('Europe/Paris', T0)
    const f = feed()
    const seen = []
    for (let i = 0; i < 100; i++)
      seen.push(s.observe(f(1000 + i, 5000 + i, T0 + i * 2000), T0 + i * 2000))
    expect(seen[0]).toMatchObject({ first: true, tariffChanged: true })
    expect(seen[1]).toMatchObject({ first: false })
    const now = T0 + 99 * 2000
    const samples = s.samples(now)
    expect(samples.meter).toBe(ADCO)
    expect(samples.t).toHaveLength(100)
    expect(samples.t[0]).toBe(T0)
    expect(samples.va.at(-1)).toBe(1099)
    expect(s.liveEnergy()).toMatchObject({ meter: ADCO, sinceDay: T0, todayByIndexWh: { 1: 99 } })
    const hello = s.hello(config, 2, now + 500)
    expect(hello.lastFrameAgeMs).toBe(500)
    expect(hello.frame?.meta.receivedAt).toBe(now)
    expect(hello.stats.energy).toMatchObject({ source: 'live', todayByIndexWh: { 1: 99 } })
    expect(JSON.parse(s.latestJson ?? 'null')).toEqual(hello.frame)
    // Ten minutes later only the last frames are left.
    expect(s.samples(now + 590_000).t).toHaveLength(5)
  })

  it('windows the samples on the frames’ clock (a replay of last year, a simulator running fast)', () => {
    const s = new LiveState('Europe/Paris', T0)
    const f = feed()
    const YEAR = 365 * 86_400_000
    for (let i = 0; i < 10; i++) s.observe(f(1000, 5000 + i, T0 - YEAR + i * 60_000), T0 + i * 1000)
    // Received over 10 s, the frames span 9 minutes of their own clock: all in the window…
    expect(s.samples(T0 + 9000).t).toHaveLength(10)
    // …and 2 minutes later (on both clocks) the first two have left it.
    expect(s.samples(T0 + 9000 + 120_000).t).toHaveLength(8)
  })

  it('remembers the tariff sent, and keeps the statistics snapshot it built', () => {
    const s = new LiveState('Europe/Paris', T0)
    const f = feed()
    s.observe(f(1000, 5000, T0), T0)
    expect(JSON.parse(s.takeTariff() ?? 'null')).toMatchObject({ option: 'base' })
    expect(s.observe(f(1000, 5001, T0 + 2000), T0 + 2000).tariffChanged).toBe(false)
    const snap = s.statsAt(T0 + 10_000, 3, null, null)
    expect(snap).toMatchObject({ at: T0 + 10_000, frames: 2, framesPerSecond: 0.2, clients: 3 })
    expect(s.stats).toBe(snap)
    // A stored figure is kept in the hello; without one, the live count is sent.
    const stored = { ...s.liveEnergy()!, source: 'history' as const, todayByIndexWh: { 1: 7 } }
    s.statsAt(T0 + 20_000, 3, stored, null)
    expect(s.hello(config, 1, T0 + 20_000).stats.energy).toBe(stored)
  })
})
