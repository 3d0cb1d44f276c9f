import { describe, expect, it } from 'vitest'
import { OutagePolicy } from './outage-policy.js'

describe('OutagePolicy', () => {
  it('waits retryMs after each failure before the next attempt', () => {
    let now = 1000
    const outage = new OutagePolicy(5000, () => now, false)
    expect(outage.attemptDue).toBe(true)
    expect(outage.enter()).toBe(true)
    expect(outage.enter()).toBe(false)
    expect([outage.active, outage.attemptDue, outage.waitMs(10)]).toEqual([true, false, 5000])
    now = 5999
    expect(outage.waitMs(10)).toBe(10)
    now = 6000
    expect(outage.attemptDue).toBe(true)
    outage.end()
    expect(outage.active).toBe(false)
  })
})
