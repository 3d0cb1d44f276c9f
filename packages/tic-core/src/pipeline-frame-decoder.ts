import { createTicDecoder } from './decoder.js'
import type { DecoderEvent, TicDecoderOptions } from './decoder.js'
import type { DiscardEvent } from './framer.js'
import type { GroupRejection } from './group.js'
import type { PipelineFrame } from './stage/index.js'

/** Options of {@link createPipelineFrameDecoder}. */
export interface PipelineFrameDecoderOptions extends Omit<TicDecoderOptions, 'reading'> {
  /** `meta.source` of every frame: the id of the stage the bytes come from. */
  readonly source: string
  /** `meta.seq` of the first frame (default 1). */
  readonly firstSeq?: number
}

/** Where {@link PipelineFrameDecoder} reports, synchronously, as frames complete. */
export interface PipelineFrameSink {
  /** A frame with a reading, stamped with `meta`. */
  frame(frame: PipelineFrame): void
  /** A run of bytes the framer threw away. */
  discarded?(event: DiscardEvent): void
  /** A group that failed its checksum or was malformed (it also stays listed on its frame). */
  rejected?(rejection: GroupRejection): void
}

/** Bytes in, {@link PipelineFrame}s with their `meta` out: the one home of that step. */
export interface PipelineFrameDecoder {
  /**
   * Feeds a chunk; each frame it completes gets `meta.receivedAt = receivedAt()` (called once per
   * frame, only when one completes) and the next `meta.seq`.
   */
  write(chunk: Uint8Array, receivedAt: () => number, sink: PipelineFrameSink): void
  /** Ends the input: a partial frame is reported as discarded. */
  end(receivedAt: () => number, sink: PipelineFrameSink): void
}

/**
 * tic-core's decoder with readings, numbering frames from `firstSeq` and stamping them with their
 * source and receive time: what the pipeline's decoder stage, the store's imports and the test
 * helpers all need. Frames without a reading (none of their groups decoded) are not numbered;
 * their rejected groups are still reported.
 */
export function createPipelineFrameDecoder(
  options: PipelineFrameDecoderOptions,
): PipelineFrameDecoder {
  const { source, firstSeq, ...decoderOptions } = options
  const decoder = createTicDecoder({ ...decoderOptions, reading: true })
  let seq = (firstSeq ?? 1) - 1
  let at: () => number = () => 0
  let out: PipelineFrameSink = { frame: () => undefined }
  const onEvent = (event: DecoderEvent): void => {
    if (event.kind === 'discarded') {
      out.discarded?.(event)
      return
    }
    const { frame } = event
    if (out.rejected !== undefined) for (const rejection of frame.rejected) out.rejected(rejection)
    if (frame.reading === undefined) return
    seq += 1
    out.frame({ ...frame, reading: frame.reading, meta: { seq, receivedAt: at(), source } })
  }
  return {
    write(chunk, receivedAt, sink) {
      at = receivedAt
      out = sink
      decoder.write(chunk, onEvent)
    },
    end(receivedAt, sink) {
      at = receivedAt
      out = sink
      for (const event of decoder.end()) onEvent(event)
    },
  }
}
