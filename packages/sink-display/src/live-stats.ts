import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import type { RejectedMinute } from './protocol.js'

const MINUTES = 60

/** Frame and rejected-group counters kept by the dashboard itself (bounded: 60 minutes). */
export class LiveStats {
  frames = 0
  readonly rejectedByReason: Record<string, number> = {}
  readonly #minutes: { t: number; byReason: Record<string, number> }[] = []
  #windowStart: number
  #windowFrames = 0

  constructor(now: number) {
    this.#windowStart = now
  }

  /** Counts one frame received at `t`. */
  observe(frame: PipelineFrame, t: number): void {
    this.frames++
    this.#windowFrames++
    if (frame.rejected.length === 0) return
    const minute = Math.floor(t / 60_000) * 60_000
    let last = this.#minutes[this.#minutes.length - 1]
    if (last === undefined || last.t !== minute) {
      last = { t: minute, byReason: {} }
      this.#minutes.push(last)
      if (this.#minutes.length > MINUTES) this.#minutes.shift()
    }
    for (const r of frame.rejected) {
      last.byReason[r.reason] = (last.byReason[r.reason] ?? 0) + 1
      this.rejectedByReason[r.reason] = (this.rejectedByReason[r.reason] ?? 0) + 1
    }
  }

  /** Frames per second since the previous call (or since start); starts a new window. */
  takeRate(now: number): number {
    const elapsed = (now - this.#windowStart) / 1000
    const rate = elapsed > 0 ? this.#windowFrames / elapsed : 0
    this.#windowStart = now
    this.#windowFrames = 0
    return Math.round(rate * 100) / 100
  }

  /** The rejected-groups minutes within the last hour before `now`, oldest first. */
  perMinute(now: number): RejectedMinute[] {
    return this.#minutes
      .filter((m) => m.t > now - MINUTES * 60_000)
      .map((m) => ({ t: m.t, byReason: { ...m.byReason } }))
  }
}
