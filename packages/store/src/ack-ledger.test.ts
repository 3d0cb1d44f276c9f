import { describe, expect, it } from 'vitest'
import { AckLedger } from './ack-ledger.js'

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
})
