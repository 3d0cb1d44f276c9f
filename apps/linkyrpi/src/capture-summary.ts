import { createReadingBuilder } from '@linkyrpi/tic-core'
import type { DecoderEvent, TicFrame, TicReading } from '@linkyrpi/tic-core'

/** Frames per meter the summary classifies (enough for the reading builder's hysteresis). */
const RECENT_FRAMES = 8

/** Counts what a decode saw, for `decode --format summary` and the end-of-run report. */
export class CaptureSummary {
  frames = 0
  shortFrames = 0
  groupsAccepted = 0
  groupsRejected = 0
  readonly rejectedByReason = new Map<string, number>()
  readonly discardedByReason = new Map<string, number>()
  bytesDiscarded = 0
  readonly modes = new Map<string, number>()
  readonly meters = new Map<string, string>()
  /** The last frames of each meter (by id), classified when the input ends. */
  private readonly recent = new Map<string, TicFrame[]>()
  private currentId: string | undefined

  add(event: DecoderEvent): void {
    if (event.kind === 'discarded') {
      this.bytesDiscarded += event.byteCount
      this.discardedByReason.set(
        event.reason,
        (this.discardedByReason.get(event.reason) ?? 0) + event.byteCount,
      )
      return
    }
    const f = event.frame
    this.frames++
    if (f.short) this.shortFrames++
    this.groupsAccepted += f.groups.length
    this.groupsRejected += f.rejected.length
    this.modes.set(f.mode, (this.modes.get(f.mode) ?? 0) + 1)
    for (const r of f.rejected)
      this.rejectedByReason.set(r.reason, (this.rejectedByReason.get(r.reason) ?? 0) + 1)
    if (f.reading !== undefined) {
      this.describe(f.reading)
      return
    }
    // No reading on the frame: keep each meter's last frames; they are classified at the end
    // (cheaper than following every frame, and what a summary needs).
    let id: string | undefined
    for (const g of f.groups) {
      if (g.label === 'ADCO' || g.label === 'ADSC') {
        id = g.value
        break
      }
    }
    if (id !== undefined) this.currentId = id
    if (this.currentId === undefined) return
    let recent = this.recent.get(this.currentId)
    if (recent === undefined) this.recent.set(this.currentId, (recent = []))
    recent.push(f)
    if (recent.length > RECENT_FRAMES) recent.shift()
  }

  /** Describes the meters seen from their last frames (call once the input has ended). */
  finish(): void {
    for (const frames of this.recent.values()) {
      const builder = createReadingBuilder()
      let reading: TicReading | undefined
      for (const f of frames) reading = builder.update(f)
      if (reading !== undefined) this.describe(reading)
    }
  }

  private describe(r: TicReading): void {
    const m = r.meter
    if (m.id === null) return
    this.meters.set(
      m.id,
      `${m.mode}, ${m.phases === null ? '?' : String(m.phases)}-phase, ${m.kind}${m.producer ? ', producer' : ''}, option ${r.contract.option ?? '?'}`,
    )
  }

  /** True when nothing was lost beyond the usual partial first/last frame. */
  get healthy(): boolean {
    const total = this.groupsAccepted + this.groupsRejected
    return this.frames > 0 && total > 0 && this.groupsRejected / total < 0.01
  }

  format(): string {
    const map = (m: Map<string, number>): string =>
      m.size === 0 ? 'none' : [...m].map(([k, v]) => `${k} ${String(v)}`).join(', ')
    const total = this.groupsAccepted + this.groupsRejected
    const pct = total === 0 ? 0 : (100 * this.groupsRejected) / total
    const lines = [
      `frames: ${String(this.frames)}${this.shortFrames > 0 ? ` (${String(this.shortFrames)} short)` : ''}`,
      `modes: ${map(this.modes)}`,
      `groups accepted: ${String(this.groupsAccepted)}`,
      `groups rejected: ${String(this.groupsRejected)} (${pct.toFixed(2)}%)${this.groupsRejected > 0 ? ` — ${map(this.rejectedByReason)}` : ''}`,
      `bytes discarded: ${String(this.bytesDiscarded)}${this.bytesDiscarded > 0 ? ` — ${map(this.discardedByReason)}` : ''}`,
      ...[...this.meters].map(([id, what]) => `meter ${id}: ${what}`),
      `healthy: ${this.healthy ? 'yes' : this.frames === 0 ? 'no (no complete frame: wrong baud rate or not a TIC stream?)' : 'no (more than 1% of groups rejected: check wiring and noise)'}`,
    ]
    return `${lines.join('\n')}\n`
  }
}
