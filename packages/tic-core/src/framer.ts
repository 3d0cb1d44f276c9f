import { EOT, ETX, STX } from './constants.js'

/** Why the framer threw bytes away. */
export type DiscardReason =
  /** Bytes outside STX…ETX: before the first STX (a partial first frame) or between frames. */
  | 'outside-frame'
  /** A frame cut by EOT (tic-spec.md §1.4): the meter stopped mid-frame. */
  | 'interrupted'
  /** A frame cut by a new STX before its ETX. */
  | 'restarted'
  /** A frame longer than `maxFrameBytes`: dropped up to the next STX. */
  | 'oversize'
  /** The input ended in the middle of a frame (end of a capture, port closed). */
  | 'truncated'

/** A run of discarded bytes, reported once per run. */
export interface DiscardEvent {
  readonly kind: 'discarded'
  readonly reason: DiscardReason
  /** Number of bytes thrown away in this run. */
  readonly byteCount: number
}

/** The bytes of one frame between STX and ETX (both excluded), masked to 7 bits. */
export interface RawFrame {
  readonly bytes: Uint8Array
}

/** Events of {@link createTicFramer}. */
export type FramerEvent = { readonly kind: 'frame'; readonly frame: RawFrame } | DiscardEvent

/** Options of {@link createTicFramer}. */
export interface FramerOptions {
  /**
   * Largest frame accepted, in bytes between STX and ETX (default 4096: a three-phase producer
   * frame in standard mode is about 1.3 kB). Bounds the framer's memory.
   */
  readonly maxFrameBytes?: number
}

/** Default of {@link FramerOptions.maxFrameBytes}. */
export const DEFAULT_MAX_FRAME_BYTES = 4096

/** Callbacks of the allocation-free framer core (used by the decoder's hot path). */
export interface FramerSink {
  /**
   * A complete frame is `buffer[start, end)`, 7-bit. The buffer (the framer's own, or the
   * caller's chunk) must not be kept after the call returns.
   */
  frame(buffer: Uint8Array, start: number, end: number): void
  discarded(reason: DiscardReason, byteCount: number): void
}

/** Runs shorter than this are scanned byte by byte (serial ports deliver small chunks). */
const WORD_SCAN_MIN = 32

const OUTSIDE = 0
const INSIDE = 1
const SKIPPING = 2

/**
 * The framer's state machine, calling `sink` synchronously. Bytes are masked to 7 bits (the
 * line is 7E1; a port opened 8N1 leaves parity in bit 7). Memory is one buffer of
 * `maxFrameBytes`, whatever the input.
 */
export class FramerCore {
  private readonly buffer: Uint8Array
  private length = 0
  private state = OUTSIDE
  private pendingDiscard = 0
  private pendingReason: DiscardReason = 'outside-frame'
  /** See {@link wordView}. */
  private words: Int32Array | undefined

