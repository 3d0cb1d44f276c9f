import { encodeGroup, formatHorodate } from '@linkyrpi/tic-core'
import type { GroupSpec, TicAlert, TicMode } from '@linkyrpi/tic-core'

/**
 * Encodings the meter reuses from frame to frame: groups whose bytes rarely change (the long
 * PJOURF+1, PPOINTE, MSG1…), encoded once per label, and horodates by instant.
 */
export class GroupCache {
  private readonly encoded = new Map<string, { mode: TicMode; value: string; bytes: Uint8Array }>()
  private readonly horodates = new Map<number, string>()

  /** The bytes of group `label` `value` in `mode`, re-encoded only when the value or mode changed. */
  fixed(mode: TicMode, label: string, value: string): Uint8Array {
    const e = this.encoded.get(label)
    if (e !== undefined && e.value === value && e.mode === mode) return e.bytes
    const bytes = encodeGroup(mode, { label, value })
    this.encoded.set(label, { mode, value, bytes })
    return bytes
  }

  /** The horodate of `t` (epoch ms), e.g. `H260112000000`; keeps at most about 64. */
  horodate(t: number): string {
    let hd = this.horodates.get(t)
    if (hd === undefined) {
      if (this.horodates.size > 64) this.horodates.clear()
      hd = formatHorodate(t)
      this.horodates.set(t, hd)
    }
    return hd
  }
}

/** The groups of one frame, in order: specs to encode, or bytes already encoded. */
export class FrameGroups {
  readonly items: (GroupSpec | Uint8Array)[] = []

  constructor(
    readonly mode: TicMode,
    private readonly cache: GroupCache,
  ) {}

  /** Appends group `label` `value`, with a horodate when given. */
  add(label: string, value: string, horodate?: string): void {
    this.items.push(horodate === undefined ? { label, value } : { label, value, horodate })
  }

  /** Appends a group whose value rarely changes, its bytes taken from the cache. */
  addFixed(label: string, value: string): void {
    this.items.push(this.cache.fixed(this.mode, label, value))
  }

  /** The horodate of `t` (epoch ms). */
  horodate(t: number): string {
    return this.cache.horodate(t)
  }
}

/** What a frame's groups say, for the expected reading: what the historique or standard builder returns. */
export interface FrameBody {
  /** Alerts the frame raises (unsorted). */
  readonly alerts: ReadonlySet<TicAlert>
  /** Total energy withdrawn in Wh, as sent (0 in a short frame). */
  readonly importWh: number
  /** The supplier indexes sent, in Wh, keyed 1-10 (empty in a short frame). */
  readonly byIndex: Readonly<Record<number, number>>
  /** Total energy injected in Wh (EAIT), null when not sent. */
  readonly exportWh: number | null
  /** RMS current per reported phase in A. */
  readonly rmsA: number[]
  /** Apparent power withdrawn in VA (PAPP, SINSTS), null when not sent. */
  readonly apparent: number | null
  /** Apparent power injected in VA (SINSTI), null when not sent. */
  readonly injected: number | null
  /** Relay states (RELAIS), null in historique. */
  readonly relays: boolean[] | null
  /** Meter time (DATE) as ISO 8601 with its offset, null in historique. */
  readonly time: string | null
}
