import { join, resolve } from 'node:path'
import { z } from 'zod'
import { sqliteSink } from '@linkyrpi/sink-sqlite'
import { createHistoryStore, openEngine } from '@linkyrpi/store'
import type { Engine } from '@linkyrpi/store'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import type { SinkDefinition } from '../stage-definition.js'
import { DATA_DIR } from '../tokens.js'
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
    const open = (): Promise<Engine> => (engine ??= openEngine({ kind: 'sqlite', path }))
    const history: HistoryStore = {
      meters: async () => createHistoryStore(await open()).meters(),
      latest: async (meter) => createHistoryStore(await open()).latest(meter),
      samples: async (meter, from, to, resolution) => createHistoryStore(await open()).samples(meter, from, to, resolution),
      energy: async (meter, from, to, bucket) => createHistoryStore(await open()).energy(meter, from, to, bucket),
      events: async (meter, from, to, limit) => createHistoryStore(await open()).events(meter, from, to, limit),
    }
    return {
      stage: sqliteSink(defined({ ...options, path }), ctx),
      history,
      dispose: async () => {
        if (engine !== undefined) await (await engine).close()
      },
    }
  },
}
