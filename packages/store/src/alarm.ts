import type { SchedulerLike, Subscription } from 'rxjs'

/** One pending timer on an RxJS scheduler (virtual under TestScheduler): set, cleared, or fired once. */
export class Alarm {
  readonly #scheduler: SchedulerLike
  #pending: Subscription | undefined

  constructor(scheduler: SchedulerLike) {
    this.#scheduler = scheduler
  }

  /** True while set and not yet fired. */
  get armed(): boolean {
    return this.#pending !== undefined
  }

  /** Calls `fire` after `delayMs` (ms); replaces an alarm already set. */
  set(delayMs: number, fire: () => void): void {
    this.clear()
    this.#pending = this.#scheduler.schedule(() => {
      this.#pending = undefined
      fire()
    }, delayMs)
  }

  /** Cancels the alarm if set. */
  clear(): void {
    this.#pending?.unsubscribe()
    this.#pending = undefined
  }
}
