import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame, DecoderEvent } from '@linkyrpi/tic-core'
import { describe, expect, it } from 'vitest'
import { APPLIANCES } from './household.js'
import { createMeterSimulator } from './meter-simulator.js'
import type { MeterSimulatorOptions } from './options.js'
import type { SimulatedOption } from './tariff-calendar.js'

const OPTIONS: readonly SimulatedOption[] = ['base', 'hc', 'ejp', 'tempo']
const HOUR = 3_600_000

function frames(events: readonly DecoderEvent[]): DecodedFrame[] {
  return events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []))
}

const VARIANTS: MeterSimulatorOptions[] = []
for (const option of OPTIONS) {
  VARIANTS.push({ mode: 'historique', meter: 'linky', phases: 1, option })
  VARIANTS.push({ mode: 'historique', meter: 'linky', phases: 3, option })
  VARIANTS.push({ mode: 'historique', meter: 'cbemm', option })
  VARIANTS.push({ mode: 'historique', meter: 'cbemm', icc: true, option })
  VARIANTS.push({ mode: 'historique', meter: 'cbetm', option })
  for (const producer of [false, true]) {
    VARIANTS.push({ mode: 'standard', phases: 1, option, producer })
    VARIANTS.push({ mode: 'standard', phases: 3, option, producer })
  }
}

describe('createMeterSimulator: frames decode to the reading the simulator meant to send', () => {
  for (const variant of VARIANTS) {
    it(JSON.stringify(variant), () => {
      // 30 minutes between frames over three winter days: crosses HC/HP, Tempo 06:00 and 20:00,
      // EJP notices and peaks, and midnight.
      const sim = createMeterSimulator({
        ...variant,
        seed: 7,
        intervalMs: 30 * 60_000,
        overpower: true,
      })
      const decoder = createTicDecoder({ reading: true })
      let checked = 0
      const codes = new Set<string>()
      while (sim.now < sim.options.start + 72 * HOUR) {
        const f = sim.next()
        const decoded = frames(decoder.push(f.bytes))
        expect(decoded).toHaveLength(1)
        const frame = decoded[0]!
        expect(frame.rejected).toEqual([])
        expect(frame.mode).toBe(f.mode)
        const reading = frame.reading!
        expect({ ...reading, alerts: [...reading.alerts].sort() }).toMatchObject(f.expected)
        codes.add(`${String(f.expected.period.code)}/${String(f.expected.period.tempoToday)}`)
        checked++
      }
      expect(checked).toBeGreaterThan(140)
      if (variant.option === 'hc' || variant.option === 'tempo')
        expect([...codes].some((c) => c.startsWith('hp'))).toBe(true)
    })
  }

  it('a CBEMM without ICC sends no PAPP and real IMAX values; a Linky sends IMAX 090', () => {
    const cbemm = createMeterSimulator({ meter: 'cbemm' })
    const text = new TextDecoder().decode(cbemm.next().bytes)
    expect(text).not.toContain('PAPP')
    expect(text).toMatch(/IMAX \d{3}/)
    expect(text).not.toContain('IMAX 090')
    const linky = new TextDecoder().decode(createMeterSimulator({}).next().bytes)
    expect(linky).toContain('IMAX 090')
    expect(linky).toContain('PAPP')
  })

  it('rejects options that cannot exist, naming the option', () => {
    expect(() => createMeterSimulator({ mode: 'standard', meter: 'cbemm' })).toThrow(/mode/)
    expect(() => createMeterSimulator({ meter: 'cbemm', phases: 3 })).toThrow(/phases/)
    expect(() => createMeterSimulator({ option: 'peak' as SimulatedOption })).toThrow(/option/)
    expect(() => createMeterSimulator({ faults: { bitErrorRate: 2 } })).toThrow(/bitErrorRate/)
  })
})

describe('createMeterSimulator: determinism and ground truth', () => {
  it('gives the same bytes for the same seed, different bytes for another seed', () => {
    const run = (seed: number): string => {
      const sim = createMeterSimulator({
        mode: 'standard',
        option: 'tempo',
        seed,
        intervalMs: 600_000,
      })
      let s = ''
      for (let i = 0; i < 50; i++) s += Buffer.from(sim.next().bytes).toString('latin1')
      return s
    }
    expect(run(3)).toBe(run(3))
    expect(run(3)).not.toBe(run(4))
  })

  it('integrates power exactly: registers grow by the true imported energy, appliances add up', () => {
    const sim = createMeterSimulator({
      mode: 'standard',
      option: 'hc',
      producer: true,
      seed: 5,
      intervalMs: 5 * 60_000,
    })
    const before = sim.truth()
    const first = sim.next()
    let last = first
    while (sim.now < sim.options.start + 48 * HOUR) last = sim.next()
    const after = sim.truth()
    let registerDelta = 0
    for (let i = 1; i <= 10; i++) registerDelta += after.registersWh[i]! - before.registersWh[i]!
    expect(registerDelta).toBeCloseTo(after.importWh, 6)
    const appliances = APPLIANCES.reduce((s, a) => s + after.byApplianceWh[a], 0)
    expect(appliances).toBeCloseTo(after.consumptionWh, 6)
    // Energy balance of the installation: consumption = import + production − export.
    expect(after.consumptionWh).toBeCloseTo(after.importWh + after.productionWh - after.exportWh, 6)
    expect(after.productionWh).toBeGreaterThan(0)
    // The EAST the frames carry follows the truth (indexes are truncated to whole Wh).
    const eastDelta = last.expected.energy.importWh - first.expected.energy.importWh
    const truthDelta = after.importWh - (sim.truth().importWh - after.importWh) // == after.importWh
    expect(Math.abs(eastDelta - truthDelta)).toBeLessThan(2 + (after.importWh - eastDelta))
    expect(eastDelta).toBeGreaterThan(0)
  })

  it('integrates each frame at the power it reports when frames are one second apart', () => {
    const sim = createMeterSimulator({
      mode: 'historique',
      option: 'base',
      seed: 2,
      intervalMs: 1000,
    })
    let sum = 0
    const start = sim.truth().importWh
    for (let i = 0; i < 3600; i++) {
      const f = sim.next()
      sum += (f.power.importW * f.durationMs) / HOUR
    }
    expect(sim.truth().importWh - start).toBeCloseTo(sum, 6)
  })
})
