import { describe, expect, it } from 'vitest'
import { stampChunk } from './timed-chunk.js'
import type { TimedChunk } from './timed-chunk.js'

describe('stampChunk', () => {
  it('adds receivedAt to the same array, bytes untouched', () => {
    const bytes = new Uint8Array([2, 65, 3])
    const stamped = stampChunk(bytes, 1_772_323_200_000)
    expect(stamped).toBe(bytes)
    expect(stamped.receivedAt).toBe(1_772_323_200_000)
    expect([...stamped]).toEqual([2, 65, 3])
  })

  it('leaves other views of the same buffer unstamped', () => {
    const bytes = new Uint8Array([2, 65, 66, 3])
    const head = stampChunk(bytes.subarray(0, 2), 5)
    const tail: TimedChunk = bytes.subarray(2)
    expect(head.receivedAt).toBe(5)
    expect(tail.receivedAt).toBeUndefined()
    expect((bytes as TimedChunk).receivedAt).toBeUndefined()
  })
})
