import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { CaptureParser, encodeRecord, encodeRecordingHeader } from '@linkyrpi/source-serial'
import { openStore } from '@linkyrpi/pipeline'
import { importChunks } from '@linkyrpi/store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pricesOn, TRV_CATALOGUE } from '@linkyrpi/analytics'
import { automationSimulateCommand } from './automation-simulate.js'
import type { CommandIo } from './command.js'

async function run(args: string[]) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (c: Buffer) => out.push(c))
  stderr.on('data', (c: Buffer) => err.push(c))
  const io: CommandIo = {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: {},
    signal: new AbortController().signal,
  }
  const code = await automationSimulateCommand.run(args, io)
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

const config = `
stages:
  meter: { type: serial, path: /dev/ttyAMA0 }
  frames: { type: tic-decode, from: meter }
  automation:
    type: automation
    from: frames
    staleAfterS: 120
    outputs:
      water-heater: { actuator: { type: mqtt, topic: home/ballon/set }, safe: off, when: { period: [hc] } }
`

describe('linkyrpi automation simulate', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linky-autosim-'))
    await writeFile(join(dir, 'config.yaml'), config)
    // A standard-mode HC meter, one frame a minute for 30 h, with a 10-minute hole at 12:00.
    const sim = createMeterSimulator({
      mode: 'standard',
      option: 'hc',
      intervalMs: 60_000,
      start: Date.parse('2026-01-12T00:00:00+01:00'),
    })
    const parts: Uint8Array[] = [
      encodeRecordingHeader({
        startedAt: '2026-01-12T00:00:00+01:00',
        source: 'simulator',
        mode: 'standard',
      }),
    ]
    while (sim.now <= Date.parse('2026-01-13T06:00:00+01:00')) {
      const f = sim.next()
      const local = new Date(f.at + 3_600_000).toISOString().slice(11, 16)
      if (local >= '12:00' && local < '12:10' && f.at < Date.parse('2026-01-13T00:00:00+01:00'))
        continue
      parts.push(encodeRecord(f.at, f.bytes))
    }
    await writeFile(join(dir, 'day.ticrec'), Buffer.concat(parts))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('prints one JSON line per switch with the meter time and the reason, then a summary', async () => {
    const r = await run(['--config', join(dir, 'config.yaml'), '--input', join(dir, 'day.ticrec')])
    expect(r.code).toBe(0)
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.slice(0, -1)).toEqual([
      {
        t: Date.parse('2026-01-12T00:00:00+01:00'),
        time: '2026-01-12T00:00:00+01:00',
        output: 'water-heater',
        state: 'on',
        reason: 'période HC',
      },
      {
        t: Date.parse('2026-01-12T06:00:00+01:00'),
        time: '2026-01-12T06:00:00+01:00',
        output: 'water-heater',
        state: 'off',
        reason: 'période HP',
      },
      // No frame from 11:59 to 12:10: stale 120 s after the last one, safe state (already off).
      {
        t: Date.parse('2026-01-12T22:00:00+01:00'),
        time: '2026-01-12T22:00:00+01:00',
        output: 'water-heater',
        state: 'on',
        reason: 'période HC',
      },
      {
        t: Date.parse('2026-01-13T06:00:00+01:00'),
        time: '2026-01-13T06:00:00+01:00',
        output: 'water-heater',
        state: 'off',
        reason: 'période HP',
      },
    ])
    expect(lines.at(-1)).toEqual({
      summary: {
        readings: 30 * 60 + 1 - 10,
        from: Date.parse('2026-01-12T00:00:00+01:00'),
        to: Date.parse('2026-01-13T06:00:00+01:00'),
        outputs: { 'water-heater': { switches: 4, onHours: 14, sheds: 0 } },
        overpowersAvoided: 0,
        overpowersSignalled: 0,
        staleHours: 0.15,
      },
    })
  })

  it('prices each output with a shed.powerW while on, at the regulated price of each moment, against the average', async () => {
    const shed = config.replace(
      'when: { period: [hc] } }',
      'when: { period: [hc] }, shed: { priority: 1, powerW: 2000 } }',
    )
    expect(shed).not.toBe(config)
    await writeFile(join(dir, 'shed.yaml'), shed)
    const r = await run(['--config', join(dir, 'shed.yaml'), '--input', join(dir, 'day.ticrec')])
    expect(r.code).toBe(0)
    const summary = (
      JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
        summary: {
          outputs: Record<string, { onHours: number }>
          costs: { averageEurPerKWh: number; outputs: Record<string, Record<string, number>> }
        }
      }
    ).summary
    // On only in HC (the simulated household sheds it now and then): its hours on × 2 kW, all at
    // the HC price of the 6 kVA grid.
    const grid = pricesOn(TRV_CATALOGUE, '2026-01-12', 'hc', 6)!
    const hc = grid.energy.hc!
    const hp = grid.energy.hp!
    const on = summary.outputs['water-heater']!.onHours
    expect(on).toBeGreaterThan(8)
    expect(summary.costs.averageEurPerKWh).toBeGreaterThan(hc)
    expect(summary.costs.averageEurPerKWh).toBeLessThan(hp)
    expect(summary.costs.outputs['water-heater']).toEqual({
      powerW: 2000,
      onHours: on,
      unpricedHours: 0,
      kwh: expect.closeTo(2 * on, 1) as unknown as number,
      eurWhileOn: expect.closeTo(2 * on * hc, 1) as unknown as number,
      eurAtAverage: expect.closeTo(2 * on * summary.costs.averageEurPerKWh, 1) as unknown as number,
      differenceEur: expect.closeTo(
        2 * on * (hc - summary.costs.averageEurPerKWh),
        1,
      ) as unknown as number,
    })
    expect(summary.costs.outputs['water-heater']!.differenceEur).toBeLessThan(0)
    const table = await run([
      '--config',
      join(dir, 'shed.yaml'),
      '--input',
      join(dir, 'day.ticrec'),
      '--format',
      'table',
    ])
    expect(table.stdout).toMatch(
      /\nwater-heater +2000 W +\d+\.\d kWh +\d+\.\d\d € +-\d+\.\d\d € vs average\n$/u,
    )
  })

  it('keeps to --from/--to and prints a table', async () => {
    const r = await run([
      '--config',
      join(dir, 'config.yaml'),
      '--input',
      join(dir, 'day.ticrec'),
      '--from',
      '2026-01-12T12:00:00+01:00',
      '--to',
      '2026-01-13',
      '--format',
      'table',
    ])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'time                      output       state reason',
      '2026-01-12T12:10:00+01:00 water-heater off   période HP',
      '2026-01-12T22:00:00+01:00 water-heater on    période HC',
      '',
    ])
  })

  it('gives the same switches from the capture imported into a store (--store)', async () => {
    const db = join(dir, 'store.db')
    const parser = new CaptureParser()
    const store = await openStore(db)
    try {
      await importChunks(parser.push(await readFile(join(dir, 'day.ticrec'))), store)
      // The import packs its meter-hours into blocks: the simulation reads them (storedSamples).
      const [blocks] = await store.engine.selectRows(
        'select count(*) from sample_blocks where n > 0',
        [],
      )
      expect(Number(blocks![0])).toBeGreaterThan(0)
    } finally {
      await store.close()
    }
    const fromCapture = await run([
      '--config',
      join(dir, 'config.yaml'),
      '--input',
      join(dir, 'day.ticrec'),
    ])
    const fromStore = await run(['--config', join(dir, 'config.yaml'), '--store', db])
    expect(fromStore.stderr).toBe('')
    expect(fromStore.code).toBe(0)
    const switches = (r: { stdout: string }) => r.stdout.trim().split('\n').slice(0, -1)
    expect(switches(fromStore)).toEqual(switches(fromCapture))
    expect(switches(fromStore)).toHaveLength(4)
  })

  it('reports configuration problems with exit code 3', async () => {
    await writeFile(join(dir, 'bad.yaml'), config.replace('safe: off', 'safe: maybe'))
    const r = await run(['--config', join(dir, 'bad.yaml'), '--input', join(dir, 'day.ticrec')])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain("stages.automation.outputs.water-heater.safe: must be 'on' or 'off'")
  })
})
