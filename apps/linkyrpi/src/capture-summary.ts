import { createReadingBuilder } from '@linkyrpi/tic-core'
import type { DecoderEvent, TicFrame, TicReading } from '@linkyrpi/tic-core'

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
  private lastFrame: TicFrame | undefined

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
    // No reading on the frame: classify it, and describe a meter once it is left or at the end.
    const id = f.groups.find((g) => g.label === 'ADCO' || g.label === 'ADSC')?.value
    if (id !== undefined && this.lastFrame !== undefined && this.builder.meter.id !== null && id !== this.builder.meter.id) {
      this.describe(this.builder.update(this.lastFrame))
    }
    this.builder.observe(f)
    this.lastFrame = f
  }

  /** Completes the description of the last meter seen (call once the input has ended). */
  finish(): void {
    if (this.lastFrame !== undefined && this.builder.meter.id !== null) this.describe(this.builder.update(this.lastFrame))
    this.lastFrame = undefined
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
