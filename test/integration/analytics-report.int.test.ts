import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildReport,
  catalogueRows,
  DEFAULT_SETTINGS,
  TRV_CATALOGUE,
  loadReportData,
  parseLocalDate,
  pickMeter,
  subscriptionPerDay,
  localDayKey,
} from '@linkyrpi/analytics'
import type { Report } from '@linkyrpi/analytics'
import { createMeterSimulator } from '@linkyrpi/simulator'
import type { SimulatedFrame } from '@linkyrpi/simulator'
import { openStore } from '@linkyrpi/pipeline'
import { importChunks, replaceTariffPrices } from '@linkyrpi/store'
import { sql } from 'kysely'
import { reportCommand } from '../../apps/linkyrpi/src/commands/report.js'
import { recordingIo } from '../support/command-io.js'
import { describeWithService, tcpReachable } from '../support/services.js'
import { postgresTarget, sqliteTarget, type TestTarget } from './store-helpers.js'

const pgUp = await tcpReachable('127.0.0.1', 5432)

const io = recordingIo

// Twelve simulated days of a Tempo meter across the spring DST change (2026-03-29, 23 h), one
// frame every 2 minutes, with no reception at all on 2026-03-25 (local day).
const FROM = '2026-03-20'
const TO = '2026-04-01'
const GAP_DAY = '2026-03-25'
const gapFrom = parseLocalDate(GAP_DAY) as number
const gapTo = parseLocalDate('2026-03-26') as number

function simulate(): { frames: SimulatedFrame[]; first: SimulatedFrame; last: SimulatedFrame } {
  const sim = createMeterSimulator({
    option: 'tempo',
    mode: 'standard',
    seed: 41,
    start: parseLocalDate(FROM) as number,
    intervalMs: 120_000,
  })
  const end = parseLocalDate(TO) as number
  const frames: SimulatedFrame[] = []
  while (sim.now < end) {
    const f = sim.next()
    if (f.at < gapFrom || f.at >= gapTo) frames.push(f)
  }
  return {
    frames,
    first: frames[0] as SimulatedFrame,
    last: frames[frames.length - 1] as SimulatedFrame,
  }
}

// 2026-02-01 grid, Tempo (docs/tariffs.md): blue HC/HP, white HC/HP, red HC/HP; 6 kVA 15.59 €/month.
const TEMPO_2026_02 = [0.1325, 0.1612, 0.1499, 0.1871, 0.1575, 0.706]

