import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { autoDetect } from '@serialport/bindings-cpp'
import { simulatorSource } from '@linkyrpi/pipeline'
import { replaySource, serialSource } from '@linkyrpi/source-serial'
import { createMeterSimulator } from '@linkyrpi/simulator'
import type { SerialBinding } from '@linkyrpi/source-serial'
import type { SimulatedFrame } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame } from '@linkyrpi/tic-core'
import type { TimedChunk } from '@linkyrpi/tic-core/stage'
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CommandIo } from '../../apps/linkyrpi/src/commands/command.js'
import { simulateCommand } from '../../apps/linkyrpi/src/commands/simulate.js'
import { openPtyBridge } from '../../apps/linkyrpi/src/pty-bridge.js'
import { describeWithService } from '../support/services.js'
import { matches } from '../support/matches.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linky-simulate-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function io(): CommandIo & { err: () => string } {
  const stderr = new PassThrough()
  let err = ''
  stderr.on('data', (d: Buffer) => (err += d.toString()))
  return {
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    env: {},
    signal: new AbortController().signal,
    err: () => err,
  }
}

describe('linkyrpi simulate --speed max --out', () => {
  it('writes the simulated span byte-identically to the library, and reports the ground truth', async () => {
    const out = join(dir, 'hour.tic')
    const streams = io()
    const args = [
      '--mode',
      'standard',
      '--option',
      'tempo',
      '--phases',
      '3',
      '--seed',
      '42',
      '--start',
      '2026-02-02T00:00:00+01:00',
      '--duration',
      '1h',
      '--speed',
      'max',
      '--out',
      out,
    ]
    expect(await simulateCommand.run(args, streams)).toBe(0)
    const file = await readFile(out)
    const sim = createMeterSimulator({
      mode: 'standard',
      option: 'tempo',
      phases: 3,
      seed: 42,
      start: Date.parse('2026-02-02T00:00:00+01:00'),
    })
    const parts: Uint8Array[] = []
    while (sim.now < sim.options.start + 3_600_000) parts.push(sim.next().bytes)
    expect(file.equals(Buffer.concat(parts))).toBe(true)
    expect(streams.err()).toMatch(/ground truth: \{"importKWh":[\d.]+/)
    expect(streams.err()).toContain(`${String(parts.length)} frames`)
  })

  it('writes the ground truth per frame, consistent with the energy summary', async () => {
    const out = join(dir, 'day.tic')
    const truth = join(dir, 'day.truth.jsonl')
    const streams = io()
    const args = [
      '--option',
      'hc',
      '--interval',
      '1m',
      '--duration',
      '1d',
      '--speed',
      'max',
      '--start',
      '2026-01-13',
      '--out',
      out,
      '--truth',
      truth,
    ]
    expect(await simulateCommand.run(args, streams)).toBe(0)
    const lines = (await readFile(truth, 'utf8'))
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            importW: number
            byApplianceW: Record<string, number>
            consumptionW: number
            period: string
          },
      )
    expect(lines).toHaveLength(1440)
    const sumAppliances = (l: (typeof lines)[number]): number =>
      Object.values(l.byApplianceW).reduce((a, b) => a + b, 0)
    for (const l of lines) expect(Math.abs(sumAppliances(l) - l.consumptionW)).toBeLessThan(1)
    expect(new Set(lines.map((l) => l.period))).toEqual(new Set(['hc', 'hp']))
    const summary = JSON.parse(/ground truth: (.*)/.exec(streams.err())![1]!) as {
      importKWh: number
    }
    // Sampled once a minute, the per-frame power integrates close to the exact energy.
    const sampledKWh = lines.reduce((s, l) => s + l.importW / 60, 0) / 1000
    expect(Math.abs(sampledKWh - summary.importKWh) / summary.importKWh).toBeLessThan(0.05)
  })

  it('writes a timed recording that replays to valid frames', async () => {
    const out = join(dir, 'ten-minutes.ticrec')
    expect(
      await simulateCommand.run(
        ['--duration', '10m', '--speed', 'max', '--out', out, '--start', '2026-01-12'],
        io(),
      ),
    ).toBe(0)
    const chunks = await lastValueFrom(replaySource(out, { speed: 'max' }).pipe(toArray()))
    const frames = createTicDecoder()
      .push(Buffer.concat(chunks))
      .filter((e) => e.kind === 'frame')
    expect(frames.length).toBeGreaterThan(300)
  })

  it('records the simulated clock at a finite speed: chunk times follow the simulated frames', async () => {
    const out = join(dir, 'two-minutes.ticrec')
    const start = Date.parse('2026-01-12') // a date alone is UTC midnight, as --start reads it
    expect(
      await simulateCommand.run(
        ['--duration', '2m', '--speed', '600', '--out', out, '--start', '2026-01-12'],
        io(),
      ),
    ).toBe(0)
    const chunks = (await lastValueFrom(
      replaySource(out, { speed: 'max' }).pipe(toArray()),
    )) as TimedChunk[]
    const times = chunks.map((c) => c.receivedAt!)
    expect(
      times.every((t, i) => t >= start && t <= start + 125_000 && (i === 0 || t >= times[i - 1]!)),
    ).toBe(true)
    // Slices of 100 ms of line time: consecutive chunks of one frame are ~100 simulated ms apart.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(110_000)
    expect(
      createTicDecoder()
        .push(Buffer.concat(chunks))
        .filter((e) => e.kind === 'frame').length,
    ).toBeGreaterThan(60)
    // The times are the simulated clock, not the wall clock: the same run gives the same file.
    const again = join(dir, 'two-minutes-again.ticrec')
    expect(
      await simulateCommand.run(
        ['--duration', '2m', '--speed', '600', '--out', again, '--start', '2026-01-12'],
        io(),
      ),
    ).toBe(0)
    expect(Buffer.compare(await readFile(out), await readFile(again))).toBe(0)
  })

  it('refuses impossible or endless requests with a usage error', async () => {
    await expect(simulateCommand.run(['--speed', 'max'], io())).rejects.toThrow(/--duration/)
    await expect(
      simulateCommand.run(['--meter', 'cbemm', '--mode', 'standard', '--duration', '1m'], io()),
    ).rejects.toThrow(/standard/)
    await expect(simulateCommand.run(['--option', 'weekend'], io())).rejects.toThrow(/--option/)
    await expect(simulateCommand.run(['--off-peak', '10pm-6am'], io())).rejects.toThrow(
      /--off-peak/,
    )
  })
})

