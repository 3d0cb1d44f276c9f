import { openStore, storeSink } from '@linkyrpi/store'
import type { StoreSinkOptions } from '@linkyrpi/store'
import type { PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'

/** Options of {@link postgresSink}. */
export interface PostgresSinkOptions extends StoreSinkOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string
  /** Schema holding the tables (created if missing; default `public`). */
  readonly schema?: string
  /** A silence longer than this between two frames of a meter is stored as a `gap` event (ms, default 60000). */
  readonly gapMs?: number
}

/**
 * The PostgreSQL storage sink (pg + Kysely), on the @linkyrpi/store schema: migrates on
 * subscribe, writes batches with `unnest` in one transaction each, acknowledges each frame in
 * order once committed, and spools to disk while PostgreSQL is unreachable (see
 * {@link StoreSinkOptions} and docs/storage.md for the outage policy and the crash-loss bound).
 * Without `spool.dir` the spool goes to `<os tmpdir>/linkyrpi-spool-<stage>`, which a reboot may
 * clear: give it a directory on persistent storage (the app's `postgres` stage uses
 * `<dataDir>/spool/<stage>`).
 */
export function postgresSink(options: PostgresSinkOptions, ctx: StageContext): Sink<PipelineFrame> {
  if (!/^postgres(ql)?:\/\//i.test(options.url)) throw new TypeError(`'url' must be a postgres:// URL, got '${options.url}'`)
  const target = options.schema === undefined ? { kind: 'postgres' as const, url: options.url } : { kind: 'postgres' as const, url: options.url, schema: options.schema }
  return storeSink(
    () =>
      openStore(target, {
        gapMs: options.gapMs,
        restartEvents: true,
        onIdleError: (error) => ctx.logger.warn('idle PostgreSQL connection lost', { error }),
      }),
    options,
    ctx,
  )
}
