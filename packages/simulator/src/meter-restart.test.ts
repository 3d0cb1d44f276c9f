import { describe, expect, it } from 'vitest'
import { createMeterSimulator } from './meter-simulator.js'
import type { MeterSimulatorOptions } from './options.js'
import type { SimulatedOption } from './tariff-calendar.js'

const DAY = 86_400_000
const OPTIONS: readonly SimulatedOption[] = ['base', 'hc', 'ejp', 'tempo']

/** The supplier indexes (Wh) and export index of the first frame of a simulator. */
function firstIndexes(o: MeterSimulatorOptions): {
  byIndex: Record<number, number>
  importWh: number
  exportWh: number | null
  id: string | null
} {
  const f = createMeterSimulator({ intervalMs: 60_000, ...o }).next()
  return {
    byIndex: { ...f.expected.energy.importByIndexWh },
    importWh: f.expected.energy.importWh,
    exportWh: f.expected.energy.exportWh,
    id: f.expected.meter.id,
  }
}

describe('simulator indexes continue across restarts', () => {
  for (const option of OPTIONS) {
    for (const mode of ['historique', 'standard'] as const) {
      it(`${option} ${mode}: a restart later starts from larger indexes, every index of the contract`, () => {
        const start = Date.UTC(2026, 0, 11, 23)
        const a = firstIndexes({ option, mode, seed: 3, start })
        for (const later of [start + 60_000, start + DAY, start + 400 * DAY]) {
          const b = firstIndexes({ option, mode, seed: 3, start: later })
          expect(b.id).toBe(a.id)
          expect(b.importWh).toBeGreaterThan(a.importWh)
          for (const [k, v] of Object.entries(a.byIndex))
            expect(b.byIndex[Number(k)]).toBeGreaterThanOrEqual(v)
        }
      })
    }
  }

  it('a restart after a day starts about where the first run got to (not back at its start)', () => {
    const start = Date.UTC(2026, 0, 11, 23)
    const sim = createMeterSimulator({
      option: 'hc',
      mode: 'standard',
      seed: 9,
      start,
      intervalMs: 60_000,
    })
    const first = sim.next().expected.energy.importWh
    let last = first
    while (sim.now < start + 7 * DAY) last = sim.next().expected.energy.importWh
    const restarted = firstIndexes({
      option: 'hc',
      mode: 'standard',
      seed: 9,
      start: sim.now,
    }).importWh
    expect(restarted).toBeGreaterThan(first)
    // Within 30 % of a week's use of where the first run stopped.
    expect(Math.abs(restarted - last)).toBeLessThan(0.3 * (last - first))
  })

  it("a producer's export index continues too", () => {
    const start = Date.UTC(2026, 5, 1, 10)
    const a = firstIndexes({ mode: 'standard', producer: true, seed: 4, start })
    const b = firstIndexes({ mode: 'standard', producer: true, seed: 4, start: start + 30 * DAY })
    expect(b.exportWh!).toBeGreaterThan(a.exportWh!)
  })

  it('keeps the simulator deterministic: the same options give the same bytes', () => {
    const o = {
      option: 'tempo' as const,
      mode: 'standard' as const,
      seed: 11,
      start: Date.UTC(2026, 2, 1),
      intervalMs: 60_000,
    }
    const x = createMeterSimulator(o)
    const y = createMeterSimulator(o)
    for (let i = 0; i < 20; i++)
      expect(Buffer.from(x.next().bytes).equals(Buffer.from(y.next().bytes))).toBe(true)
  })
})

describe('simulated meter ids', () => {
  it('differ between contracts (option, phases, producer, hardware) for one seed, and not between TIC modes', () => {
    const ids = new Map<string, string>()
    for (const option of OPTIONS) {
      for (const phases of [1, 3] as const) {
        for (const producer of [false, true]) {
          const id = firstIndexes({ option, phases, producer, mode: 'standard', seed: 1 }).id!
          expect(
            firstIndexes({ option, phases, producer: false, mode: 'historique', seed: 1 }).id,
          ).toBe(producer ? ids.get(`${option}/${String(phases)}/false`) : id)
          const key = `${option}/${String(phases)}/${String(producer)}`
          expect([...ids.values()]).not.toContain(id)
          ids.set(key, id)
        }
      }
    }
    const cbemm = firstIndexes({ meter: 'cbemm', option: 'hc', seed: 1 }).id!
    const cbetm = firstIndexes({ meter: 'cbetm', option: 'hc', seed: 1 }).id!
    expect(new Set([cbemm, cbetm, ids.get('hc/1/false'), ids.get('hc/3/false')]).size).toBe(4)
  })
})
