import { createWriteStream } from 'node:fs'
import { encodeRecord, encodeRecordingHeader, serialSource } from '@linkyrpi/source-serial'
import type { SerialBinding } from '@linkyrpi/source-serial'
import type { TicModeSetting } from '@linkyrpi/tic-core'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { parseDuration } from '../duration.js'
import { loadSerialBinding } from '../serial-binding.js'

const HELP = `Usage: linkyrpi record --port PATH --out FILE [--duration D] [--mode auto|historique|standard] [--format record|raw]

Records what the meter sends: detects the mode and speed first (like 'linkyrpi detect'), then
writes every byte with its receive time in the LinkyRPi recording format (docs/sources.md),
so that 'linkyrpi replay FILE' plays it back at the original pace. --format raw writes the
bare bytes instead (no timing), like the fixtures. Stops after --duration, or on Ctrl-C.

Options:
  --port PATH    serial device (see 'linkyrpi ports')
  --out FILE     output file (overwritten)
  --duration D   stop after D (30s, 15m, 2h, 1d); default: until Ctrl-C
  --mode M       auto (default), historique or standard
  --format F     record (default) or raw

Exit codes: 0 recorded; 1 port or file failure; 2 bad arguments.
`

/** Options of {@link recordPort}. */
export interface RecordOptions {
  readonly path: string
  readonly binding: SerialBinding
  readonly out: string
  readonly durationMs: number | undefined
  readonly mode: TicModeSetting
  readonly format: 'record' | 'raw'
}

/** Records a port to a file, with an injectable binding (tests pass MockBinding). */
export async function recordPort(o: RecordOptions, io: CommandIo): Promise<number> {
  const file = createWriteStream(o.out)
  try {
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve())
      file.once('error', reject)
    })
  } catch (error) {
    io.stderr.write(
      `linkyrpi record: cannot write ${o.out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
    )
    return EXIT.failure
  }
  const source = serialSource({ path: o.path, binding: o.binding, mode: o.mode })
  let bytes = 0
  let headerWritten = o.format === 'raw'
  const stateSub = source.state$.subscribe((s) => {
    if (s.status === 'locked')
      io.stderr.write(
        `linkyrpi record: ${String(s.mode)} at ${String(s.baudRate)} Bd, recording to ${o.out}\n`,
      )
    else if (s.status === 'detecting' || s.status === 'disconnected')
      io.stderr.write(`linkyrpi record: ${s.status}${s.reason === null ? '' : ` (${s.reason})`}\n`)
  })
  const started = Date.now()
  const code = await new Promise<number>((resolve) => {
    const stop = (code: number): void => {
      clearTimeout(timer)
      sub.unsubscribe()
      resolve(code)
    }
    const timer =
      o.durationMs === undefined ? undefined : setTimeout(() => stop(EXIT.ok), o.durationMs)
    io.signal.addEventListener('abort', () => stop(EXIT.ok))
    const sub = source.subscribe({
      next: (chunk) => {
        const at = Date.now()
        if (!headerWritten) {
          headerWritten = true
          const s = source.state()
          file.write(
            encodeRecordingHeader({
              startedAt: new Date(started).toISOString(),
              source: o.path,
              baudRate: s.baudRate ?? undefined,
              mode: s.mode ?? undefined,
              tool: 'linkyrpi record',
            }),
          )
        }
        bytes += chunk.length
        file.write(o.format === 'raw' ? chunk : encodeRecord(at, chunk))
      },
      error: (error: unknown) => {
        io.stderr.write(`linkyrpi record: ${(error as Error).message}\n`)
        stop(EXIT.failure)
      },
    })
  })
  stateSub.unsubscribe()
  const frames = source.state().frames
  await new Promise<void>((resolve) => file.end(() => resolve()))
  io.stderr.write(
    `linkyrpi record: ${String(bytes)} bytes, ${String(frames)} frames in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  )
  return code
}

/** `linkyrpi record`: capture a meter to a file with timing. */
export const recordCommand: Command = {
  name: 'record',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      options: {
        port: { type: 'string' },
        out: { type: 'string' },
        duration: { type: 'string' },
        mode: { type: 'string' },
        format: { type: 'string' },
      },
    })
    if (values.port === undefined) throw new UsageError('--port PATH is required')
    if (values.out === undefined) throw new UsageError('--out FILE is required')
    const mode = values.mode ?? 'auto'
    if (!['auto', 'historique', 'standard'].includes(mode))
      throw new UsageError(`--mode must be auto, historique or standard, got '${mode}'`)
    const format = values.format ?? 'record'
    if (format !== 'record' && format !== 'raw')
      throw new UsageError(`--format must be record or raw, got '${format}'`)
    return recordPort(
      {
        path: values.port,
        binding: await loadSerialBinding(),
        out: values.out,
        durationMs:
          values.duration === undefined ? undefined : parseDuration(values.duration, '--duration'),
        mode: mode as TicModeSetting,
        format,
      },
      io,
    )
  },
}
