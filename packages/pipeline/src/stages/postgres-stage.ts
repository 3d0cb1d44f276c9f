import { z } from 'zod'
import { postgresSink } from '@linkyrpi/sink-postgres'
import type { SinkDefinition } from '../stage-definition.js'
import { defined, storeSinkOptions } from './store-options.js'

/** Options of the `postgres` sink. */
export const postgresStageOptions = z.strictObject({
  /** `postgres://user:password@host:port/database` (use `${DATABASE_URL}`). */
  url: z.string().regex(/^postgres(ql)?:\/\//i, 'must be a postgres:// URL'),
  /** Schema holding the tables (created if missing; default `public`). */
  schema: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  ...storeSinkOptions,
})

/** `postgres`: the server store (`@linkyrpi/sink-postgres`); acks once committed (or spooled). */
export const postgresStage: SinkDefinition<z.output<typeof postgresStageOptions>> = {
  role: 'sink',
  summary: 'PostgreSQL store',
  options: postgresStageOptions,
  providesHistory: false,
  create: (options, ctx) => postgresSink(defined({ ...options }), ctx),
}