  constructor(
    private readonly sink: FramerSink,
    maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  ) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 16) {
      throw new RangeError(`"maxFrameBytes" must be an integer >= 16, got ${String(maxFrameBytes)}`)
    }
    this.buffer = new Uint8Array(maxFrameBytes)
  }

  /** Feeds a chunk of any size. Never throws on any byte values. */
  push(input: Uint8Array): void {
    // A plain Uint8Array view of Node Buffers: their subarray() is much slower, and frames are
    // decoded straight from the chunk.
    const chunk =
      input.constructor === Uint8Array
        ? input
        : new Uint8Array(input.buffer, input.byteOffset, input.length)
    const n = chunk.length
    const buf = this.buffer
    const max = buf.length
    let i = 0
    while (i < n) {
      if (this.state === INSIDE && this.length === 0) {
        // Fast path: a frame that starts in this chunk is scanned without copying. Plain 7-bit
        // bytes other than control characters need no masking; at the first byte that does
        // (ETX ends the frame; anything else goes to the careful loop below) we decide.
        const from = i
        const limit = Math.min(n, i + max)
        i = this.scanPlain(chunk, i, limit)
        const c = i < limit ? chunk[i]! : 0
        if (i < limit && c === ETX) {
          i++
          this.state = OUTSIDE
          this.sink.frame(chunk, from, i - 1)
          continue
        }
        // Hand over to the careful loop: copy what was scanned (already 7-bit) and go on.
        buf.set(chunk.subarray(from, i))
        this.length = i - from
        if (i >= n) continue
      }
      if (this.state === INSIDE) {
        let len = this.length
        const limit = Math.min(n, i + (max - len))
        let c = 0
        for (; i < limit; i++) {
          c = chunk[i]! & 0x7f
          if (c <= EOT && c >= STX) break
          buf[len++] = c
        }
        this.length = len
        if (i < limit) {
          i++
          if (c === ETX) {
            this.state = OUTSIDE
            this.length = 0
            this.sink.frame(buf, 0, len)
          } else if (c === STX) {
            this.sink.discarded('restarted', len + 1)
            this.length = 0
          } else {
            this.sink.discarded('interrupted', len + 2)
            this.state = OUTSIDE
            this.length = 0
          }
        } else if (i < n) {
          // Frame overflow: drop it and everything up to the next STX.
          this.state = SKIPPING
          this.pendingReason = 'oversize'
          this.pendingDiscard = len + 1
          this.length = 0
        }
      } else {
        let count = 0
        for (; i < n; i++) {
          if ((chunk[i]! & 0x7f) === STX) break
          count++
        }
        this.pendingDiscard += count
        if (this.state === OUTSIDE) this.pendingReason = 'outside-frame'
        if (i < n) {
          i++
          this.flushDiscard()
          this.state = INSIDE
          this.length = 0
        }
      }
    }
  }

  /**
   * The index of the first byte of `chunk[i, limit)` that is not plain 7-bit data (a control
   * character STX/ETX/EOT or below, or a byte with bit 7 set), or `limit`. Long runs are read 4
   * bytes at a time through a 32-bit view of the chunk's memory (a frame is about 1 kB in
   * standard mode): a word has no such byte when neither `w` nor `w - 0x05050505` has a bit 7
   * set in any byte (a borrow only flags bytes above a byte already flagged).
   */
  private scanPlain(chunk: Uint8Array, i: number, limit: number): number {
    const off = chunk.byteOffset
    if (limit - i >= WORD_SCAN_MIN) {
      // Bytes up to a 4-byte boundary of the memory, then whole words.
      const aligned = i + ((4 - ((off + i) & 3)) & 3)
      for (; i < aligned; i++) {
        const c = chunk[i]!
        if (c <= EOT || c >= 0x80) return i
      }
      const words = this.wordView(chunk)
      let w = (off + i) >> 2
      const wordEnd = (off + limit) >> 2
      while (w < wordEnd) {
        const x = words[w]!
        if ((((x - 0x05050505) | x) & 0x80808080) !== 0) break
        w++
      }
      i = (w << 2) - off
    }
    for (; i < limit; i++) {
      const c = chunk[i]!
      if (c <= EOT || c >= 0x80) return i
    }
    return limit
  }

  /** A 32-bit view of the whole memory of `chunk` (kept while chunks come from the same memory). */
  private wordView(chunk: Uint8Array): Int32Array {
    const endWord = (chunk.byteOffset + chunk.length) >> 2
    let words = this.words
    if (words === undefined || words.buffer !== chunk.buffer || words.length < endWord) {
      words = new Int32Array(chunk.buffer, 0, chunk.buffer.byteLength >> 2)
      this.words = words
    }
    return words
  }

  /** Reports bytes still held (a partial frame or pending discards) as discarded; resets. */
  end(): void {
    if (this.state === INSIDE && this.length + 1 > 0) {
      this.pendingReason = 'truncated'
      this.pendingDiscard += this.length + 1
    }
    this.flushDiscard()
    this.state = OUTSIDE
    this.length = 0
  }

  private flushDiscard(): void {
    if (this.pendingDiscard > 0) {
      this.sink.discarded(this.pendingReason, this.pendingDiscard)
      this.pendingDiscard = 0
    }
    this.pendingReason = 'outside-frame'
  }
}

/** An incremental TIC framer: feed chunks, get frames and discard reports. */
export interface TicFramer {
  /** Feeds a chunk of any size (one byte or megabytes); returns the events it completed. */
  push(chunk: Uint8Array): FramerEvent[]
  /** Ends the input: a partial frame still held is reported as discarded. */
  end(): FramerEvent[]
}

/**
 * Creates a framer: waits for STX, collects bytes until ETX, drops frames cut by EOT or by a new
 * STX, discards anything outside frames, and never holds more than `maxFrameBytes`.
 * Each emitted {@link RawFrame} owns a copy of its bytes.
 */
export function createTicFramer(options: FramerOptions = {}): TicFramer {
  let events: FramerEvent[] = []
  const core = new FramerCore(
    {
      frame: (buffer, start, end) =>
        events.push({ kind: 'frame', frame: { bytes: buffer.slice(start, end) } }),
      discarded: (reason, byteCount) => events.push({ kind: 'discarded', reason, byteCount }),
    },
    options.maxFrameBytes,
  )
  const take = (): FramerEvent[] => {
    const out = events
    events = []
    return out
  }
  return {
    push(chunk) {
      core.push(chunk)
      return take()
    },
    end() {
      core.end()
      return take()
    },
  }
}
