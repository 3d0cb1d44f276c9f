import { join, resolve } from 'node:path'
import { z } from 'zod'
import { openSqliteStore, sqliteSink } from '@linkyrpi/sink-sqlite'
import { sharedStore } from '@linkyrpi/store'
import type { SinkDefinition } from '../stage-definition.js'
import { DATA_DIR, EVENT_JOURNAL } from '../tokens.js'
import { defined } from './defined.js'
import { storeJournal } from './store-journal.js'
import { storeSinkOptions } from './store-options.js'

/** Options of the `sqlite` sink. */
export const sqliteStageOptions = z.strictObject({
  /** Database file (default `<dataDir>/linkyrpi.db`). */
  path: z.string().min(1).optional(),
  ...storeSinkOptions,
})

/**
 * `sqlite`: the embedded store (`@linkyrpi/sink-sqlite`). One engine serves both the sink and the
 * history it offers the node's dashboard: opened (and migrated) by whichever needs it first,
 * closed when the stage is disposed.
 */
export const sqliteStage: SinkDefinition<z.output<typeof sqliteStageOptions>> = {
  role: 'sink',
  summary: 'embedded SQLite store (history for the dashboard)',
  options: sqliteStageOptions,
  providesHistory: true,
  create: (options, ctx, di) => {
    const path = resolve(options.path ?? join(di.resolve(DATA_DIR), 'linkyrpi.db'))
    const store = sharedStore(() =>
      openSqliteStore(path, {
        restartEvents: true,
        ...(options.gapMs === undefined ? {} : { gapMs: options.gapMs }),
      }),
    )
    // The automation journal writes through the same engine (opened and migrated by whoever comes first).
    if (!di.isRegistered(EVENT_JOURNAL))
      di.register(EVENT_JOURNAL, {
        useValue: storeJournal(async () => (await store.lease()).engine),
      })
    return {
      stage: sqliteSink(defined({ ...options, path, store }), ctx),
      history: store.history,
      dispose: () => store.close(),
    }
  },
}
