import { join, resolve } from 'node:path'
import { z } from 'zod'
import { SCHEMA_NAME_PATTERN, parsePostgresUrl, postgresSink } from '@linkyrpi/sink-postgres'
import type { SinkDefinition } from '../stage-definition.js'
import type { Engine } from '@linkyrpi/store'
import { openEngine } from '../store-target.js'
import { DATA_DIR, EVENT_JOURNAL } from '../tokens.js'
import { defined } from './defined.js'
import { storeJournal } from './store-journal.js'
import { storeSinkOptions } from './store-options.js'

/** Options of the `postgres` sink. */
export const postgresStageOptions = z.strictObject({
  /** `postgres://user:password@host:port/database`, optionally `?schema=name` (use `${DATABASE_URL}`). */
  url: z.string().superRefine((url, check) => {
    try {
      parsePostgresUrl(url)
    } catch (error) {
      check.addIssue({
        code: 'custom',
        message: error instanceof Error ? error.message : String(error),
      })
    }
  }),
  /** Schema holding the tables (created if missing; default the URL's `schema` parameter, else `public`). */
  schema: z.string().regex(SCHEMA_NAME_PATTERN).optional(),
  ...storeSinkOptions,
})

/**
 * `postgres`: the server store (`@linkyrpi/sink-postgres`); acks once committed (or spooled). Its
 * outage spool defaults to `<dataDir>/spool/<stage>`, on the same persistent storage as the rest.
 */
export const postgresStage: SinkDefinition<z.output<typeof postgresStageOptions>> = {
  role: 'sink',
  summary: 'PostgreSQL store',
  options: postgresStageOptions,
  providesHistory: false,
  create: (options, ctx, di) => {
    const dir = resolve(options.spool?.dir ?? join(di.resolve(DATA_DIR), 'spool', ctx.stage))
    // The automation journal writes through its own small connection, opened on its first event.
    let engine: Promise<Engine> | undefined
    if (!di.isRegistered(EVENT_JOURNAL))
      di.register(EVENT_JOURNAL, {
        useValue: storeJournal(
          () =>
            (engine ??= openEngine(
              options.schema === undefined
                ? { kind: 'postgres', url: options.url }
                : { kind: 'postgres', url: options.url, schema: options.schema },
              {
                onIdleError: (error) =>
                  ctx.logger.warn('idle PostgreSQL connection lost', { error }),
              },
            )),
        ),
      })
    return {
      stage: postgresSink(defined({ ...options, spool: defined({ ...options.spool, dir }) }), ctx),
      dispose: async () => {
        if (engine !== undefined) await (await engine).close()
      },
    }
  },
}
