import { createReadingBuilder } from '@linkyrpi/tic-core'
import type { DecoderEvent, ReadingBuilder, TicFrame, TicReading } from '@linkyrpi/tic-core'

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
  /** Classifies meters frame by frame without building every reading (fast path of `summary`). */
  private readonly builder = createReadingBuilder()
  private readonly lastFrames = new Map<string, TicFrame>()
  private readonly seen = new Map<string, ReadingBuilder['meter']>()

  add(event: DecoderEvent): void {
    if (event.kind === 'discarded') {
      this.bytesDiscarded += event.byteCount
      this.discardedByReason.set(event.reason, (this.discardedByReason.get(event.reason) ?? 0) + event.byteCount)
      return
    }
    const f = event.frame
    this.frames++
    if (f.short) this.shortFrames++
    this.groupsAccepted += f.groups.length
    this.groupsRejected += f.rejected.length
    this.modes.set(f.mode, (this.modes.get(f.mode) ?? 0) + 1)
    for (const r of f.rejected) this.rejectedByReason.set(r.reason, (this.rejectedByReason.get(r.reason) ?? 0) + 1)
    if (f.reading !== undefined) {
      this.describe(f.reading)
      return
    }
    // No reading on the frame: classify it, and note what is known of a meter when it is left;
    // its contract is read once, at the end, from its last frame.
    const id = f.groups.find((g) => g.label === 'ADCO' || g.label === 'ADSC')?.value
    const current = this.builder.meter
    if (id !== undefined && current.id !== null && id !== current.id) this.noteMeter()
    this.builder.observe(f)
    if (this.builder.meter.id !== null) this.lastFrames.set(this.builder.meter.id, f)
  }

  /** Completes the description of the meters seen (call once the input has ended). */
  finish(): void {
    this.noteMeter()
    for (const [id, seen] of this.seen) {
      const frame = this.lastFrames.get(id)
      const option = frame === undefined ? null : createReadingBuilder().update(frame).contract.option
      this.meters.set(id, `${seen.mode ?? '?'}, ${seen.phases === null ? '?' : String(seen.phases)}-phase, ${seen.kind}${seen.producer ? ', producer' : ''}, option ${option ?? '?'}`)
    }
  }

  private noteMeter(): void {
    const m = this.builder.meter
    if (m.id !== null) this.seen.set(m.id, { ...m })
  }

  private describe(r: TicReading): void {
    if (r.meter.id === null) return
    const m = r.meter
    this.meters.set(
      m.id!,
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
