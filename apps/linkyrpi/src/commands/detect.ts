import { detectMeter as detect } from '@linkyrpi/source-serial'
import type { DetectMeterOptions, MeterDetection } from '@linkyrpi/source-serial'
import type { TicModeSetting } from '@linkyrpi/tic-core'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { parseDuration } from '../duration.js'
import { loadSerialBinding } from '../serial-binding.js'

const HELP = `Usage: linkyrpi detect --port PATH [--timeout D] [--mode auto|historique|standard] [--baud-rates 1200,9600] [--json]

Listens on a serial port, finds the meter's TIC mode and speed (1200 Bd historique, 9600 Bd
standard: each rate is tried in turn until checksum-valid groups are heard), then reads one
complete frame and prints mode, baud rate, meter id, phases and contract.

Options:
  --port PATH        serial device (see 'linkyrpi ports'), e.g. /dev/ttyUSB0 or /dev/serial0
  --timeout D        give up after D (default 30s)
  --mode M           auto (default), or check one mode only
  --baud-rates LIST  candidate rates in order (default 1200,9600)
  --window D         time listened at each rate (default 4s)
  --json             print one JSON object instead of text

Exit codes: 0 found; 1 the port cannot be opened; 2 bad arguments; 4 no TIC found (the reason
is printed: no data at all, data at neither baud rate, no complete frame).
`

/**
 * Runs detection (`detectMeter` of source-serial) and gives a failure its exit code: 1 when the
 * port cannot be opened, 4 when no TIC was found.
 */
export async function detectMeter(
  o: DetectMeterOptions,
  signal?: AbortSignal,
): Promise<{ found: MeterDetection } | { failed: string; exit: number }> {
  const r = await detect(o, signal)
  if ('found' in r) return { found: r.found }
  return { failed: r.failed, exit: r.cause === 'cannot-open' ? EXIT.failure : EXIT.notFound }
}

/** Prints a detection as text. */
export function formatDetection(d: MeterDetection): string {
  const lines = [
    `mode:      ${d.mode}`,
    `baud:      ${String(d.baudRate)}`,
    `meter:     ${d.meterId ?? 'unknown'} (${d.meterKind}${d.model === null ? '' : `, ${d.model}`})`,
    `phases:    ${d.phases === null ? 'unknown' : String(d.phases)}${d.producer ? ', producer' : ''}`,
    `contract:  ${d.option ?? 'unknown'}${d.optionLabel === null ? '' : ` (${d.optionLabel})`}${d.subscribedVA === null ? '' : `, ${String(d.subscribedVA)} VA subscribed`}`,
  ]
  if (d.note !== null) lines.push(`note:      ${d.note}`)
  return `${lines.join('\n')}\n`
}

/** Parses `detect` arguments (exported for tests). */
export function parseDetectArgs(args: readonly string[]): {
  options: Omit<DetectMeterOptions, 'binding'>
  json: boolean
} {
  const { values } = parseCommandArgs(args, {
    options: {
      port: { type: 'string' },
      timeout: { type: 'string' },
      mode: { type: 'string' },
      'baud-rates': { type: 'string' },
      window: { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  if (values.port === undefined)
    throw new UsageError('--port PATH is required (see linkyrpi ports)')
  const mode = values.mode ?? 'auto'
  if (!['auto', 'historique', 'standard'].includes(mode))
    throw new UsageError(`--mode must be auto, historique or standard, got '${mode}'`)
  const rates = (
    values['baud-rates'] ??
    (mode === 'standard' ? '9600' : mode === 'historique' ? '1200' : '1200,9600')
  )
    .split(',')
    .map(Number)
  if (rates.some((r) => !Number.isInteger(r) || r <= 0))
    throw new UsageError(
      `--baud-rates must list rates like 1200,9600, got '${values['baud-rates'] ?? ''}'`,
    )
  return {
    options: {
      path: values.port,
      timeoutMs: values.timeout === undefined ? 30_000 : parseDuration(values.timeout, '--timeout'),
      mode: mode as TicModeSetting,
      baudRates: rates,
      windowMs: values.window === undefined ? 4000 : parseDuration(values.window, '--window'),
    },
    json: values.json === true,
  }
}

/** Runs `detect` and prints the outcome. */
export async function runDetect(
  options: DetectMeterOptions,
  json: boolean,
  io: CommandIo,
): Promise<number> {
  const r = await detectMeter(options, io.signal)
  if ('failed' in r) {
    if (json) io.stdout.write(`${JSON.stringify({ found: false, reason: r.failed })}\n`)
    io.stderr.write(`linkyrpi detect: ${r.failed}\n`)
    return r.exit
  }
  io.stdout.write(
    json ? `${JSON.stringify({ found: true, ...r.found })}\n` : formatDetection(r.found),
  )
  return EXIT.ok
}

/** `linkyrpi detect`: find the mode, speed and identity of the meter on a port. */
export const detectCommand: Command = {
  name: 'detect',
  help: HELP,
  async run(args, io) {
    const { options, json } = parseDetectArgs(args)
    return runDetect({ ...options, binding: await loadSerialBinding() }, json, io)
  },
}
