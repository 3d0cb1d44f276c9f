import { createReadStream, statSync } from 'node:fs'
import { DEFAULT_SETTINGS, energyPriceAt } from '@linkyrpi/analytics'
import { createOnCostTracker, replayRules } from '@linkyrpi/automation'
import type {
  AutomationOptions,
  OnCostSummary,
  ReceivedReading,
  Switch,
} from '@linkyrpi/automation'
import { ConfigError, loadConfig, openStore } from '@linkyrpi/pipeline'
import { CaptureParser } from '@linkyrpi/source-serial'
import type { Store } from '@linkyrpi/store'
import { createTicDecoder, parisInstantOf } from '@linkyrpi/tic-core'
import type { DecoderEvent } from '@linkyrpi/tic-core'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'
import { storedReadings } from './stored-readings.js'

const HELP = `Usage: linkyrpi automation simulate --config FILE (--input CAPTURE | --store TARGET [--meter ID])
                                   [--from DATE] [--to DATE] [--format jsonl|table] [--stage ID]

Runs the rules of the configuration's 'automation' stage over a capture, without touching any
actuator: what the loads would have done. CAPTURE is a recording ('linkyrpi record',
'linkyrpi simulate --format record': its timing is kept) or raw bytes (timed from the file's
modification time, 1.5 s apart). Decisions use the meter clock when frames carry one (standard
mode), local time Europe/Paris. A silence longer than staleAfterS puts outputs in their safe state.

Options:
  --config FILE      the linkyrpi configuration (validated like 'config check')
  --input CAPTURE    the capture to replay
  --store TARGET     or a stored history: a SQLite file or postgres:// URL (docs/storage.md);
                     readings are rebuilt from the stored samples and events
  --meter ID         the meter in the store (default: the only one)
  --from DATE        ignore what was received before DATE (ISO 8601, or YYYY-MM-DD = Paris midnight)
  --to DATE          stop at DATE
  --format F         jsonl (default): one line per switch
                       {"t": epoch ms, "time": ISO 8601 with offset, "output", "state": "on"|"off", "reason"}
                     then one {"summary": {...}} line;
                     table: aligned columns, then the summary
  --stage ID         the automation stage, when the configuration has several

Summary: readings, switches and time on per output, overpowers avoided (shedding episodes the
meter never signalled) and signalled, time with stale data; for each output with a shed.powerW,
'costs': the energy it would draw while on (hours on x powerW, kWh) at the regulated price of the
index counting at each moment (option and subscribed power from the readings), and the difference
with the same kWh at the range's average price (negative: the rules ran it when it was cheaper).
An estimate at rated power, not metered energy (docs/automation.md).

Exit codes: 0 done, 1 unreadable capture, 2 bad arguments, 3 invalid configuration.
`

/** `YYYY-MM-DD` (Paris midnight) or any ISO 8601 date-time → epoch ms. */
export function parseDate(text: string, option: string): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (day !== null) {
    // Paris midnight of that calendar day (an out-of-range day rolls over, as Date.UTC does).
    return parisInstantOf(
      Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) / 86_400_000,
      0,
    )
  }
  const ms = Date.parse(text)
  if (!Number.isFinite(ms))
    throw new UsageError(`${option} must be a date (YYYY-MM-DD or ISO 8601), got '${text}'`)
  return ms
}

async function* capturedReadings(file: string): AsyncGenerator<ReceivedReading> {
  const parser = new CaptureParser()
  const decoder = createTicDecoder({ reading: true })
  const start = Math.floor(statSync(file).mtimeMs / 1000) * 1000
  let index = 0
  let at: number | null = null
  const pending: ReceivedReading[] = []
  const onEvent = (e: DecoderEvent): void => {
    if (e.kind !== 'frame' || e.frame.reading === undefined) return
    pending.push({ reading: e.frame.reading, receivedAt: at ?? start + index * 1500 })
    index++
  }
  for await (const data of createReadStream(file, { highWaterMark: 1 << 20 })) {
    for (const chunk of parser.push(data as Buffer)) {
      at = chunk.atMs
      decoder.write(chunk.bytes, onEvent)
      yield* pending.splice(0)
    }
  }
  parser.end()
  for (const e of decoder.end()) onEvent(e)
  yield* pending.splice(0)
}

const hours = (ms: number): number => Math.round(ms / 36_000) / 100
const cents = (eur: number): number => Math.round(eur * 100) / 100

/** The summary's `costs`: per output with a known power, € while on and the difference with the average price. */
function costSummary(s: OnCostSummary) {
  return {
    averageEurPerKWh:
      s.averageEurPerKWh === null ? null : Math.round(s.averageEurPerKWh * 10_000) / 10_000,
    outputs: Object.fromEntries(
      Object.entries(s.outputs).map(([id, o]) => [
        id,
        {
          powerW: o.powerW,
          onHours: Math.round(o.pricedHours * 100) / 100,
          unpricedHours: Math.round(o.unpricedHours * 100) / 100,
          kwh: Math.round(o.kwh * 1000) / 1000,
          eurWhileOn: cents(o.eur),
          eurAtAverage: cents(o.eurAtAverage),
          differenceEur: cents(o.differenceEur),
        },
      ]),
    ),
  }
}

