import { describe, expect, it } from 'vitest'
import { createMeterSimulator } from './meter-simulator.js'
import { simulatedFrames } from './simulated-frames.js'

describe('simulatedFrames', () => {
  it('yields every frame starting within the duration, the same as next() would', () => {
    const sim = createMeterSimulator({ seed: 4 })
    const start = sim.now
    const frames = [...simulatedFrames(sim, { durationMs: 60_000 })]
    expect(frames.length).toBeGreaterThan(10)
    expect(frames.every((f) => f.at < start + 60_000)).toBe(true)
    expect(sim.now).toBeGreaterThanOrEqual(start + 60_000)
    const again = createMeterSimulator({ seed: 4 })
    expect(frames.map((f) => f.bytes)).toEqual(frames.map(() => again.next().bytes))
  })

  it('stops after a number of frames, whichever limit comes first', () => {
    expect([...simulatedFrames(createMeterSimulator({}), { frames: 3 })]).toHaveLength(3)
    expect([
      ...simulatedFrames(createMeterSimulator({ intervalMs: 1000 }), {
        frames: 50,
        durationMs: 3000,
      }),
    ]).toHaveLength(3)
  })
})
