import { parseArgs } from 'node:util'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecodedFrame, DecoderEvent, TicMode } from '@linkyrpi/tic-core'
import { replaySource } from '@linkyrpi/source-serial'
import { EXIT, UsageError } from './command.js'
import type { Command } from './command.js'
import { parseSpeed } from '../duration.js'

const HELP = `Usage: linkyrpi replay FILE [--speed N|max] [--mode historique|standard]

Replays a capture like a meter would send it, and prints each decoded frame as one JSON line
on stdout (the shape of 'linkyrpi decode --format jsonl'):
  {"mode","short","groups":[...],"rejected":[...],"reading":{...}}
FILE is a recording made by 'linkyrpi record' or 'linkyrpi simulate --format record' (its
timing is kept), or plain raw bytes (paced at the mode's character rate: 120 or 960 chars/s).

Options:
  --speed N|max  1 = original pace (default), N = N times faster, max = as fast as possible
  --mode M       character rate for a raw capture (default: guessed from the bytes)

Exit codes: 0 replayed, 1 unreadable or damaged file, 2 bad arguments.
`

/** `linkyrpi replay`: a capture, paced like the meter, decoded to JSON lines. */
export const replayCommand: Command = {
  name: 'replay',
  summary: 'replay a recording or raw capture at its original pace (or faster), printing frames',
  help: HELP,
  async run(args, io) {
    let parsed
    try {
      parsed = parseArgs({ args: [...args], allowPositionals: true, options: { speed: { type: 'string' }, mode: { type: 'string' } } })
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const { values, positionals } = parsed
    if (positionals.length !== 1) throw new UsageError('replay takes exactly one FILE')
    const speed = parseSpeed(values.speed)
    const mode = values.mode
    if (mode !== undefined && mode !== 'historique' && mode !== 'standard') throw new UsageError(`--mode must be historique or standard, got '${mode}'`)
    const file = positionals[0]!
    const decoder = createTicDecoder({ reading: true })
    const onEvent = (event: DecoderEvent): void => {
      if (event.kind === 'frame') io.stdout.write(`${JSON.stringify(frameJson(event.frame))}\n`)
    }
    let frames = 0
    return new Promise<number>((resolve) => {
      const sub = replaySource(file, { speed, mode: mode as TicMode | undefined }).subscribe({
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
      })
      io.signal.addEventListener('abort', () => {
        sub.unsubscribe()
        resolve(EXIT.ok)
      })
    })
  },
}

function frameJson(frame: DecodedFrame): unknown {
  return { mode: frame.mode, short: frame.short, groups: frame.groups, rejected: frame.rejected, reading: frame.reading }
}