function scenario(makeTarget: () => TestTarget): void {
  let target: TestTarget
  let sim: ReturnType<typeof simulate>
  let report: Report
  beforeAll(async () => {
    target = makeTarget()
    sim = simulate()
    const store = await openStore(target.target)
    try {
      await importChunks(
        sim.frames.map((f) => ({ atMs: f.at, bytes: f.bytes })),
        store,
      )
      const meter = await pickMeter(store.history, null)
      report = buildReport(
        await loadReportData(
          store.history,
          meter,
          parseLocalDate(FROM) as number,
          parseLocalDate(TO) as number,
        ),
        DEFAULT_SETTINGS,
      )
    } finally {
      await store.close()
    }
  }, 180_000)
  afterAll(async () => {
    await target?.dispose()
  })

  it('energy totals equal the index deltas exactly, per index and in total, despite the gap', () => {
    const a = sim.first.expected.energy
    const b = sim.last.expected.energy
    expect(report.energy.importWh).toBe(b.importWh - a.importWh)
    for (let i = 1; i <= 6; i++) {
      const row = report.energy.byIndex.find((r) => r.index === i)
      expect(row?.wh ?? 0).toBe((b.importByIndexWh[i] ?? 0) - (a.importByIndexWh[i] ?? 0))
    }
    expect(report.energy.byIndex.map((r) => r.label)).toContain('Tempo bleu HP')
    expect(report.energy.byDay.reduce((s, d) => s + d.importWh, 0)).toBe(report.energy.importWh)
  })

  it('reports the day without data in coverage, and keeps the 23-hour DST day', () => {
    expect(report.coverage.days).toBe(12)
    expect(report.coverage.missingDays).toEqual([GAP_DAY])
    expect(report.coverage.daysWithData).toBe(11)
    expect(report.coverage.gaps).toBeGreaterThanOrEqual(1)
    expect(report.coverage.gapHours).toBeGreaterThan(23)
    expect(report.energy.byDay.map((d) => d.day)).toContain('2026-03-29')
  })

  it('costs the index deltas at the Tempo prices plus 12 days of subscription, by hand', () => {
    const a = sim.first.expected.energy.importByIndexWh
    const b = sim.last.expected.energy.importByIndexWh
    let energy = 0
    for (let i = 1; i <= 6; i++)
      energy += (((b[i] ?? 0) - (a[i] ?? 0)) / 1000) * (TEMPO_2026_02[i - 1] as number)
    expect(report.cost.energyEur).toBeCloseTo(energy, 9)
    expect(report.cost.subscriptionEur).toBeCloseTo(12 * ((15.59 * 12) / 365), 9)
    expect(report.cost.totalEur).toBeCloseTo(energy + 12 * subscriptionPerDay(15.59), 9)
    const tempo = report.comparison.find((r) => r.option === 'tempo')
    expect(tempo).toMatchObject({ current: true, basis: 'measured' })
    expect(tempo?.totalEur).toBeCloseTo(report.cost.totalEur ?? NaN, 9)
  })

  it('the SQL monthly_cost view agrees with the report (subscription over the days with data)', async () => {
    const store = await openStore(target.target)
    try {
      await replaceTariffPrices(store.engine.db as never, 'shipped', catalogueRows(TRV_CATALOGUE))
      const { rows } = await sql<{
        month: string
        days: number
        energy_wh: number
        energy_eur: number
        subscription_eur: number
        total_eur: number | null
        unpriced_days: number
      }>`select * from monthly_cost order by month`.execute(store.engine.db)
      expect(rows.map((r) => r.month)).toEqual(['2026-03'])
      const m = rows[0]!
      expect(Number(m.days)).toBe(11)
      expect(Number(m.energy_wh)).toBe(report.energy.byIndex.reduce((s, x) => s + x.wh, 0)) // supplier indexes (the total register may differ by rounding)
      expect(Number(m.energy_eur)).toBeCloseTo(report.cost.energyEur ?? NaN, 6)
      expect(Number(m.subscription_eur)).toBeCloseTo(11 * subscriptionPerDay(15.59), 6)
      expect(Number(m.total_eur)).toBeCloseTo(
        (report.cost.energyEur ?? NaN) + 11 * subscriptionPerDay(15.59),
        6,
      )
      expect(Number(m.unpriced_days)).toBe(0)
    } finally {
      await store.close()
    }
  })
}

describe('analytics scenario: SQLite', () => scenario(sqliteTarget))
describeWithService('postgresql', pgUp, 'analytics scenario: PostgreSQL', () =>
  scenario(() => postgresTarget()),
)

