import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import { batchRetryDelayMs, retryBatch } from './batch-retry.js'
import { StoreConnectionError, StoreWriteError } from './errors.js'

const scheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected))
const down = new StoreConnectionError('database down')

describe('retryBatch (marbles)', () => {
  it('retries a transient failure after 250, then 500 ms, and lets the last error through', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const write = cold('#', undefined, down)
      const retries: number[] = []
      expectObservable(
        retryBatch(
          () => write,
          {
            attempts: 3,
            delayMs: 250,
            onRetry: (attempt, _e, delay) => retries.push(attempt, delay),
          },
          s,
        ),
      ).toBe('750ms #', undefined, down)
      expectSubscriptions(write.subscriptions).toBe(['(^!)', '250ms (^!)', '750ms (^!)'])
      s.flush()
      expect(retries).toEqual([1, 250, 2, 500])
    })
  })

  it('succeeds on the attempt that answers, after the backoff', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable }) => {
      let calls = 0
      const fails = cold('#', undefined, down)
      const answers = cold('10ms (r|)', { r: 'stored' })
      expectObservable(
        retryBatch(() => (++calls < 3 ? fails : answers), { attempts: 3, delayMs: 100 }, s),
      ).toBe('310ms (r|)', { r: 'stored' })
    })
  })

  it('does not retry a failure that is not transient: a StoreWriteError at once', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const write = cold('5ms #', undefined, new Error('syntax error'))
      expectObservable(retryBatch(() => write, { attempts: 3, delayMs: 250 }, s)).toBe(
        '5ms #',
        undefined,
        new StoreWriteError('batch write failed'),
      )
      expectSubscriptions(write.subscriptions).toBe('^ 4ms !')
    })
  })

  it('does not retry once the sink is stopping', () => {
    const s = scheduler()
    s.run(({ cold, expectObservable }) => {
      const write = cold('#', undefined, down)
      expectObservable(
        retryBatch(() => write, { attempts: 3, delayMs: 250, stopped: () => true }, s),
      ).toBe('#', undefined, down)
    })
  })

  it('doubles the delay from the first one', () => {
    expect([1, 2, 3, 4].map((a) => batchRetryDelayMs(a, 250))).toEqual([250, 500, 1000, 2000])
  })
})
