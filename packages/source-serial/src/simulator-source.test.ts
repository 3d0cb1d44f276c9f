import { createTicDecoder } from '@linkyrpi/tic-core'
import { lastValueFrom, take, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { simulatorSource } from './simulator-source.js'

describe('simulatorSource', () => {
  it('is cold and deterministic: two subscriptions give the same bytes, and they decode', async () => {
    const source = simulatorSource({ mode: 'standard', option: 'tempo', seed: 9, speed: 'max', durationMs: 60_000 })
    const a = Buffer.concat(await lastValueFrom(source.pipe(toArray())))
    const b = Buffer.concat(await lastValueFrom(source.pipe(toArray())))
    expect(a.equals(b)).toBe(true)
    const frames = createTicDecoder().push(a).filter((e) => e.kind === 'frame')
    expect(frames.length).toBeGreaterThan(30)
  })

  it('exposes each frame with its ground truth', async () => {
    const seen: number[] = []
    await lastValueFrom(simulatorSource({ speed: 'max', durationMs: 20_000, onFrame: (f) => seen.push(f.expected.energy.importWh) }).pipe(toArray()))
    expect(seen.length).toBeGreaterThan(5)
    expect([...seen].sort((x, y) => x - y)).toEqual(seen)
  })

  it('at a finite speed emits frames in slices, like a serial port', async () => {
    const chunks = await lastValueFrom(simulatorSource({ mode: 'standard', speed: 50, durationMs: 3000 }).pipe(toArray()))
    expect(chunks.length).toBeGreaterThan(5)
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(200)
  })

  it('stops when unsubscribed and validates options up front', async () => {
    const first = await lastValueFrom(simulatorSource({ speed: 1 }).pipe(take(2), toArray()))
    expect(first).toHaveLength(2)
    expect(() => simulatorSource({ meter: 'cbemm', mode: 'standard' })).toThrow(/standard/)
  })
})