describe('linkyrpi report', () => {
  let target: TestTarget
  beforeAll(async () => {
    target = sqliteTarget()
    const sim = createMeterSimulator({
      option: 'hc',
      seed: 5,
      start: parseLocalDate('2026-02-27') as number,
      intervalMs: 300_000,
    })
    const frames: { atMs: number; bytes: Uint8Array }[] = []
    while (sim.now < (parseLocalDate('2026-03-03') as number)) {
      const f = sim.next()
      frames.push({ atMs: f.at, bytes: f.bytes })
    }
    const store = await openStore(target.target)
    try {
      await importChunks(frames, store)
    } finally {
      await store.close()
    }
  }, 120_000)
  afterAll(async () => {
    await target?.dispose()
  })

  it('prints the documented JSON keys, priced across the 2026-02-01 grid', async () => {
    const o = io()
    expect(
      await reportCommand.run(
        ['--store', target.text, '--from', '2026-02-27', '--to', '2026-03-03', '--format', 'json'],
        o,
      ),
    ).toBe(0)
    const r = JSON.parse(o.out()) as Record<string, unknown>
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining([
        'meter',
        'from',
        'to',
        'timeZone',
        'coverage',
        'energy',
        'cost',
        'comparison',
        'power',
        'standby',
        'phases',
        'production',
        'appliances',
        'co2',
      ]),
    )
    expect(r).toMatchObject({
      from: '2026-02-27',
      to: '2026-03-03',
      timeZone: 'Europe/Paris',
      phases: null,
      production: null,
      cost: { currency: 'EUR' },
    })
    const energy = r.energy as {
      importWh: number
      byIndex: { index: number; label: string; wh: number }[]
      byDay: unknown[]
    }
    expect(energy.byIndex.map((x) => x.label)).toEqual(['Heures creuses', 'Heures pleines'])
    expect(energy.byDay).toHaveLength(4)
    const cost = r.cost as { lines: { eurPerKWh: number; index: number }[]; totalEur: number }
    expect(cost.lines.filter((l) => l.index === 1).map((l) => l.eurPerKWh)).toEqual([0.1579])
    expect(typeof cost.totalEur).toBe('number')
    for (const k of ['option', 'subscribedKVA', 'totalEur', 'current'])
      expect(Object.keys((r.comparison as object[])[0] as object)).toContain(k)
    for (const k of ['subscribedKVA', 'maxVA', 'overpowerEvents', 'recommendedKVA'])
      expect(Object.keys(r.power as object)).toContain(k)
    for (const k of ['va', 'kwhPerYear', 'eurPerYear'])
      expect(Object.keys(r.standby as object)).toContain(k)
    expect(Object.keys(r.co2 as object)).toEqual(expect.arrayContaining(['gPerKWh', 'kg']))
    const appliances = r.appliances as {
      kind: string
      activations: number
      energyWh: number
      eur: number | null
    }[]
    expect(appliances.map((a) => a.kind)).toContain('water-heater')
    for (const a of appliances)
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining(['kind', 'activations', 'energyWh', 'eur']),
      )
  })

  it('prints one CSV line per day and a table for people', async () => {
    const c = io()
    expect(
      await reportCommand.run(
        ['--store', target.text, '--from', '2026-02-27', '--to', '2026-03-03', '--format', 'csv'],
        c,
      ),
    ).toBe(0)
    const lines = c.out().trim().split('\n')
    expect(lines[0]).toBe(
      'day,import_wh,export_wh,index1_wh,index2_wh,energy_eur,subscription_eur,total_eur',
    )
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ])
    const t = io()
    expect(
      await reportCommand.run(
        ['--store', target.text, '--from', '2026-02-27', '--to', '2026-03-03'],
        t,
      ),
    ).toBe(0)
    expect(t.out()).toMatch(/Heures creuses/)
    expect(t.out()).toMatch(/Contract comparison/)
  })

  it('says when the range has no data, and which meters exist for an unknown one', async () => {
    const e = io()
    expect(
      await reportCommand.run(
        ['--store', target.text, '--from', '2025-01-01', '--to', '2025-02-01'],
        e,
      ),
    ).toBe(4)
    expect(e.err()).toMatch(
      /no data for meter \d{12} from 2025-01-01 to 2025-02-01 \(exclusive\); the store has data from 2026-02-2\d to 2026-03-0\d/,
    )
    const u = io()
    expect(await reportCommand.run(['--store', target.text, '--meter', '000000000000'], u)).toBe(2)
    expect(u.err()).toMatch(/unknown meter '000000000000': the store holds \d{12}/)
  })

  it('lists every mistake of a --config file, and applies a valid one', async () => {
    const bad = join(target.dir, 'bad.yaml')
    writeFileSync(
      bad,
      'analytics:\n  prices:\n    grids:\n      - validFrom: 2026-02-30\n        options: { hc: { energy: { hp: 0,2 } } }\n  offPeak: nuit\n',
    )
    const b = io()
    expect(await reportCommand.run(['--store', target.text, '--config', bad], b)).toBe(3)
    expect(b.err()).toMatch(/\$\.analytics\.prices\.grids\[0\]\.validFrom/)
    expect(b.err()).toMatch(/\$\.analytics\.offPeak/)
    const good = join(target.dir, 'good.yaml')
    writeFileSync(
      good,
      "analytics:\n  prices:\n    grids:\n      - validFrom: '2026-03-01'\n        options: { hc: { energy: { hp: 0.3, hc: 0.1 }, subscription: { '6': 20 } } }\n",
    )
    const g = io()
    expect(
      await reportCommand.run(
        [
          '--store',
          target.text,
          '--from',
          '2026-03-01',
          '--to',
          '2026-03-03',
          '--config',
          good,
          '--format',
          'json',
        ],
        g,
      ),
    ).toBe(0)
    const r = JSON.parse(g.out()) as {
      cost: { lines: { eurPerKWh: number }[]; subscriptionLines: { eurPerMonth: number }[] }
    }
    expect(r.cost.lines.map((l) => l.eurPerKWh).sort()).toEqual([0.1, 0.3])
    expect(r.cost.subscriptionLines.map((s) => s.eurPerMonth)).toEqual([20])
    expect(localDayKey(parseLocalDate('2026-03-01') as number)).toBe('2026-03-01')
  })
})
