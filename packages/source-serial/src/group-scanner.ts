import { CR, ETX, LF, MAX_GROUP_BYTES, STX, decodeGroup, labelInfo } from '@linkyrpi/tic-core'
import type { TicMode } from '@linkyrpi/tic-core'

const BOTH_RULES = { historiqueChecksums: ['mode1', 'mode2'] } as const

/** Counters of a {@link GroupScanner}. */
export interface GroupCounts {
  /** Checksum-valid groups with a label of the catalogue, per mode. */
  readonly valid: Record<TicMode, number>
  /** Distinct labels among the valid groups, per mode. */
  readonly labels: Record<TicMode, Set<string>>
  /** Groups refused (checksum, label, charset…). */
  rejected: number
  /** Frames ended (ETX) after at least one valid group. */
  frames: number
}

/**
 * A light group-level scanner used for baud/mode detection and link supervision: it finds
 * `LF … CR` groups in any chunking, masks bytes to 7 bits, checks each with tic-core's
 * `decodeGroup`, and counts. It never allocates per byte; one group buffer is reused.
 */
export class GroupScanner {
  counts: GroupCounts = GroupScanner.empty()
  /** Called for each valid group with its mode. */
  onValid: ((mode: TicMode) => void) | undefined
  /** Called for each refused group. */
  onRejected: (() => void) | undefined
  /** Called at each ETX that ends a frame holding at least one valid group. */
  onFrame: (() => void) | undefined
  private readonly buf = new Uint8Array(MAX_GROUP_BYTES)
  private len = -1
  private validInFrame = false

  private static empty(): GroupCounts {
    return {
      valid: { historique: 0, standard: 0 },
      labels: { historique: new Set(), standard: new Set() },
      rejected: 0,
      frames: 0,
    }
  }

  /** Forgets the counts (a new detection window); callbacks stay. */
  reset(): void {
    this.counts = GroupScanner.empty()
    this.len = -1
    this.validInFrame = false
  }

  /** Scans a chunk. */
  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]! & 0x7f
      if (b === LF) {
        this.len = 0
      } else if (b === CR) {
        if (this.len > 0) this.check()
        this.len = -1
      } else if (b === STX || b === ETX) {
        if (b === ETX && this.validInFrame) {
          this.counts.frames++
          this.onFrame?.()
        }
        this.validInFrame = false
        this.len = -1
      } else if (this.len >= 0) {
        if (this.len < this.buf.length) this.buf[this.len++] = b
        else this.len = -1
      }
    }
  }

  private check(): void {
    // Both historique checksum rules: a meter using the rare "mode 2" must be found too
    // (tic-spec.md §3.3); the distinct-label rule keeps garbage out.
    const r = decodeGroup(this.buf, 0, this.len, BOTH_RULES)
    if (r.ok && labelInfo(r.mode, r.group.label) !== undefined) {
      this.counts.valid[r.mode]++
      this.counts.labels[r.mode].add(r.group.label)
      this.validInFrame = true
      this.onValid?.(r.mode)
    } else {
      this.counts.rejected++
      this.onRejected?.()
    }
  }

  /** The mode with at least `minGroups` valid groups of `minGroups` distinct labels, or null. */
  decided(minGroups: number): TicMode | null {
    for (const mode of ['historique', 'standard'] as const) {
      if (
        this.counts.valid[mode] >= minGroups &&
        this.counts.labels[mode].size >= minGroups &&
        this.counts.valid[mode] > this.counts.rejected
      )
        return mode
    }
    return null
  }
}
