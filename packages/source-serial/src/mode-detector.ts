import { FramerCore, createFrameDecoder, labelInfo } from '@linkyrpi/tic-core'
import type { FrameDecoder, TicFrame, TicMode } from '@linkyrpi/tic-core'

/** What a {@link ModeDetector} has heard since its last reset. */
export interface ModeEvidence {
  /** Checksum-valid groups with a label of the catalogue, per mode, in complete frames. */
  readonly valid: Readonly<Record<TicMode, number>>
  /** Distinct labels among the valid groups, per mode. */
  readonly labels: Readonly<Record<TicMode, ReadonlySet<string>>>
  /** Groups refused in complete frames (checksum, label, charset, junk between groups…). */
  readonly rejected: number
  /** Complete frames (STX…ETX) holding at least one valid group. */
  readonly frames: number
}

/** One complete frame as the detector judged it. */
export interface FrameVerdict {
  /** The frame's mode (from its groups' separators). */
  readonly mode: TicMode
  /** Checksum-valid groups with a catalogue label. */
  readonly valid: number
  /** Groups refused, and valid groups whose label is not in the catalogue. */
  readonly rejected: number
}

/** A detector of the TIC mode in a byte stream of unknown baud rate and mode. */
export interface ModeDetector {
  /** Feeds a chunk of any size; calls `onFrame` for each frame it completes. */
  push(chunk: Uint8Array): void
  /** Forgets the evidence and any partial frame (a new detection window). */
  reset(): void
  /** The evidence since the last reset. */
  readonly evidence: ModeEvidence
  /**
   * The mode with at least `minGroups` valid groups of at least `minGroups` distinct labels and
   * more valid groups than refused ones, or null.
   */
  decided(minGroups: number): TicMode | null
}

/** Options of {@link createModeDetector}. */
export interface ModeDetectorOptions {
  /** Called synchronously at each complete frame (STX…ETX), valid or not. */
  readonly onFrame?: (verdict: FrameVerdict) => void
}

interface MutableEvidence {
  valid: Record<TicMode, number>
  labels: Record<TicMode, Set<string>>
  rejected: number
  frames: number
}

const empty = (): MutableEvidence => ({
  valid: { historique: 0, standard: 0 },
  labels: { historique: new Set(), standard: new Set() },
  rejected: 0,
  frames: 0,
})

/**
 * Mode detection and link supervision on tic-core's own framer and frame decoder: bytes are
 * framed (STX…ETX, 7-bit mask, EOT, bounded memory) and each complete frame decoded; its groups
 * count as evidence for the frame's mode when their checksum passes and their label is in the
 * catalogue. Both historique checksum rules are tried, so a meter using the rare "mode 2" rule is
 * found too (tic-spec.md §3.3): the mode 2 decoder runs only on frames the mode 1 decoder refused
 * groups of. Garbage heard at a wrong baud rate yields no catalogue groups.
 */
export function createModeDetector(options: ModeDetectorOptions = {}): ModeDetector {
  const onFrame = options.onFrame
  const mode1 = createFrameDecoder({ historiqueChecksum: 'mode1' })
  let mode2: FrameDecoder | undefined
  let evidence = empty()

  const judge = (frame: TicFrame): FrameVerdict => {
    let valid = 0
    for (const g of frame.groups) if (labelInfo(frame.mode, g.label) !== undefined) valid++
    return {
      mode: frame.mode,
      valid,
      rejected: frame.groups.length - valid + frame.rejected.length,
    }
  }

  const count = (frame: TicFrame, verdict: FrameVerdict): void => {
    if (verdict.valid > 0) {
      evidence.valid[verdict.mode] += verdict.valid
      const labels = evidence.labels[verdict.mode]
      for (const g of frame.groups)
        if (labelInfo(verdict.mode, g.label) !== undefined) labels.add(g.label)
      evidence.frames++
    }
    evidence.rejected += verdict.rejected
    onFrame?.(verdict)
  }

  const framer = new FramerCore({
    frame(buffer, start, end) {
      let frame = mode1.decode(buffer, start, end)
      let verdict = judge(frame)
      if (frame.mode === 'historique' && frame.rejected.some((r) => r.reason === 'checksum')) {
        mode2 ??= createFrameDecoder({ historiqueChecksum: 'mode2' })
        const other = mode2.decode(buffer, start, end)
        const otherVerdict = judge(other)
        if (otherVerdict.valid > verdict.valid) {
          frame = other
          verdict = otherVerdict
        }
      }
      count(frame, verdict)
    },
    discarded: () => undefined,
  })

  return {
    push: (chunk) => framer.push(chunk),
    reset() {
      evidence = empty()
      framer.end()
    },
    get evidence() {
      return evidence
    },
    decided(minGroups) {
      for (const mode of ['historique', 'standard'] as const) {
        if (
          evidence.valid[mode] >= minGroups &&
          evidence.labels[mode].size >= minGroups &&
          evidence.valid[mode] > evidence.rejected
        )
          return mode
      }
      return null
    },
  }
}
