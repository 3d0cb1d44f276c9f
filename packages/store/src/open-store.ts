import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import { openPostgres, openSqlite } from './dialect.js'
import type { Engine } from './dialect.js'
import { StoreTargetError } from './errors.js'
import { createHistoryStore } from './history-store.js'
import { createIngest } from './ingest.js'
import type { Ingest, IngestOptions } from './ingest.js'
import { migrateToLatest } from './migrate.js'
import { applyRetention } from './retention.js'
import type { RetentionResult } from './retention.js'

/** Where a store lives: a PostgreSQL database (and schema) or a SQLite file. */
export type StoreTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string }
  | { readonly kind: 'sqlite'; readonly path: string }

/**
 * Parses a command-line target: a `postgres://` or `postgresql://` URL (an optional `?schema=name`
 * parameter picks the schema), or else a SQLite file path.
 */
export function parseStoreTarget(target: string): StoreTarget {
  if (target.length === 0) throw new StoreTargetError('store target is empty: give a SQLite file path or a postgres:// URL')
  if (/^postgres(ql)?:\/\//i.test(target)) {
    let url: URL
    try {
      url = new URL(target)
    } catch (error) {
      throw new StoreTargetError(`invalid PostgreSQL URL '${target}'`, { cause: error })
    }
    const schema = url.searchParams.get('schema') ?? undefined
    url.searchParams.delete('schema')
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
      throw new StoreTargetError(`invalid schema name '${schema}' (lower-case letters, digits, _)`)
    }
    return schema === undefined ? { kind: 'postgres', url: url.toString() } : { kind: 'postgres', url: url.toString(), schema }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) throw new StoreTargetError(`unsupported store URL '${target}': use postgres:// or a file path`)
  return { kind: 'sqlite', path: target }
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions extends IngestOptions {
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean
  /** Errors of idle PostgreSQL connections (server restarts), which must not crash the process. */
  readonly onIdleError?: (error: Error) => void
}

/** An open store: the engine, its writer and its query API. */
export interface Store {
  readonly target: StoreTarget
  readonly engine: Engine
  readonly ingest: Ingest
  readonly history: HistoryStore
  /** Migration names applied when opening. */
  readonly migrated: readonly string[]
  /** Deletes full-resolution rows older than `retentionDays` before `now`. */
  applyRetention(now: number, retentionDays?: number): Promise<RetentionResult>
  /** Bytes on disk (tables, indexes, WAL). */
  sizeBytes(): Promise<number>
  close(): Promise<void>
}

/** Opens an engine for a target, without migrating. */
export async function openEngine(target: StoreTarget, options: Pick<OpenStoreOptions, 'onIdleError'> = {}): Promise<Engine> {
  return target.kind === 'postgres'
    ? openPostgres({ url: target.url, schema: target.schema, onIdleError: options.onIdleError })
    : openSqlite({ path: target.path })
}

/** Opens a store (a string target is parsed by {@link parseStoreTarget}) and migrates it. */
export async function openStore(target: string | StoreTarget, options: OpenStoreOptions = {}): Promise<Store> {
  const t = typeof target === 'string' ? parseStoreTarget(target) : target
  const engine = await openEngine(t, options)
  let migrated: readonly string[] = []
  try {
    if (options.migrate !== false) migrated = (await migrateToLatest(engine.db, { schema: engine.schema })).applied
  } catch (error) {
    await engine.close()
    throw error
  }
  return {
    target: t,
    engine,
    ingest: createIngest(engine, options),
    history: createHistoryStore(engine),
    migrated,
    applyRetention: (now, days) => applyRetention(engine, now, days),
    sizeBytes: () => engine.sizeBytes(),
    close: () => engine.close(),
  }
}