const SOCAT = spawnSync('socat', ['-V']).status === 0

describeWithService('socat', SOCAT, 'simulate --pty: a virtual meter on a pseudo-terminal', () => {
  it('serves frames that a serial reader detects and decodes to what the simulator meant', async () => {
    const bridge = await openPtyBridge()
    const sent: SimulatedFrame[] = []
    const feed = simulatorSource({
      mode: 'historique',
      option: 'ejp',
      seed: 5,
      speed: 20,
      onFrame: (f) => sent.push(f),
    }).subscribe((c) => bridge.input.write(c))
    const source = serialSource({
      path: bridge.path,
      binding: autoDetect() as unknown as SerialBinding,
      detectWindowMs: 1500,
    })
    const frames: DecodedFrame[] = []
    const decoder = createTicDecoder({ reading: true })
    const sub = source.subscribe((chunk) => {
      for (const e of decoder.push(chunk)) if (e.kind === 'frame') frames.push(e.frame)
    })
    try {
      expect(
        await firstValueFrom(source.state$.pipe(filter((s) => s.status === 'locked'))),
      ).toMatchObject({ mode: 'historique' })
      while (frames.length < 3) await new Promise((r) => setTimeout(r, 20))
      for (const f of frames) {
        expect(f.rejected).toEqual([])
        expect(
          sent.some((s) =>
            matches({ ...f.reading!, alerts: [...f.reading!.alerts].sort() }, s.expected),
          ),
        ).toBe(true)
      }
    } finally {
      sub.unsubscribe()
      feed.unsubscribe()
      await bridge.close()
    }
  })
})
