import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createTicDecoder } from '@linkyrpi/tic-core'
import { buildFrame, concat } from '@linkyrpi/tic-core/testing'
import type { TimedChunk } from '@linkyrpi/tic-core/stage'
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeRecord, encodeRecordingHeader } from './capture-format.js'
import { CaptureFileError } from './errors.js'
import { replaySource } from './replay-source.js'

let dir: string
const frame = (n: number): Uint8Array =>
  buildFrame('historique', [
    ['ADCO', '021861000001'],
    ['BASE', String(n).padStart(9, '0')],
    ['PAPP', '00450'],
  ])

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linky-replay-'))
  const frames = [frame(1), frame(2), frame(3)]
  await writeFile(join(dir, 'raw.tic'), concat(frames))
  const rec = [encodeRecordingHeader({ startedAt: new Date(0).toISOString() })]
  // Two frames 2 s apart, then a third 4 s later, received in two pieces each.
  frames.forEach((f, i) => {
    const t = [0, 2000, 6000][i]!
    rec.push(encodeRecord(t, f.subarray(0, 10)), encodeRecord(t + 50, f.subarray(10)))
  })
  await writeFile(join(dir, 'rec.ticrec'), concat(rec))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const decodeAll = (chunks: readonly Uint8Array[]): string[] => {
  const d = createTicDecoder()
  return chunks
    .flatMap((c) => d.push(c))
    .flatMap((e) =>
      e.kind === 'frame' ? [e.frame.groups.find((g) => g.label === 'BASE')!.value] : [],
    )
}

describe('replaySource', () => {
  it('replays a recording and a raw capture to the same frames, then completes', async () => {
    for (const name of ['raw.tic', 'rec.ticrec']) {
      const chunks = await lastValueFrom(
        replaySource(join(dir, name), { speed: 'max' }).pipe(toArray()),
      )
      expect(decodeAll(chunks)).toEqual(['000000001', '000000002', '000000003'])
    }
  })

  it('stamps each chunk of a recording with its recorded receive time, and a raw capture with none', async () => {
    const rec = (await lastValueFrom(
      replaySource(join(dir, 'rec.ticrec'), { speed: 'max' }).pipe(toArray()),
    )) as TimedChunk[]
    expect(rec.map((c) => c.receivedAt)).toEqual([0, 50, 2000, 2050, 6000, 6050])
    const raw = (await lastValueFrom(
      replaySource(join(dir, 'raw.tic'), { speed: 'max' }).pipe(toArray()),
    )) as TimedChunk[]
    expect(raw.every((c) => c.receivedAt === undefined)).toBe(true)
  })

  it('keeps the recording timing, scaled by the speed', async () => {
    const headers: unknown[] = []
    const times: number[] = []
    const t0 = performance.now()
    await new Promise<void>((resolve, reject) => {
      replaySource(join(dir, 'rec.ticrec'), {
        speed: 20,
        onHeader: (h) => headers.push(h),
      }).subscribe({
        next: () => times.push(performance.now() - t0),
        complete: resolve,
        error: reject,
      })
    })
    expect(headers).toEqual([{ startedAt: new Date(0).toISOString() }])
    expect(times).toHaveLength(6)
    // Records at 0, 50, 2000, 2050, 6000, 6050 ms of recording, at 20x: never earlier than that.
    expect(times[2]).toBeGreaterThanOrEqual(2000 / 20 - 1)
    expect(times[4]).toBeGreaterThanOrEqual(6000 / 20 - 1)
  })

  it('paces a raw capture at the character rate of its mode', async () => {
    const t0 = performance.now()
    const chunks = await lastValueFrom(
      replaySource(join(dir, 'raw.tic'), { speed: 10 }).pipe(toArray()),
    )
    const bytes = chunks.reduce((n, c) => n + c.length, 0)
    // historique: 120 chars/s, so the whole file lasts bytes/120 s at 1x, a tenth of it at 10x.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(((bytes - 12) / 120 / 10) * 1000 - 20)
    expect(chunks.every((c) => c.length <= 12)).toBe(true)
  })

  it('reports a last record cut short and still replays the rest', async () => {
    const whole = await readFile(join(dir, 'rec.ticrec'))
    await writeFile(join(dir, 'cut.ticrec'), whole.subarray(0, whole.length - 5))
    const ends: number[] = []
    const chunks = await lastValueFrom(
      replaySource(join(dir, 'cut.ticrec'), {
        speed: 'max',
        onEnd: (e) => ends.push(e.truncatedBytes),
      }).pipe(toArray()),
    )
    expect(ends).toHaveLength(1)
    expect(ends[0]).toBeGreaterThan(0)
    expect(decodeAll(chunks)).toEqual(['000000001', '000000002'])
  })

  it('stops reading when unsubscribed', async () => {
    const first = await firstValueFrom(
      replaySource(join(dir, 'raw.tic'), { speed: 1 }).pipe(take(1)),
    )
    expect(first.length).toBeGreaterThan(0)
  })

  it('errors with CaptureFileError naming a missing file', async () => {
    await expect(lastValueFrom(replaySource(join(dir, 'missing.tic')))).rejects.toThrow(
      CaptureFileError,
    )
    await expect(lastValueFrom(replaySource(join(dir, 'missing.tic')))).rejects.toThrow(/ENOENT/)
    expect(() => replaySource('x', { speed: 0 })).toThrow(/speed/)
  })
})
