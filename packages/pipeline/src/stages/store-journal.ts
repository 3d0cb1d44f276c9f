import type { EventJournal } from '@linkyrpi/automation'
import type { Engine } from '@linkyrpi/store'

/**
 * An {@link EventJournal} over a store engine: inserts into `events`, leaving rows already there
 * (same meter, t, kind). Rejects until the store sink has created its tables (the caller retries).
 */
export function storeJournal(engine: () => Promise<Engine>): EventJournal {
  return {
    async append(events) {
      const e = await engine()
      const rows = events.map((x) => ({
        meter: x.meter,
        t: x.t,
        kind: x.kind,
        detail: JSON.stringify(x.detail),
      }))
      await e.transaction((tx) =>
        tx.insert('events', rows, 'on conflict (meter, t, kind) do nothing'),
      )
    },
  }
}
