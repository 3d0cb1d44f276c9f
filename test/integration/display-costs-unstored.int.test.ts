import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { createPipelineFrameDecoder } from '@linkyrpi/tic-core'
import type { TicReading } from '@linkyrpi/tic-core'
import { openStore } from '@linkyrpi/pipeline'
import { importChunks } from '@linkyrpi/store'
import type { Store } from '@linkyrpi/store'
import { DEFAULT_SETTINGS, energyPriceAt } from '@linkyrpi/analytics'
import { costsApi } from '@linkyrpi/sink-display'
import type { CostsSummary } from '@linkyrpi/sink-display'

const HOUR = 3_600_000
/** 12:00 in Paris on a weekday: the last two hours (HP) are counted by the meter, not yet stored. */
const NOW = Date.parse('2026-03-10T11:00:00Z')

// The embedded store commits every 10 minutes, so the Live screen adds to today's energy what the
// meter counted since the store's latest reading. /api/costs must add it too: the Live screen shows
// today's kWh and € side by side (a page once showed 179 kWh beside the € of 40 kWh).
describe('/api/costs with energy not yet stored', () => {
  let dir: string
  let store: Store
  let current: TicReading
  /** Index increase (Wh) between the latest stored reading and the current one, per index. */
  const increase: Record<number, number> = {}

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linky-costs-unstored-'))
    const sim = createMeterSimulator({
      option: 'hc',
      seed: 31,
      start: NOW - 3 * 24 * HOUR,
      intervalMs: 300_000,
    })
    const frames: { atMs: number; bytes: Uint8Array }[] = []
    while (sim.now <= NOW) {
      const f = sim.next()
      frames.push({ atMs: f.at, bytes: f.bytes })
    }
    const stored = frames.filter((f) => f.atMs < NOW - 2 * HOUR)
    store = await openStore({ kind: 'sqlite', path: join(dir, 'linky.db') })
    await importChunks(stored, store)
    const decode = (bytes: Uint8Array): TicReading => {
      const out: TicReading[] = []
      createPipelineFrameDecoder({ source: 'meter' }).write(bytes, () => NOW, {
        frame: (f) => out.push(f.reading),
      })
      return out.at(-1)!
    }
    current = decode(frames.at(-1)!.bytes)
    const before = decode(stored.at(-1)!.bytes)
    for (const [k, v] of Object.entries(current.energy.importByIndexWh)) {
      const b = before.energy.importByIndexWh[Number(k)]
      if (b !== undefined && v > b) increase[Number(k)] = v - b
    }
  }, 60_000)
  afterAll(async () => {
    await store?.close()
    await rm(dir, { recursive: true, force: true })
  })

  const ask = async (live?: Parameters<typeof costsApi>[4]): Promise<CostsSummary> => {
    const a = await costsApi(store.history, new URLSearchParams(), NOW, DEFAULT_SETTINGS, live)
    expect(a.status).toBe(200)
    return a.body as CostsSummary
  }

  it('adds the unstored energy to today and this month, priced at the price of now', async () => {
    const storedOnly = await ask()
    const withLive = await ask({ current, counted: null })
    const wh = Object.values(increase).reduce((a, b) => a + b, 0)
    // Two hours of a household at midday: some energy, all of it in HP (index 2).
    expect(wh).toBeGreaterThan(100)
    expect(Object.keys(increase)).toEqual(['2'])
    const price = energyPriceAt(DEFAULT_SETTINGS.catalogue, NOW, 'hc', 2, 6000)!
    expect(price).toBeGreaterThan(0)
    for (const k of ['today', 'thisMonth'] as const) {
      expect(withLive[k].kwh).toBeCloseTo(storedOnly[k].kwh + wh / 1000, 9)
      expect(withLive[k].eur!).toBeCloseTo(storedOnly[k].eur! + (wh / 1000) * price, 9)
    }
    expect(withLive.yesterday).toEqual(storedOnly.yesterday)
    expect(withLive.lastMonth).toEqual(storedOnly.lastMonth)
    const hp = (s: CostsSummary) => s.byPeriod.find((p) => p.label === 'Heures pleines')!
    expect(hp(withLive).kwh).toBeCloseTo(hp(storedOnly).kwh + wh / 1000, 9)
    expect(hp(withLive).eur).toBeCloseTo(hp(storedOnly).eur + (wh / 1000) * price, 9)
  })

  it("ignores another meter's reading", async () => {
    const other = { ...current, meter: { ...current.meter, id: '000000000000' } }
    expect(await ask({ current: other, counted: null })).toEqual(await ask())
  })
})
