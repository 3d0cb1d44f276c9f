import { createReadStream } from 'node:fs'
import { SERIAL_SETTINGS } from '@linkyrpi/tic-core'
import type { TicMode } from '@linkyrpi/tic-core'
import { stampChunk } from '@linkyrpi/tic-core/stage'
import { Observable } from 'rxjs'
import { CaptureParser } from './capture-format.js'
import type { CaptureChunk, RecordingHeader } from './capture-format.js'
import { CaptureFileError } from './errors.js'
import { checkSpeed, createPacer, isAbort } from './pace.js'
import type { Speed } from './pace.js'

/** Options of {@link replaySource}. */
export interface ReplaySourceOptions {
  /**
   * 1 (default) replays at the original pace: a recording by its receive timestamps, a raw
   * capture at the mode's character rate (120 or 960 chars/s); N replays N times faster;
   * `'max'` as fast as the subscriber consumes.
   */
  readonly speed?: Speed
  /** Mode that sets a raw capture's character rate; default: standard if the first chunk holds a TAB, else historique. */
  readonly mode?: TicMode
  /** Raw captures are emitted in slices of this many ms of line time (default 100). */
  readonly sliceMs?: number
  /** Called once with the recording header, or null for a raw capture, before the first byte. */
  readonly onHeader?: (header: RecordingHeader | null) => void
  /** Called at the end of the file with the bytes of a last record cut short (0 when none), before completion. */
  readonly onEnd?: (info: { readonly truncatedBytes: number }) => void
}

/**
 * A source that replays a capture file: a LinkyRPi recording (timing kept) or plain raw bytes.
 * Cold: each subscription reads the file from the start; unsubscribing stops reading and closes
 * the file. Completes at the end of the file. Errors with {@link CaptureFileError} when the file
 * cannot be read or its recording header is damaged. A recording's chunks are stamped with their
 * recorded receive time (`TimedChunk.receivedAt`, epoch ms), so frames decoded by the pipeline
 * keep the time they were received, and a replay into a store finds the same keys each time; a
 * raw capture's chunks carry no stamp (the decoder then uses the current time).
 */
export function replaySource(
  path: string,
  options: ReplaySourceOptions = {},
): Observable<Uint8Array> {
  const speed = checkSpeed(options.speed)
  const sliceMs = options.sliceMs ?? 100
  return new Observable<Uint8Array>((subscriber) => {
    const ac = new AbortController()
    const stream = createReadStream(path, { highWaterMark: 1 << 16 })
    const run = async (): Promise<void> => {
      const parser = new CaptureParser()
      const pacer = createPacer(speed, ac.signal)
      let first: number | null = null
      let rawOffsetMs = 0
      let cps: number | null = null
      let announced = false
      const emit = async (chunk: CaptureChunk): Promise<void> => {
        if (!announced) {
          announced = true
          options.onHeader?.(parser.header)
        }
        if (chunk.atMs !== null) {
          first ??= chunk.atMs
          await pacer.wait(chunk.atMs - first)
          if (!subscriber.closed) subscriber.next(stampChunk(chunk.bytes, chunk.atMs))
          return
        }
        if (speed === 'max') {
          subscriber.next(chunk.bytes)
          await pacer.wait(0)
          return
        }
        cps ??=
          SERIAL_SETTINGS[options.mode ?? (chunk.bytes.includes(0x09) ? 'standard' : 'historique')]
            .charsPerSecond
        const slice = Math.max(1, Math.round((cps * sliceMs) / 1000))
        for (let o = 0; o < chunk.bytes.length && !subscriber.closed; o += slice) {
          await pacer.wait(rawOffsetMs)
          const part = chunk.bytes.subarray(o, o + slice)
          subscriber.next(part)
          rawOffsetMs += (part.length * 1000) / cps
        }
      }
      for await (const data of stream) {
        let chunks: CaptureChunk[]
        try {
          chunks = parser.push(data as Uint8Array)
        } catch (error) {
          throw new CaptureFileError(`${path}: ${(error as Error).message}`, { cause: error })
        }
        for (const c of chunks) {
          if (subscriber.closed) return
          await emit(c)
        }
      }
      const truncatedBytes = parser.end()
      const held = parser.takeHeld()
      if (held.length > 0) await emit({ atMs: null, bytes: held })
      if (!announced) options.onHeader?.(parser.header)
      options.onEnd?.({ truncatedBytes })
    }
    run().then(
      () => subscriber.complete(),
      (error: unknown) => {
        if (ac.signal.aborted && isAbort(error)) return
        subscriber.error(
          error instanceof CaptureFileError
            ? error
            : new CaptureFileError(
                `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
                { cause: error },
              ),
        )
      },
    )
    return () => {
      ac.abort()
      stream.destroy()
    }
  })
}
