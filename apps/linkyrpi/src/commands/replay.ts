import { createReadStream, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame, DecoderEvent, TicMode } from '@linkyrpi/tic-core'
import { CaptureParser, replaySource } from '@linkyrpi/source-serial'
import { openStore, parseStoreTarget } from '@linkyrpi/pipeline'
import { FIRST_MIGRATION, importChunks, StoreTargetError } from '@linkyrpi/store'
import type { CaptureBytes } from '@linkyrpi/store'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command } from './command.js'
import { parseSpeed } from '../duration.js'

const HELP = `Usage: linkyrpi replay FILE [--speed N|max] [--mode historique|standard] [--store TARGET]

Replays a capture like a meter would send it, and prints each decoded frame as one JSON line
on stdout (the shape of 'linkyrpi decode --format jsonl'):
  {"mode","short","groups":[...],"rejected":[...],"reading":{...}}
FILE is a recording made by 'linkyrpi record' or 'linkyrpi simulate --format record' (its
timing is kept), or plain raw bytes (paced at the mode's character rate: 120 or 960 chars/s).

Options:
  --speed N|max  1 = original pace (default), N = N times faster, max = as fast as possible
  --mode M       character rate for a raw capture (default: guessed from the bytes)
  --store TARGET store the frames instead of printing them, as fast as possible: TARGET is a
                 SQLite file path or postgres://user@host/db[?schema=name] (docs/storage.md).
                 Running it twice leaves exactly the same rows. Frames of a raw capture without
                 a meter clock (historique) are timed from the file's modification time, 1.5 s apart.
                 When TARGET holds no store yet, one is created and stderr says so.

Exit codes: 0 replayed, 1 unreadable or damaged file, 2 bad arguments.
`

/** `linkyrpi replay`: a capture, paced like the meter, decoded to JSON lines. */
export const replayCommand: Command = {
  name: 'replay',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      allowPositionals: true,
      options: { speed: { type: 'string' }, mode: { type: 'string' }, store: { type: 'string' } },
    })
    if (positionals.length !== 1) throw new UsageError('replay takes exactly one FILE')
    const speed = parseSpeed(values.speed)
    const mode = values.mode
    if (mode !== undefined && mode !== 'historique' && mode !== 'standard')
      throw new UsageError(`--mode must be historique or standard, got '${mode}'`)
    const file = positionals[0]!
    if (values.store !== undefined) return replayToStore(file, values.store, io)
    const decoder = createTicDecoder({ reading: true })
    const onEvent = (event: DecoderEvent): void => {
      if (event.kind === 'frame') io.stdout.write(`${JSON.stringify(frameJson(event.frame))}\n`)
    }
    let frames = 0
    const onEnd = ({ truncatedBytes }: { truncatedBytes: number }): void => {
      if (truncatedBytes > 0)
        io.stderr.write(
          `linkyrpi replay: the last record is cut short (${String(truncatedBytes)} bytes ignored: the recorder was stopped mid-write)\n`,
        )
    }
    return new Promise<number>((resolve) => {
      const sub = replaySource(file, { speed, mode: mode as TicMode | undefined, onEnd }).subscribe(
        {
          next: (chunk) =>
            decoder.write(chunk, (e) => {
              if (e.kind === 'frame') frames++
              onEvent(e)
            }),
          error: (error: unknown) => {
            io.stderr.write(`linkyrpi replay: ${(error as Error).message}\n`)
            resolve(EXIT.failure)
          },
          complete: () => {
            for (const e of decoder.end()) onEvent(e)
            io.stderr.write(`linkyrpi replay: ${String(frames)} frames\n`)
            resolve(EXIT.ok)
          },
        },
      )
      io.signal.addEventListener('abort', () => {
        sub.unsubscribe()
        resolve(EXIT.ok)
      })
    })
  },
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

/** `--store`: imports the capture (timed recording or raw bytes) into a store, streaming. */
async function replayToStore(
  file: string,
  target: string,
  io: Parameters<Command['run']>[1],
): Promise<number> {
  let where: string
  try {
    const t = parseStoreTarget(target)
    where = t.kind === 'sqlite' ? resolve(t.path) : target
  } catch (error) {
    if (error instanceof StoreTargetError) throw new UsageError(error.message)
    throw error
  }
  async function* chunks(): AsyncGenerator<CaptureBytes> {
    const parser = new CaptureParser()
    for await (const data of createReadStream(file, { highWaterMark: 1 << 20 }))
      yield* parser.push(data as Buffer)
    parser.end()
  }
  try {
    const start = Math.floor(statSync(file).mtimeMs / 1000) * 1000
    const store = await openStore(target)
    let r
    try {
      r = await importChunks(chunks(), store, { start })
    } finally {
      await store.close()
    }
    // A mistyped path would otherwise silently give a new, empty store.
    if (store.migrated.includes(FIRST_MIGRATION))
      io.stderr.write(`linkyrpi replay: created a new store at ${where}\n`)
    io.stderr.write(
      `linkyrpi replay: ${String(r.frames)} frames, ${String(r.stored)} stored, ${String(r.duplicates)} already stored, ${String(r.unstorable)} without meter id\n`,
    )
    return EXIT.ok
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
    io.stderr.write(
      `linkyrpi replay: ${error instanceof Error ? error.message : String(error)}${cause}\n`,
    )
    return EXIT.failure
  }
}
