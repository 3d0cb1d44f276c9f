import type { HistoryStore } from '@linkyrpi/tic-core/stage'

/**
 * A {@link HistoryStore} that forwards each query to the one `current()` returns. The runner
 * registers it before creating any sink, so a dashboard created before the store that offers the
 * history still gets it; every stage is created before any is subscribed, so a query always finds
 * the store. Throws when no stage offered a history (a configuration the runner does not build).
 */
export function deferredHistory(current: () => HistoryStore | undefined): HistoryStore {
  const get = (): HistoryStore => {
    const history = current()
    if (history === undefined) throw new Error('no stage of this node offered a history')
    return history
  }
  return {
    meters: () => get().meters(),
    latest: (meter) => get().latest(meter),
    samples: (meter, from, to, resolution) => get().samples(meter, from, to, resolution),
    energy: (meter, from, to, bucket) => get().energy(meter, from, to, bucket),
    events: (meter, from, to, limit) => get().events(meter, from, to, limit),
  }
}
