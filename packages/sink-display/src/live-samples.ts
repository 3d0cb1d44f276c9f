import type { LiveSamplesAnswer } from './protocol.js'

/** Time the buffer serves, ms: the Live curve's window (10 minutes). */
export const LIVE_WINDOW_MS = 600_000
/**
 * Samples kept (default): 10 minutes at up to 6.8 frames per second, 64 KiB. Meters send about
 * one frame a second or less; a faster feed keeps its newest samples only.
 */
export const LIVE_CAPACITY = 4096

/**
 * The apparent (and injected) power of the last frames of one meter, in a preallocated ring
 * buffer: a page opened late gets the curve a page open all along has drawn. Times are the
 * frames' `receivedAt` (epoch ms), powers VA; pushing allocates nothing. Mirrors the page's
 * curve rules: a frame not later than the previous one is skipped, a clock that went back more
 * than a second (replay, another source) or another meter starts the buffer over.
 */
export class LiveSamples {
  readonly #t: Float64Array
  /** NaN for a missing value. */
  readonly #va: Float32Array
  readonly #inj: Float32Array
  /** Index of the oldest sample. */
  #head = 0
  #size = 0
  #meter: string | null = null

  constructor(readonly capacity = LIVE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new TypeError(`"capacity" must be a positive integer, got ${String(capacity)}`)
    this.#t = new Float64Array(capacity)
    this.#va = new Float32Array(capacity)
    this.#inj = new Float32Array(capacity)
  }

  /** Samples held. */
  get size(): number {
    return this.#size
  }

  /** Adds the powers of a frame of `meter` (null when the frame names none) received at `t`. */
  push(meter: string | null, t: number, va: number | null, inj: number | null): void {
    if (meter !== null && meter !== this.#meter) {
      if (this.#meter !== null) this.clear()
      this.#meter = meter
    }
    if (this.#size > 0) {
      const last = this.#t[(this.#head + this.#size - 1) % this.capacity]!
      if (t < last - 1000) this.clear()
      else if (t <= last) return
    }
    const i = (this.#head + this.#size) % this.capacity
    this.#t[i] = t
    this.#va[i] = va ?? NaN
    this.#inj[i] = inj ?? NaN
    if (this.#size < this.capacity) this.#size++
    else this.#head = (this.#head + 1) % this.capacity
  }

  /** Forgets every sample (the meter is kept). */
  clear(): void {
    this.#head = 0
    this.#size = 0
  }

  /** The samples received after `now − windowMs`, oldest first, as columns. */
  window(now: number, windowMs = LIVE_WINDOW_MS): LiveSamplesAnswer {
    const from = now - windowMs
    const t: number[] = []
    const va: (number | null)[] = []
    const inj: (number | null)[] = []
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) % this.capacity
      const at = this.#t[i]!
      if (at <= from) continue
      const v = this.#va[i]!
      const w = this.#inj[i]!
      t.push(at)
      va.push(Number.isNaN(v) ? null : v)
      inj.push(Number.isNaN(w) ? null : w)
    }
    return { meter: this.#meter, t, va, inj }
  }
}
