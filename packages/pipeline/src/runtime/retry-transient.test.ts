import { defer, take } from 'rxjs'
import type { Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { isTransient, retryTransient } from './retry-transient.js'

const scheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
const vanished = Object.assign(new Error('device vanished'), { transient: true })
const bug = new Error('a bug')
/** Backoff 100 ms × 2 up to 300 ms, jitter pinned to its lower bound (half the delay). */
const pinned = { initialMs: 100, factor: 2, maxMs: 300, random: () => 0 }

describe('retryTransient (marbles)', () => {
  it('resubscribes after each transient error with growing delays, then passes values on', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable }) => {
      let subscriptions = 0
      const failing = cold<string>('#', undefined, vanished)
      const answers = cold('(a|)')
      const retries: number[][] = []
      const source: Observable<string> = defer(() => (++subscriptions <= 3 ? failing : answers))
      expectObservable(
        source.pipe(
          retryTransient({
            ...pinned,
            scheduler: s,
            onRetry: (attempt, delayMs) => retries.push([attempt, delayMs]),
          }),
        ),
      ).toBe('300ms (a|)')
      s.flush()
      // 50 + 100 + 150 (capped at 300 ms, halved by the pinned jitter) = 300 ms.
      expect(retries).toEqual([
        [1, 50],
        [2, 100],
        [3, 150],
      ])
    })
  })

  it('starts the backoff over after a value (a device that comes back)', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const flaky = cold('a#', undefined, vanished)
      expectObservable(flaky.pipe(retryTransient({ ...pinned, scheduler: s }), take(3))).toBe(
        'a 50ms a 50ms (a|)',
      )
      expectSubscriptions(flaky.subscriptions).toBe(['^!', '51ms ^!', '102ms (^!)'])
    })
  })

  it('lets any other error through at once, without retrying', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const broken = cold('a#', undefined, bug)
      let retried = false
      expectObservable(
        broken.pipe(retryTransient({ ...pinned, scheduler: s, onRetry: () => (retried = true) })),
      ).toBe('a#', undefined, bug)
      expectSubscriptions(broken.subscriptions).toBe('^!')
      s.flush()
      expect(retried).toBe(false)
    })
  })

  it('tells transient errors by their flag only', () => {
    expect(isTransient(vanished)).toBe(true)
    expect(isTransient(bug)).toBe(false)
    expect(isTransient({ transient: 'yes' })).toBe(false)
    expect(isTransient(null)).toBe(false)
  })
})
