import { join, resolve } from 'node:path'
import { z } from 'zod'
import { sqliteSink } from '@linkyrpi/sink-sqlite'
import { createHistoryStore, openEngine } from '@linkyrpi/store'
import type { Engine } from '@linkyrpi/store'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import type { SinkDefinition } from '../stage-definition.js'
import { DATA_DIR, EVENT_JOURNAL } from '../tokens.js'
import { storeJournal } from './store-journal.js'
import { defined, storeSinkOptions } from './store-options.js'

/** Options of the `sqlite` sink. */
export const sqliteStageOptions = z.strictObject({
  /** Database file (default `<dataDir>/linkyrpi.db`). */
  path: z.string().min(1).optional(),
  ...storeSinkOptions,
})

/**
 * `sqlite`: the embedded store (`@linkyrpi/sink-sqlite`). Also offers the node a
 * {@link HistoryStore} over the same file (opened on the first query) for the dashboard.
 */
export const sqliteStage: SinkDefinition<z.output<typeof sqliteStageOptions>> = {
  role: 'sink',
  summary: 'embedded SQLite store (history for the dashboard)',
  options: sqliteStageOptions,
  providesHistory: true,
  create: (options, ctx, di) => {
    const path = resolve(options.path ?? join(di.resolve(DATA_DIR), 'linkyrpi.db'))
    let engine: Promise<Engine> | undefined
    let store: HistoryStore | undefined
    const open = async (): Promise<HistoryStore> => (store ??= createHistoryStore(await (engine ??= openEngine({ kind: 'sqlite', path }))))
    // Until the sink has created the tables (it migrates on subscribe) there is no history yet.
    const orEmpty = async <T>(query: (h: HistoryStore) => Promise<T>, empty: T): Promise<T> => {
      try {
        return await query(await open())
      } catch (error) {
        if (error instanceof Error && /no such table/.test(error.message)) return empty
        throw error
      }
    }
    const history: HistoryStore = {
      meters: () => orEmpty((h) => h.meters(), []),
      latest: (meter) => orEmpty((h) => h.latest(meter), null),
      samples: (meter, from, to, resolution) => orEmpty((h) => h.samples(meter, from, to, resolution), []),
      energy: (meter, from, to, bucket) => orEmpty((h) => h.energy(meter, from, to, bucket), []),
      events: (meter, from, to, limit) => orEmpty((h) => h.events(meter, from, to, limit), []),
    }
    if (!di.isRegistered(EVENT_JOURNAL)) di.register(EVENT_JOURNAL, { useValue: storeJournal(() => (engine ??= openEngine({ kind: 'sqlite', path }))) })
    return {
      stage: sqliteSink(defined({ ...options, path }), ctx),
      history,
      dispose: async () => {
        if (engine !== undefined) await (await engine).close()
      },
    }
  },
}