/** `linkyrpi automation simulate`. */
export const automationSimulateCommand: Command = {
  name: 'automation simulate',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        input: { type: 'string' },
        store: { type: 'string' },
        meter: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        stage: { type: 'string' },
      },
    })
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`)
    if (values.config === undefined) throw new UsageError('--config FILE is required')
    if ((values.input === undefined) === (values.store === undefined))
      throw new UsageError('give either --input CAPTURE or --store TARGET')
    if (values.meter !== undefined && values.store === undefined)
      throw new UsageError('--meter goes with --store')
    const format = values.format ?? 'jsonl'
    if (format !== 'jsonl' && format !== 'table')
      throw new UsageError(`--format must be jsonl or table, got '${format}'`)
    const from = values.from === undefined ? undefined : parseDate(values.from, '--from')
    const to = values.to === undefined ? undefined : parseDate(values.to, '--to')
    let rules: AutomationOptions
    try {
      const config = await loadConfig(values.config, { env: io.env })
      const stages = Object.values(config.stages).filter(
        (s) => s.type === 'automation' && (values.stage === undefined || s.id === values.stage),
      )
      if (stages.length === 0)
        throw new UsageError(
          `${values.config} has no automation stage${values.stage === undefined ? '' : ` '${values.stage}'`}`,
        )
      if (stages.length > 1)
        throw new UsageError(
          `${values.config} has several automation stages (${stages.map((s) => s.id).join(', ')}): choose one with --stage`,
        )
      rules = stages[0]!.options as AutomationOptions
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`${values.config}: ${error.message}\n`)
        return EXIT.config
      }
      throw error
    }
    const width = Math.max(6, ...Object.keys(rules.outputs).map((o) => o.length))
    if (format === 'table')
      io.stdout.write(`${'time'.padEnd(25)} ${'output'.padEnd(width)} state reason\n`)
    // `| head` closes the pipe: stop writing, finish quietly.
    let closed = false
    io.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') closed = true
    })
    // Outputs with a known power: what they would cost while on, at the price counting then.
    const powers = Object.fromEntries(
      Object.entries(rules.outputs).flatMap(([id, o]) =>
        o.shed === undefined ? [] : [[id, o.shed.powerW]],
      ),
    )
    const costs =
      Object.keys(powers).length === 0
        ? null
        : createOnCostTracker(powers, (r, t) =>
            energyPriceAt(
              DEFAULT_SETTINGS.catalogue,
              t,
              r.contract.option,
              r.period.index,
              r.contract.subscribedVA,
            ),
          )
    const onSwitch = (s: Switch): void => {
      costs?.onSwitch(s)
      if (closed) return
      io.stdout.write(
        format === 'jsonl'
          ? `${JSON.stringify({ t: s.t, time: s.time, output: s.output, state: s.state, reason: s.reason })}\n`
          : `${s.time.padEnd(25)} ${s.output.padEnd(width)} ${s.state.padEnd(5)} ${s.reason}\n`,
      )
    }
    let result
    const source = values.input ?? (values.store as string)
    let store: Store | undefined
    try {
      let readings: AsyncIterable<ReceivedReading>
      if (values.input !== undefined) readings = capturedReadings(values.input)
      else {
        store = await openStore(values.store as string, { migrate: false })
        const meters = await store.history.meters()
        const meter = values.meter ?? (meters.length === 1 ? meters[0]!.id : undefined)
        if (meter === undefined)
          throw new TypeError(
            `the store has ${String(meters.length)} meters (${meters.map((m) => m.id).join(', ')}): choose one with --meter`,
          )
        readings = storedReadings(store, meter, from ?? 0, to ?? Number.MAX_SAFE_INTEGER)
      }
      result = await replayRules(rules, readings, {
        from,
        to,
        onSwitch,
        onReading: costs === null ? undefined : (r, t) => costs.onReading(r, t),
      })
    } catch (error) {
      io.stderr.write(
        `linkyrpi automation simulate: ${source}: ${error instanceof Error ? error.message : String(error)}\n`,
      )
      return EXIT.failure
    } finally {
      await store?.close()
    }
    const outputs = Object.fromEntries(
      Object.entries(result.outputs).map(([id, o]) => [
        id,
        { switches: o.switches, onHours: hours(o.onMs), sheds: o.sheds },
      ]),
    )
    const summary = {
      readings: result.readings,
      from: result.first,
      to: result.last,
      outputs,
      overpowersAvoided: result.overpowersAvoided,
      overpowersSignalled: result.overpowersSignalled,
      staleHours: hours(result.staleMs),
      ...(costs === null ? {} : { costs: costSummary(costs.summary()) }),
    }
    if (closed) return EXIT.ok
    if (format === 'jsonl') io.stdout.write(`${JSON.stringify({ summary })}\n`)
    else {
      io.stdout.write(
        `\n${String(result.readings)} readings, ${String(result.overpowersAvoided)} overpowers avoided, ${String(result.overpowersSignalled)} signalled by the meter, ${String(summary.staleHours)} h without data\n`,
      )
      for (const [id, o] of Object.entries(outputs))
        io.stdout.write(
          `${id.padEnd(width)} ${String(o.switches).padStart(4)} switches  ${String(o.onHours).padStart(8)} h on  ${String(o.sheds)} sheds\n`,
        )
      if (summary.costs !== undefined) {
        const avg = summary.costs.averageEurPerKWh
        io.stdout.write(
          `\nwhile on, at rated power and the regulated price of each moment (average ${avg === null ? 'unknown' : `${avg.toFixed(4)} €/kWh`}):\n`,
        )
        for (const [id, c] of Object.entries(summary.costs.outputs)) {
          const diff = `${c.differenceEur > 0 ? '+' : ''}${c.differenceEur.toFixed(2)}`
          io.stdout.write(
            `${id.padEnd(width)} ${String(c.powerW).padStart(6)} W  ${c.kwh.toFixed(1).padStart(8)} kWh  ${c.eurWhileOn.toFixed(2).padStart(8)} €  ${diff.padStart(8)} € vs average${c.unpricedHours > 0 ? `  (${String(c.unpricedHours)} h unpriced)` : ''}\n`,
          )
        }
      }
    }
    return EXIT.ok
  },
}
