import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { AckLedger } from './ack-ledger.js'
import type { AckMark } from './ack-ledger.js'

// A full garbage collection on demand, whether or not the worker runs with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('AckLedger', () => {
  it('acknowledges in input order, each frame once the frames before it are durable', () => {
    const acked: number[] = []
    const ledger = new AckLedger((seq) => acked.push(seq))
    const [m1, m2, m3] = [ledger.push(1), ledger.push(2), ledger.push(3)]
    ledger.markDurable([m2!, m3!])
    expect(acked).toEqual([])
    ledger.push(4, true)
    ledger.markDurable([m1!])
    expect(acked).toEqual([1, 2, 3, 4])
    expect(ledger.settled).toBe(true)
  })

  it('drops acknowledged marks in bulk, keeping the order of the rest', () => {
    const acked: number[] = []
    const ledger = new AckLedger((seq) => acked.push(seq))
    for (let seq = 1; seq <= 5000; seq++) ledger.push(seq, true)
    const late = ledger.push(5001)
    expect(ledger.size).toBeLessThan(5001)
    expect(ledger.pending).toBe(1)
    ledger.markDurable([late])
    expect(acked).toHaveLength(5001)
    expect(acked.at(-1)).toBe(5001)
  })

  it('holds no mark once every frame is acknowledged (after each commit at a meter pace)', async () => {
    const acked: number[] = []
    const ledger = new AckLedger((seq) => acked.push(seq))
    const refs = commitBatches(ledger, 10, 400)
    expect(acked).toHaveLength(4000)
    expect(ledger.size).toBe(0)
    // A WeakRef keeps its target alive until the end of the job that created it.
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0)
  })
})

/**
 * Records `commits` batches of `size` frames, each made durable at once (a commit), like ten
 * 10-minute commits of 400 frames at a meter's pace: fewer frames than the bulk compaction waits
 * for. Returns a WeakRef to every mark (here, in a frame of its own, nothing else keeps them).
 */
function commitBatches(ledger: AckLedger, commits: number, size: number): WeakRef<AckMark>[] {
  const refs: WeakRef<AckMark>[] = []
  for (let commit = 0; commit < commits; commit++) {
    const batch: AckMark[] = []
    for (let i = 0; i < size; i++) batch.push(ledger.push(commit * size + i + 1))
    for (const m of batch) refs.push(new WeakRef(m))
    ledger.markDurable(batch)
    expect(ledger.settled).toBe(true)
  }
  return refs
}
