import { open } from 'node:fs/promises'
import type { CaptureParser } from '@linkyrpi/source-serial'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame, TicModeSetting } from '@linkyrpi/tic-core'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { CaptureSummary } from '../capture-summary.js'
import { formatPretty } from '../format-pretty.js'

const HELP = `Usage: linkyrpi decode [FILE|-] [--mode auto|historique|standard] [--format jsonl|pretty|summary]

Decodes raw TIC bytes or a recording made by 'linkyrpi record' (a file, or standard input with
'-' or no FILE) and prints:
  jsonl    one JSON object per complete frame on stdout (default):
           {"mode","short","groups":[{label,value,horodate?}],"rejected":[{raw,reason}],"reading"}
  pretty   a human-readable view of each frame
  summary  nothing on stdout; decodes everything and reports whether the capture is healthy

A summary always goes to stderr: frames, groups accepted, groups rejected by reason, bytes
discarded by reason, modes and meters seen.

Options:
  --mode M     auto (default: from each group's separator), historique or standard
  --format F   jsonl (default), pretty or summary

Exit codes: 0 decoded (even with rejected groups), 1 unreadable file, 2 bad arguments.
`

/** `linkyrpi decode`: bytes in, frames (or a health summary) out. */
export const decodeCommand: Command = {
  name: 'decode',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      allowPositionals: true,
      options: { mode: { type: 'string' }, format: { type: 'string' } },
    })
    const mode = values.mode ?? 'auto'
    const format = values.format ?? 'jsonl'
    if (!['auto', 'historique', 'standard'].includes(mode))
      throw new UsageError(`--mode must be auto, historique or standard, got '${mode}'`)
    if (!['jsonl', 'pretty', 'summary'].includes(format))
      throw new UsageError(`--format must be jsonl, pretty or summary, got '${format}'`)
    if (positionals.length > 1) throw new UsageError('decode takes at most one FILE')
    const file = positionals[0] ?? '-'
    return decodeStream(file, mode as TicModeSetting, format as 'jsonl' | 'pretty' | 'summary', io)
  },
}

async function decodeStream(
  file: string,
  mode: TicModeSetting,
  format: 'jsonl' | 'pretty' | 'summary',
  io: CommandIo,
): Promise<number> {
  const input = file === '-' ? io.stdin : readFileChunks(file)
  // The summary classifies meters itself (cheaper than building every reading).
  const decoder = createTicDecoder({ mode, reading: format !== 'summary' })
  const summary = new CaptureSummary()
  let out: string[] = []
  let pending = 0
  const flush = async (): Promise<void> => {
    if (out.length === 0) return
    const text = out.join('')
    out = []
    pending = 0
    if (!io.stdout.write(text)) {
      await new Promise<void>((resolve) => io.stdout.once('drain', resolve))
    }
  }
  const onEvent = (event: ReturnType<typeof decoder.end>[number]): void => {
    summary.add(event)
    if (event.kind !== 'frame' || format === 'summary') return
    const line =
      format === 'jsonl' ? `${JSON.stringify(frameJson(event.frame))}\n` : formatPretty(event.frame)
    out.push(line)
    pending += line.length
  }
  try {
    // Raw byte files (like the fixtures) and timed recordings (linkyrpi record) alike. A
    // recording starts with its magic 'LINKYREC': the parser (and source-serial, slow to load)
    // is loaded only when the first byte could start one.
    let capture: CaptureParser | null | undefined
    for await (const data of input) {
      const chunk = data as Uint8Array
      if (capture === undefined) {
        capture =
          chunk[0] === 0x4c ? new (await import('@linkyrpi/source-serial')).CaptureParser() : null
      }
      if (capture === null) decoder.write(chunk, onEvent)
      else for (const part of capture.push(chunk)) decoder.write(part.bytes, onEvent)
      if (pending > 1 << 16) await flush()
    }
    if (capture != null) {
      const truncated = capture.end()
      decoder.write(capture.takeHeld(), onEvent)
      if (truncated > 0)
        io.stderr.write(
          `linkyrpi decode: the last record of the recording is cut short (${String(truncated)} bytes ignored)\n`,
        )
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    io.stderr.write(
      `linkyrpi decode: cannot read ${file === '-' ? 'standard input' : file}: ${code ?? String(error)}\n`,
    )
    return EXIT.failure
  }
  for (const event of decoder.end()) onEvent(event)
  summary.finish()
  await flush()
  io.stderr.write(summary.format())
  return EXIT.ok
}

function frameJson(frame: DecodedFrame): unknown {
  return {
    mode: frame.mode,
    short: frame.short,
    groups: frame.groups,
    rejected: frame.rejected,
    reading: frame.reading,
  }
}

/**
 * The file's bytes in 1 MiB chunks read into one reused buffer: each chunk is decoded before the
 * next read, and nothing keeps it, so a 50 MB capture allocates 1 MiB instead of 50.
 */
async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const buffer = new Uint8Array(1 << 20)
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) return
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}
