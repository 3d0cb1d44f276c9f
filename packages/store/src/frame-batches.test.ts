import { describe, expect, it } from 'vitest'
import { FrameBatches } from './frame-batches.js'

describe('FrameBatches', () => {
  it('queues frames for the database until full, then stages them; once anything is staged, every frame is', () => {
    const m = new FrameBatches<number>(2, 3)
    for (const n of [1, 2, 3, 4]) m.admit(n, false)
    expect([m.queued, m.staged]).toEqual([3, 1])
    expect(m.peekQueued()).toEqual([1, 2])
    m.dropQueued(2)
    m.admit(5, false)
    expect([m.queued, m.staged, m.stagingFull]).toEqual([1, 2, true])
    expect(m.takeStagedBatch()).toEqual([4, 5])
    m.admit(6, true)
    expect(m.takeQueue()).toEqual([3])
    expect(m.takeStaging()).toEqual([6])
    expect(m.empty).toBe(true)
  })
})
