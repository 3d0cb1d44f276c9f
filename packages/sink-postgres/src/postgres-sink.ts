import { storeSink } from '@linkyrpi/store'
import type { SharedStore, StoreSinkOptions } from '@linkyrpi/store'
import type { PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { openPostgresStore } from './open-postgres-store.js'
import { parsePostgresUrl } from './postgres-url.js'

/** Options of {@link postgresSink}. */
export interface PostgresSinkOptions extends StoreSinkOptions {
  /** `postgres://user:password@host:port/database`, optionally with `?schema=name`. */
  readonly url: string
  /** Schema holding the tables (created if missing); default the URL's `schema` parameter, else `public`. */
  readonly schema?: string
  /** A silence longer than this between two frames of a meter is stored as a `gap` event (ms, default 60000). */
  readonly gapMs?: number
  /**
   * The store, shared with its readers: the sink then uses it and leaves closing it to its owner.
   * Without it the sink connects on subscribe and closes on unsubscribe.
   */
  readonly store?: SharedStore
}

/**
 * The PostgreSQL storage sink (pg + Kysely), on the @linkyrpi/store schema: migrates on
 * subscribe, writes batches with `unnest` in one transaction each, acknowledges each frame in
 * order once committed, and spools to disk while PostgreSQL is unreachable (see
 * {@link StoreSinkOptions} and docs/storage.md for the outage policy and the crash-loss bound).
 * Without `spool.dir` the spool goes to `<os tmpdir>/linkyrpi-spool-<stage>`, which a reboot may
 * clear: give it a directory on persistent storage (the app's `postgres` stage uses
 * `<dataDir>/spool/<stage>`). Throws StoreTargetError (a TypeError) at call time on a bad URL or schema.
 */
export function postgresSink(options: PostgresSinkOptions, ctx: StageContext): Sink<PipelineFrame> {
  const { url, schema } = parsePostgresUrl(options.url, options.schema)
  const { store, gapMs } = options
  const open =
    store !== undefined
      ? store.lease
      : () =>
          openPostgresStore(url, {
            ...(schema === undefined ? {} : { schema }),
            ...(gapMs === undefined ? {} : { gapMs }),
            restartEvents: true,
            onIdleError: (error) => ctx.logger.warn('idle PostgreSQL connection lost', { error }),
          })
  return storeSink(open, options, ctx)
}
