import { createFrameDecoder } from './frame.js'
import type { FrameDecoderOptions, TicFrame } from './frame.js'
import { FramerCore } from './framer.js'
import type { DiscardEvent, FramerOptions } from './framer.js'
import { createReadingBuilder } from './reading.js'
import type { ReadingBuilderOptions, TicReading } from './reading.js'

/** A decoded frame with its mode-agnostic reading. */
export interface DecodedFrame extends TicFrame {
  /** Present when the decoder was created with `reading: true`. */
  readonly reading?: TicReading
}

/** Events of {@link createTicDecoder}. */
export type DecoderEvent = { readonly kind: 'frame'; readonly frame: DecodedFrame } | DiscardEvent

/** Options of {@link createTicDecoder}. */
export interface TicDecoderOptions
  extends FramerOptions, FrameDecoderOptions, ReadingBuilderOptions {
  /** Also build the {@link TicReading} of each frame (default false). */
  readonly reading?: boolean
}

/** Bytes in, decoded frames out: framer + frame decoder (+ reading builder), incremental. */
export interface TicDecoder {
  /** Feeds a chunk of any size; calls `onEvent` synchronously for each completed event. */
  write(chunk: Uint8Array, onEvent: (event: DecoderEvent) => void): void
  /** Feeds a chunk; returns the completed events. */
  push(chunk: Uint8Array): DecoderEvent[]
  /** Ends the input: a partial frame is reported as discarded. */
  end(): DecoderEvent[]
}

/**
 * Creates the full decoder over a byte stream: frames (any chunking, 7-bit masking, EOT,
 * resynchronisation, bounded memory), decodes groups with the memo, and optionally builds readings.
 * Frames are decoded straight from the framer's buffer: no per-frame copy.
 */
export function createTicDecoder(options: TicDecoderOptions = {}): TicDecoder {
  const frames = createFrameDecoder(options)
  const readings = options.reading === true ? createReadingBuilder(options) : undefined
  let emit: (event: DecoderEvent) => void = () => undefined
  const core = new FramerCore(
    {
      frame(buffer, start, end) {
        const frame = frames.decode(buffer, start, end)
        emit({
          kind: 'frame',
          frame:
            readings === undefined
              ? frame
              : {
                  mode: frame.mode,
                  short: frame.short,
                  groups: frame.groups,
                  rejected: frame.rejected,
                  reading: readings.update(frame),
                },
        })
      },
      discarded(reason, byteCount) {
        emit({ kind: 'discarded', reason, byteCount })
      },
    },
    options.maxFrameBytes,
  )
  return {
    write(chunk, onEvent) {
      emit = onEvent
      core.push(chunk)
    },
    push(chunk) {
      const out: DecoderEvent[] = []
      emit = (e) => out.push(e)
      core.push(chunk)
      return out
    },
    end() {
      const out: DecoderEvent[] = []
      emit = (e) => out.push(e)
      core.end()
      return out
    },
  }
}
