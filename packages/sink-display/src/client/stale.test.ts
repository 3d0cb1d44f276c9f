import { distinctUntilChanged, interval, map } from 'rxjs'
import type { Observable } from 'rxjs'
import { TestScheduler } from 'rxjs/testing'
import { describe, expect, it } from 'vitest'
import type { State } from './state.js'
import { noteFrameInterval, staleness } from './stale.js'

const stateOf = (staleAfterMs = 10_000): State =>
  ({
    config: {
      lang: 'fr',
      staleAfterMs,
      history: false,
      diagnostics: false,
      timeZone: 'Europe/Paris',
    },
    frame: null,
    tariff: null,
    stats: null,
    lastFrameAt: null,
    stale: false,
    intervalsMs: [],
    serverReachable: null,
  }) as unknown as State

/**
 * The page's staleness on TestScheduler's virtual clock: frames (a marble) are noted as the page
 * notes them, and the page looks every 500 ms; the result is the staleness as it changes.
 */
function staleOverTime(
  s: TestScheduler,
  frames: Observable<unknown>,
  state: State,
): Observable<boolean> {
  frames.subscribe(() => {
    noteFrameInterval(state, state.lastFrameAt, s.now())
    state.lastFrameAt = s.now()
  })
  return interval(500).pipe(
    map(() => staleness(state, s.now()).stale),
    distinctUntilChanged(),
  )
}

describe('staleness (marbles, virtual clock)', () => {
  it('a meter sending every 1.5 s: stale once no frame came for twice the median interval plus 3 s', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b))
    s.run(({ hot, expectObservable }) => {
      // Frames at 0, 1.5, 3 and 4.5 s, then silence: the limit is 2 × 1500 + 3000 = 6000 ms, so
      // the page says stale at its first look after 10.5 s.
      const frames = hot('a 1499ms b 1499ms c 1499ms d')
      expectObservable(staleOverTime(s, frames, stateOf()), '^ 12000ms !').toBe(
        '500ms f 10499ms t',
        { f: false, t: true },
      )
    })
  })

  it('before the first frame the data is stale; a frame makes it fresh', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b))
    s.run(({ hot, expectObservable }) => {
      const frames = hot('1200ms a')
      expectObservable(staleOverTime(s, frames, stateOf()), '^ 3000ms !').toBe('500ms t 999ms f', {
        f: false,
        t: true,
      })
    })
  })

  it('a slow meter is capped by staleAfterMs, and one late frame does not move the limit', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b))
    s.run(({ hot, expectObservable }) => {
      // Every 5 s (2 × 5000 + 3000 = 13 s, capped at 8 s): frames at 0, 5, 10, 15 s; stale after 23 s.
      const frames = hot('a 4999ms b 4999ms c 4999ms d')
      expectObservable(staleOverTime(s, frames, stateOf(8000)), '^ 25000ms !').toBe(
        '500ms f 22999ms t',
        { f: false, t: true },
      )
    })
    const state = stateOf()
    for (const [previous, at] of [
      [0, 1500],
      [1500, 3000],
      [3000, 4500],
      [4500, 34_500],
      [34_500, 36_000],
    ] as const)
      noteFrameInterval(state, previous, at)
    state.lastFrameAt = 36_000
    expect(staleness(state, 36_000 + 6000)).toEqual({ stale: false, ageMs: 6000 })
    expect(staleness(state, 36_000 + 6001)).toEqual({ stale: true, ageMs: 6001 })
  })
})
