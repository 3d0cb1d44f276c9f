// Also the light subpath `@linkyrpi/pipeline/store-target`: it loads neither RxJS, NATS nor the
// stages, and imports an engine (better-sqlite3 or pg) only when a target of its kind is opened,
// so that `linkyrpi report` starts fast.
import { parsePostgresUrl, isPostgresUrl } from '@linkyrpi/sink-postgres/url'
import { createHistoryStore, storeIsCurrent, StoreTargetError } from '@linkyrpi/store/reader'
import type { Engine, Store, StoreOptions } from '@linkyrpi/store/core'
import type { ReadEngine } from '@linkyrpi/store/reader'
import type { HistoryStore } from '@linkyrpi/tic-core/stage'

/** Where a store lives: a PostgreSQL database (and schema) or a SQLite file. */
export type StoreTarget =
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string }
  | { readonly kind: 'sqlite'; readonly path: string }

/**
 * Parses a command-line target: a `postgres://` or `postgresql://` URL (an optional `?schema=name`
 * parameter picks the schema), or else a SQLite file path. Throws StoreTargetError.
 */
export function parseStoreTarget(target: string): StoreTarget {
  if (target.length === 0)
    throw new StoreTargetError(
      'store target is empty: give a SQLite file path or a postgres:// URL',
    )
  if (isPostgresUrl(target)) {
    const { url, schema } = parsePostgresUrl(target)
    return schema === undefined ? { kind: 'postgres', url } : { kind: 'postgres', url, schema }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target))
    throw new StoreTargetError(`unsupported store URL '${target}': use postgres:// or a file path`)
  return { kind: 'sqlite', path: target }
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions extends StoreOptions {
  /** Errors of idle PostgreSQL connections (server restarts), which must not crash the process. */
  readonly onIdleError?: (error: Error) => void
}

/** Opens the engine of a target (SQLite or PostgreSQL), without migrating (`linkyrpi db migrate`). */
export async function openEngine(
  target: StoreTarget,
  options: Pick<OpenStoreOptions, 'onIdleError'> = {},
): Promise<Engine> {
  if (target.kind === 'sqlite')
    return (await import('@linkyrpi/sink-sqlite/engine')).openSqlite({ path: target.path })
  const { openPostgres } = await import('@linkyrpi/sink-postgres/engine')
  return openPostgres({
    url: target.url,
    ...(target.schema === undefined ? {} : { schema: target.schema }),
    ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }),
  })
}

/**
 * Opens and migrates the store of a target, choosing the engine: the one place that knows both
 * (the CLI's `replay --store`, tests, benchmarks). A string is parsed by {@link parseStoreTarget}.
 */
export async function openStore(
  target: string | StoreTarget,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const t = typeof target === 'string' ? parseStoreTarget(target) : target
  if (t.kind === 'sqlite')
    return (await import('@linkyrpi/sink-sqlite/engine')).openSqliteStore(t.path, options)
  const { openPostgresStore } = await import('@linkyrpi/sink-postgres/engine')
  return openPostgresStore(t.url, {
    ...options,
    ...(t.schema === undefined ? {} : { schema: t.schema }),
  })
}

/** A store opened for reading by {@link openStoreReader}. */
export interface StoreReader {
  /** The light reader, or the full store's engine when it had to be opened. */
  readonly engine: ReadEngine
  readonly history: HistoryStore
  /** True when the full store was opened (it was migrated or `prepare` ran). */
  readonly full: boolean
  /** Closes the connection; idempotent. */
  close(): Promise<void>
}

/** Options of {@link openStoreReader}. */
export interface OpenStoreReaderOptions extends Pick<OpenStoreOptions, 'onIdleError'> {
  /** Whether the store, up to date, needs nothing written before reading (default: nothing). */
  readonly isReady?: (engine: ReadEngine) => Promise<boolean>
  /** Writes what `isReady` found missing, on the full store. */
  readonly prepare?: (store: Store) => Promise<void>
}

/**
 * Opens a target for reading, over the engine's light reader (`@linkyrpi/sink-sqlite/reader`,
 * `@linkyrpi/sink-postgres/reader`: no Kysely, about 0.26 s of CPU less for `linkyrpi report`)
 * when the store has every migration and `isReady` holds. Otherwise it opens the full store as
 * {@link openStore} does (migrating it), runs `prepare` and reads through it. The SQLite file
 * must exist.
 */
export async function openStoreReader(
  target: string | StoreTarget,
  options: OpenStoreReaderOptions = {},
): Promise<StoreReader> {
  const t = typeof target === 'string' ? parseStoreTarget(target) : target
  const engine =
    t.kind === 'sqlite'
      ? await (await import('@linkyrpi/sink-sqlite/reader')).openSqliteReader({ path: t.path })
      : await (
          await import('@linkyrpi/sink-postgres/reader')
        ).openPostgresReader({
          url: t.url,
          ...(t.schema === undefined ? {} : { schema: t.schema }),
          ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }),
        })
  let ready: boolean
  try {
    ready = (await storeIsCurrent(engine)) && ((await options.isReady?.(engine)) ?? true)
  } catch (error) {
    await engine.close()
    throw error
  }
  if (ready)
    return { engine, history: createHistoryStore(engine), full: false, close: () => engine.close() }
  await engine.close()
  const store = await openStore(
    t,
    options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError },
  )
  try {
    await options.prepare?.(store)
  } catch (error) {
    await store.close()
    throw error
  }
  return { engine: store.engine, history: store.history, full: true, close: () => store.close() }
}
