import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  AnalyticsConfigError,
  DEFAULT_SETTINGS,
  TRV_CATALOGUE,
  addLocalDays,
  catalogueRows,
  buildReport,
  loadReportData,
  localDayKey,
  localDayStart,
  parseAnalyticsConfig,
  parseLocalDate,
  pickMeter,
  UnknownMeterError,
} from '@linkyrpi/analytics'
import type { AnalyticsSettings } from '@linkyrpi/analytics'
// The light entries (no RxJS, NATS or stages; the engine loads when the target is opened): see bench/analytics.
import { openStoreReader, parseStoreTarget } from '@linkyrpi/pipeline/store-target'
import { StoreTargetError, tariffPricesMatch } from '@linkyrpi/store/reader'
import type { StoreReader, StoreTarget } from '@linkyrpi/pipeline/store-target'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'
import { reportCsv, reportJson, reportTable } from '../report-format.js'

/** The embedded store of the default `linkyrpi run`. */
export const DEFAULT_REPORT_STORE = join('data', 'linkyrpi.db')

const HELP = `Usage: linkyrpi report [--store TARGET] [--meter ID] [--from DATE] [--to DATE] [--config FILE]
                       [--format table|json|csv]

What the meter consumed, what it cost and what to change, from a store: energy per day and per
supplier index (HP/HC, Tempo colours, EJP), the cost with the subscription (the French regulated
tariff since 2023-08-01 is built in, dated), Base / HP-HC / Tempo / EJP compared on the same
consumption, subscribed-power advice, standby consumption, three-phase balance, production, CO2.

Options:
  --store TARGET   SQLite file or postgres://user@host/db[?schema=name] (default ${DEFAULT_REPORT_STORE},
                   the store of the default 'linkyrpi run')
  --meter ID       the meter (ADS); optional when the store holds one meter
  --from DATE      first local day, inclusive (YYYY-MM-DD, Europe/Paris); default: 30 days before --to
  --to DATE        last local day, exclusive (default: today, so the last 30 full days)
  --config FILE    YAML or JSON with an 'analytics' section: price overrides or another supplier,
                   off-peak hours, known Tempo/EJP days, CO2 factor (docs/analytics.md)
  --format F       table (default, for people), json (stable, docs/analytics.md), csv (one line per day)

A range, price or power the catalogue does not price is reported as such, never as 0 €.
Exit codes: 0 report printed, 1 store unreachable, 2 bad arguments or unknown meter,
3 invalid --config file, 4 no data in the range.
`

/** `linkyrpi report`. */
export const reportCommand: Command = {
  name: 'report',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        meter: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
      },
    })
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`)
    const format = values.format ?? 'table'
    if (format !== 'table' && format !== 'json' && format !== 'csv')
      throw new UsageError(`--format must be table, json or csv, got '${format}'`)
    const date = (name: 'from' | 'to', text: string | undefined): number | null => {
      if (text === undefined) return null
      const t = parseLocalDate(text)
      if (t === null) throw new UsageError(`--${name} must be a date YYYY-MM-DD, got '${text}'`)
      return t
    }
    const to = date('to', values.to) ?? localDayStart(Date.now())
    const from = date('from', values.from) ?? addLocalDays(to, -30)
    if (from >= to)
      throw new UsageError(
        `--from (${localDayKey(from)}) must be before --to (${localDayKey(to)}, exclusive)`,
      )

    let settings: AnalyticsSettings = DEFAULT_SETTINGS
    if (values.config !== undefined) {
      try {
        const text = await readFile(values.config, 'utf8')
        // yaml loads only with --config (about 0.1 s of CPU otherwise paid by every report).
        const { parse: parseYaml } = await import('yaml')
        settings = parseAnalyticsConfig(parseYaml(text) as unknown, values.config)
      } catch (error) {
        const message =
          error instanceof AnalyticsConfigError
            ? error.message
            : `${values.config}: ${(error as Error).message}`
        io.stderr.write(`linkyrpi report: ${message}\n`)
        return EXIT.config
      }
    }

    let target: StoreTarget
    try {
      target = parseStoreTarget(values.store ?? DEFAULT_REPORT_STORE)
    } catch (error) {
      if (error instanceof StoreTargetError) throw new UsageError(error.message)
      throw error
    }
    if (target.kind === 'sqlite' && !existsSync(target.path)) {
      io.stderr.write(
        `linkyrpi report: no store at ${target.path}${values.store === undefined ? " (the default of 'linkyrpi run'; give --store TARGET)" : ''}\n`,
      )
      return EXIT.failure
    }
    // The SQL views' prices (monthly_cost) are kept current: the store is read through the light
    // reader when they already are (the usual case), else opened in full to write them (Kysely);
    // a read-only database user just skips the write.
    const priceSets: [string, ReturnType<typeof catalogueRows>][] = [
      ['shipped', catalogueRows(TRV_CATALOGUE)],
    ]
    if (settings.catalogue !== TRV_CATALOGUE)
      priceSets.push(['user', catalogueRows(settings.catalogue)])
    let store: StoreReader
    try {
      store = await openStoreReader(target, {
        async isReady(engine) {
          for (const [source, rows] of priceSets)
            if (!(await tariffPricesMatch(engine, source, rows))) return false
          return true
        },
        async prepare(full) {
          const { replaceTariffPrices } = await import('@linkyrpi/store/core')
          for (const [source, rows] of priceSets)
            await replaceTariffPrices(full.engine.db as never, source, rows).catch(() => 0)
        },
      })
    } catch (error) {
      io.stderr.write(
        `linkyrpi report: ${(error as Error).message}${error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''}\n`,
      )
      return EXIT.failure
    }
    try {
      const meter = await pickMeter(store.history, values.meter ?? null)
      const data = await loadReportData(store.history, meter, from, to)
      if (data.days.length === 0) {
        const span = `${localDayKey(meter.firstSeen)} to ${localDayKey(meter.lastSeen)}`
        io.stderr.write(
          `linkyrpi report: no data for meter ${meter.id} from ${localDayKey(from)} to ${localDayKey(to)} (exclusive); the store has data from ${span}\n`,
        )
        return EXIT.notFound
      }
      const report = buildReport(data, settings)
      io.stdout.write(
        format === 'json'
          ? `${reportJson(report)}\n`
          : format === 'csv'
            ? reportCsv(report)
            : reportTable(report),
      )
      return EXIT.ok
    } catch (error) {
      if (error instanceof UnknownMeterError) {
        io.stderr.write(`linkyrpi report: ${error.message}\n`)
        return EXIT.usage
      }
      throw error
    } finally {
      await store.close()
    }
  },
}
