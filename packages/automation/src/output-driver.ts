import type { Logger } from '@linkyrpi/tic-core/stage'
import type { OutputState } from './automation-schema.js'
import type { Actuator, SwitchContext } from './actuators/actuator.js'

/** Health of one output's actuator. */
export interface DriverStatus {
  /** Last state the actuator accepted (null before the first). */
  readonly applied: OutputState | null
  /** True while the actuator has not yet accepted the latest decided state. */
  readonly pending: boolean
  /** The failure in progress, or null. */
  readonly failing: {
    readonly error: string
    readonly attempts: number
    readonly since: number
  } | null
}

/** Options of {@link createOutputDriver}. */
export interface OutputDriverOptions {
  readonly output: string
  readonly actuator: Actuator
  readonly logger: Logger
  readonly now: () => number
  /** Backoff: first delay and ceiling, ms. */
  readonly retry: { readonly baseMs: number; readonly maxMs: number }
  /** Called at the first failure of a streak and when the streak ends. */
  readonly onFailure?: (error: Error, attempts: number, state: OutputState) => void
  readonly onRecovery?: (attempts: number, state: OutputState) => void
}

/** Drives one actuator towards the latest decided state, one call at a time, retrying with backoff. */
export interface OutputDriver {
  /** The state to reach (replaces any earlier request not yet applied). */
  request(state: OutputState, context: SwitchContext): void
  /** Resolves when the latest request was applied, or after `timeoutMs` (false). */
  settled(timeoutMs: number): Promise<boolean>
  status(): DriverStatus
  /** Stops retrying and closes the actuator. */
  close(): Promise<void>
}

/** Creates a driver. A failing actuator never throws out of it: it is retried until closed. */
export function createOutputDriver(o: OutputDriverOptions): OutputDriver {
  let wanted: { state: OutputState; context: SwitchContext } | null = null
  let applied: OutputState | null = null
  let running = false
  let closed = false
  let failing: { error: string; attempts: number; since: number } | null = null
  let wake: (() => void) | null = null
  let idle: (() => void)[] = []

  async function loop(): Promise<void> {
    running = true
    while (!closed && wanted !== null && (applied !== wanted.state || failing !== null)) {
      const { state, context } = wanted
      try {
        await o.actuator.set(state, context)
        applied = state
        if (failing !== null) {
          o.logger.info('actuator recovered', {
            output: o.output,
            state,
            attempts: failing.attempts,
          })
          o.onRecovery?.(failing.attempts, state)
          failing = null
        }
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e))
        const attempts = (failing?.attempts ?? 0) + 1
        if (failing === null) o.onFailure?.(error, attempts, state)
        failing = { error: error.message, attempts, since: failing?.since ?? o.now() }
        const delay = Math.min(o.retry.maxMs, o.retry.baseMs * 2 ** (attempts - 1))
        o.logger.warn('actuator failed, retrying', {
          output: o.output,
          state,
          attempts,
          delayMs: delay,
          err: error,
        })
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = null
      }
      if (wanted.state === state && applied === state) break
    }
    running = false
    const waiting = idle
    idle = []
    for (const w of waiting) w()
  }

  return {
    request(state, context) {
      wanted = { state, context }
      if (closed) return
      // A new decision is tried at once, not after the current backoff.
      wake?.()
      if (!running) void loop()
    },
    settled(timeoutMs) {
      if (!running) return Promise.resolve(failing === null)
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs)
        idle.push(() => {
          clearTimeout(timer)
          resolve(failing === null)
        })
      })
    },
    status: () => ({
      applied,
      pending: wanted !== null && (applied !== wanted.state || failing !== null),
      failing,
    }),
    async close() {
      closed = true
      wake?.()
      await o.actuator.close()
    },
  }
}
