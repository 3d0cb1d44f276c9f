import type { SimulatedFrame } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { TimedChunk } from '@linkyrpi/tic-core/stage'
import { lastValueFrom, take, tap, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { simulatorSource } from './simulator-source.js'

describe('simulatorSource', () => {
  it('is cold and deterministic: two subscriptions give the same bytes, and they decode', async () => {
    const source = simulatorSource({
      mode: 'standard',
      option: 'tempo',
      seed: 9,
      speed: 'max',
      durationMs: 60_000,
    })
    const a = Buffer.concat(await lastValueFrom(source.pipe(toArray())))
    const b = Buffer.concat(await lastValueFrom(source.pipe(toArray())))
    expect(a.equals(b)).toBe(true)
    const frames = createTicDecoder()
      .push(a)
      .filter((e) => e.kind === 'frame')
    expect(frames.length).toBeGreaterThan(30)
  })

  it('exposes each frame with its ground truth', async () => {
    const seen: number[] = []
    await lastValueFrom(
      simulatorSource({
        speed: 'max',
        durationMs: 20_000,
        onFrame: (f) => seen.push(f.expected.energy.importWh),
      }).pipe(toArray()),
    )
    expect(seen.length).toBeGreaterThan(5)
    expect([...seen].sort((x, y) => x - y)).toEqual(seen)
  })

  it('at a finite speed emits frames in slices, like a serial port', async () => {
    const chunks = await lastValueFrom(
      simulatorSource({ mode: 'standard', speed: 50, durationMs: 3000 }).pipe(toArray()),
    )
    expect(chunks.length).toBeGreaterThan(5)
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(200)
  })

  it('stops when unsubscribed and validates options up front', async () => {
    const first = await lastValueFrom(simulatorSource({ speed: 1 }).pipe(take(2), toArray()))
    expect(first).toHaveLength(2)
    expect(() => simulatorSource({ meter: 'cbemm', mode: 'standard' })).toThrow(/standard/)
  })

  it('stamps every chunk with the simulated instant its last byte arrives, and a frame’s last chunk with its end', async () => {
    const events: ({ frame: SimulatedFrame } | { chunk: TimedChunk })[] = []
    const source = simulatorSource({
      mode: 'standard',
      option: 'tempo',
      seed: 2,
      speed: 50,
      durationMs: 4000,
      onFrame: (frame) => events.push({ frame }),
    })
    await lastValueFrom(source.pipe(tap((chunk) => events.push({ chunk }))))
    const frames: { frame: SimulatedFrame; chunks: TimedChunk[] }[] = []
    for (const e of events) {
      if ('frame' in e) frames.push({ frame: e.frame, chunks: [] })
      else frames.at(-1)?.chunks.push(e.chunk)
    }
    expect(frames.length).toBeGreaterThan(2)
    for (const { frame: f, chunks } of frames) {
      expect(chunks.length).toBeGreaterThan(1)
      expect(Buffer.concat(chunks).equals(f.bytes)).toBe(true)
      const lineMs = f.durationMs - 25
      let done = 0
      for (const c of chunks) {
        done += c.length
        expect(c.receivedAt).toBe(f.at + (done / f.bytes.length) * lineMs)
      }
      expect(chunks.at(-1)?.receivedAt).toBe(f.at + f.durationMs - 25)
    }
  })

  it("at 'max' emits each frame whole, stamped with its end, the same stamp as at a finite speed", async () => {
    const options = {
      mode: 'historique',
      option: 'hc',
      seed: 6,
      start: Date.UTC(2026, 5, 1),
      durationMs: 8000,
    } as const
    const seen: SimulatedFrame[] = []
    const max = await lastValueFrom(
      simulatorSource({ ...options, speed: 'max', onFrame: (f) => seen.push(f) }).pipe(toArray()),
    )
    expect(max.map((c) => c.receivedAt)).toEqual(seen.map((f) => f.at + f.durationMs - 25))
    expect(max.map((c) => Buffer.from(c).toString('latin1'))).toEqual(
      seen.map((f) => Buffer.from(f.bytes).toString('latin1')),
    )
    const paced = await lastValueFrom(simulatorSource({ ...options, speed: 100 }).pipe(toArray()))
    expect(paced.length).toBeGreaterThan(max.length)
    expect(Buffer.concat(paced).equals(Buffer.concat(max))).toBe(true)
    const ends = new Set(max.map((c) => c.receivedAt))
    expect(paced.filter((c) => ends.has(c.receivedAt)).map((c) => c.receivedAt)).toEqual(
      max.map((c) => c.receivedAt),
    )
  })

  it('completes after `frames` frames, or after `durationMs` when that comes first', async () => {
    let built = 0
    const four = await lastValueFrom(
      simulatorSource({ speed: 'max', frames: 4, onFrame: () => built++ }).pipe(toArray()),
    )
    expect(built).toBe(4)
    expect(
      createTicDecoder()
        .push(Buffer.concat(four))
        .filter((e) => e.kind === 'frame'),
    ).toHaveLength(4)
    const paced = await lastValueFrom(
      simulatorSource({ mode: 'standard', speed: 100, frames: 2 }).pipe(toArray()),
    )
    expect(
      createTicDecoder()
        .push(Buffer.concat(paced))
        .filter((e) => e.kind === 'frame'),
    ).toHaveLength(2)
    built = 0
    await lastValueFrom(
      simulatorSource({
        speed: 'max',
        intervalMs: 1000,
        frames: 50,
        durationMs: 3000,
        onFrame: () => built++,
      }).pipe(toArray()),
    )
    expect(built).toBe(3)
    for (const frames of [0, -1, 1.5])
      expect(() => simulatorSource({ frames })).toThrow(/"frames" must be a positive integer/)
  })
})
