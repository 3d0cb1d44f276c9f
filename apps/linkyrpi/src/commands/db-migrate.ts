import { catalogueRows, TRV_CATALOGUE } from '@linkyrpi/analytics'
import { openEngine, parseStoreTarget } from '@linkyrpi/pipeline'
import type { StoreTarget } from '@linkyrpi/pipeline'
import { migrateToLatest, replaceTariffPrices, StoreTargetError } from '@linkyrpi/store'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'

const HELP = `Usage: linkyrpi db migrate --store TARGET

Creates or upgrades the storage schema (tables, keys and views, see docs/storage.md) to the
version this program embeds, and loads the built-in dated tariff prices into the table
'tariff_prices' (read by the 'monthly_cost' view). Safe to run again: it applies only what is missing. The sinks also
migrate at start-up; this command lets you do it ahead of time (or with a more privileged user).

TARGET is a SQLite file path (created if missing), or a PostgreSQL URL
  postgres://user:password@host:5432/database[?schema=name]   (schema default: public)

Exit codes: 0 up to date, 1 database unreachable or migration failed, 2 bad arguments.
`

/** `linkyrpi db migrate --store TARGET`. */
export const dbMigrateCommand: Command = {
  name: 'db migrate',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      allowPositionals: true,
      options: { store: { type: 'string' } },
    })
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`)
    if (values.store === undefined) throw new UsageError('--store TARGET is required')
    let target: StoreTarget
    try {
      target = parseStoreTarget(values.store)
    } catch (error) {
      if (error instanceof StoreTargetError) throw new UsageError(error.message)
      throw error
    }
    const where =
      target.kind === 'sqlite' ? target.path : `PostgreSQL schema ${target.schema ?? 'public'}`
    let engine
    try {
      engine = await openEngine(target)
    } catch (error) {
      io.stderr.write(`linkyrpi db migrate: ${describe(error)}\n`)
      return EXIT.failure
    }
    try {
      const { applied } = await migrateToLatest(engine.db, { schema: engine.schema })
      io.stdout.write(
        applied.length === 0
          ? `${where}: already up to date\n`
          : `${where}: applied ${applied.join(', ')}\n`,
      )
      const prices = await replaceTariffPrices(
        engine.db as never,
        'shipped',
        catalogueRows(TRV_CATALOGUE),
      )
      io.stdout.write(
        `${where}: ${prices} shipped tariff prices loaded (tariff_prices, for the monthly_cost view)\n`,
      )
      return EXIT.ok
    } catch (error) {
      io.stderr.write(`linkyrpi db migrate: ${describe(error)}\n`)
      return EXIT.failure
    } finally {
      await engine.close()
    }
  },
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}
