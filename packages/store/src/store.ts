import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import type { Engine } from './engine.js'
import { createHistoryStore } from './history-store.js'
import { createIngest } from './ingest.js'
import type { Ingest, IngestOptions } from './ingest.js'
import { migrateToLatest } from './migrate.js'
import { applyRetention } from './retention.js'
import type { RetentionResult } from './retention.js'

/** Options of {@link createStore}. */
export interface StoreOptions extends IngestOptions {
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean
}

/** An open store: the engine, its writer and its query API, all over one connection (pool). */
export interface Store {
  readonly engine: Engine
  readonly ingest: Ingest
  readonly history: HistoryStore
  /** Migration names applied when opening. */
  readonly migrated: readonly string[]
  /** Deletes full-resolution rows older than `retentionDays` before `now`. */
  applyRetention(now: number, retentionDays?: number): Promise<RetentionResult>
  /** Bytes on disk (tables, indexes, WAL). */
  sizeBytes(): Promise<number>
  /** Closes the engine; idempotent. */
  close(): Promise<void>
}

/**
 * A store over an open engine (from `openSqlite` of `@linkyrpi/sink-sqlite` or `openPostgres` of
 * `@linkyrpi/sink-postgres`): migrates it (unless `migrate: false`) and builds the writer and the
 * query API on it. The store owns the engine: closing the store closes it, and so does a failed
 * migration.
 */
export async function createStore(engine: Engine, options: StoreOptions = {}): Promise<Store> {
  let migrated: readonly string[] = []
  try {
    if (options.migrate !== false)
      migrated = (await migrateToLatest(engine.db, { schema: engine.schema })).applied
  } catch (error) {
    await engine.close()
    throw error
  }
  return {
    engine,
    ingest: createIngest(engine, options),
    history: createHistoryStore(engine),
    migrated,
    applyRetention: (now, days) => applyRetention(engine, now, days),
    sizeBytes: () => engine.sizeBytes(),
    close: () => engine.close(),
  }
}

/**
 * One store shared by a sink and the readers of what it stores (the dashboard's history): a
 * single engine, opened (connected and migrated) by whichever comes first, so a query never
 * meets a file without tables and nothing depends on who starts first.
 */
export interface SharedStore {
  /**
   * The store, opened on the first call; later calls get the same one. A failed open is not
   * kept: the next call tries again (the sink retries opening during an outage). The store it
   * gives has a `close()` that does nothing: the owner closes with {@link SharedStore.close}.
   */
  lease(): Promise<Store>
  /** The query API over the shared store; a query opens the store when nobody did yet. */
  readonly history: HistoryStore
  /** Closes the engine when it was opened; a later {@link SharedStore.lease} opens it again. */
  close(): Promise<void>
}

/** Shares the store `open` gives between a sink and its readers (see {@link SharedStore}). */
export function sharedStore(open: () => Promise<Store>): SharedStore {
  let opening: Promise<Store> | undefined
  const get = (): Promise<Store> => {
    if (opening === undefined) {
      const attempt = open()
      opening = attempt
      attempt.catch(() => {
        if (opening === attempt) opening = undefined
      })
    }
    return opening
  }
  const lease = async (): Promise<Store> => ({ ...(await get()), close: () => Promise.resolve() })
  const history: HistoryStore = {
    meters: async () => (await get()).history.meters(),
    latest: async (meter) => (await get()).history.latest(meter),
    samples: async (meter, from, to, resolution) =>
      (await get()).history.samples(meter, from, to, resolution),
    energy: async (meter, from, to, bucket) =>
      (await get()).history.energy(meter, from, to, bucket),
    events: async (meter, from, to, limit) => (await get()).history.events(meter, from, to, limit),
  }
  return {
    lease,
    history,
    async close() {
      const current = opening
      opening = undefined
      if (current === undefined) return
      let store: Store
      try {
        store = await current
      } catch {
        return // it never opened: nothing to close
      }
      await store.close()
    },
  }
}
