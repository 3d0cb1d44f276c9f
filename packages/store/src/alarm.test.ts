import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { Alarm } from './alarm.js'

describe('Alarm (marbles)', () => {
  it('fires once after its delay, is replaced when set again, and does not fire once cleared', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b))
    s.run(() => {
      const fired: number[] = []
      const alarm = new Alarm(s)
      alarm.set(100, () => fired.push(s.now()))
      s.schedule(() => alarm.set(300, () => fired.push(s.now())), 50)
      s.schedule(() => alarm.set(10, () => fired.push(s.now())), 1000)
      s.schedule(() => alarm.clear(), 1005)
      s.flush()
      expect(fired).toEqual([350])
      expect(alarm.armed).toBe(false)
    })
  })
})
