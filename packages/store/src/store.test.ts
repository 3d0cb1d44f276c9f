import { describe, expect, it } from 'vitest'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import type { Store } from './store.js'
import { sharedStore } from './store.js'

/** A store whose engine only counts closes; history.meters() answers a fixed list. */
function fakeStore(closes: { n: number }): Store {
  const history = { meters: () => Promise.resolve([{ id: 'm1' }]) } as unknown as HistoryStore
  return { history, close: () => Promise.resolve(void closes.n++) } as unknown as Store
}

describe('sharedStore', () => {
  it('opens once for the sink and the history, and closes once, by its owner only', async () => {
    const closes = { n: 0 }
    let opens = 0
    const shared = sharedStore(() => Promise.resolve((opens++, fakeStore(closes))))
    const [a, meters] = await Promise.all([shared.lease(), shared.history.meters()])
    const b = await shared.lease()
    expect(opens).toBe(1)
    expect(meters).toEqual([{ id: 'm1' }])
    await a.close()
    await b.close()
    expect(closes.n).toBe(0) // a lease does not close the shared engine
    await shared.close()
    await shared.close()
    expect(closes.n).toBe(1)
  })

  it('tries again after a failed open (an outage at start)', async () => {
    const closes = { n: 0 }
    let opens = 0
    const shared = sharedStore(() =>
      ++opens === 1 ? Promise.reject(new Error('down')) : Promise.resolve(fakeStore(closes)),
    )
    await expect(shared.lease()).rejects.toThrow('down')
    await expect(shared.history.meters()).resolves.toEqual([{ id: 'm1' }])
    expect(opens).toBe(2)
    await shared.close()
    expect(closes.n).toBe(1)
  })
})
