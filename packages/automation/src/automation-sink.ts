import { Observable } from 'rxjs'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import type { ActuatorOptions, AutomationOptions, OutputState } from './automation-schema.js'
import type { Actuator } from './actuators/actuator.js'
import { createActuator } from './actuators/create-actuator.js'
import { createAutomationEngine } from './engine.js'
import type { AutomationEngine, OutputStatus, Switch } from './engine.js'
import type { EventJournal, JournalEvent } from './journal.js'
import { parisIso } from './local-time.js'
import { createOutputDriver } from './output-driver.js'
import type { DriverStatus, OutputDriver } from './output-driver.js'

/** Options of {@link automationSink}. */
export interface AutomationSinkOptions {
  /** The validated `automation` stage options. */
  readonly rules: AutomationOptions
  /** The store's journal, looked up when events are written (the store may start later); none = log only. */
  readonly journal?: () => EventJournal | undefined
  /** Builds actuators (default {@link createActuator}; tests pass fakes). */
  readonly createActuator?: (options: ActuatorOptions, output: string) => Actuator
  /** Clock tick for stale detection and expiring overrides, ms (default 1000). */
  readonly tickMs?: number
  /** At shutdown, how long actuators get to reach the safe state, ms (default 5000). */
  readonly shutdownTimeoutMs?: number
}

/** One output with its actuator's health, for `automation status` and the dashboard. */
export interface AutomationOutputStatus extends OutputStatus {
  readonly label: string
  readonly actuator: ActuatorOptions['type']
  readonly safe: OutputState
  readonly driver: DriverStatus
  /** `since` as ISO 8601 (Paris offset), or null. */
  readonly sinceIso: string | null
}

/** What a running automation stage shows. */
export interface AutomationStatus {
  readonly running: boolean
  readonly stale: boolean
  /** Time of the last reading, epoch ms (decision clock), or null. */
  readonly lastReadingAt: string | null
  readonly outputs: readonly AutomationOutputStatus[]
}

/** The control surface of a running automation stage. */
export interface AutomationController {
  status(): AutomationStatus
  /**
   * Forces `output` to `state` for `durationMs`, or clears its override (`state` null). Journaled
   * as `automation-override`. Throws a TypeError for an unknown output or when the stage is not running.
   */
  override(
    output: string,
    state: OutputState | null,
    durationMs: number,
    by?: string,
  ): AutomationOutputStatus
}

/** The sink and its controller (which works while the sink is subscribed). */
export interface AutomationStage {
  readonly sink: Sink
  readonly controller: AutomationController
}

const JOURNAL_LIMIT = 10_000

/**
 * The automation sink: decides each output's state from every reading and drives its actuator.
 * Lifecycle: on subscribe every output goes to its safe state (a crash left the loads in an
 * unknown state), the first reading recomputes and re-applies; stale data (no frame for
 * `staleAfterS`) puts outputs back to safe; when the input completes (SIGTERM) or errors, every
 * output is put to its safe state before the sink completes. Acks each frame once decided:
 * actuators run beside the stream, each retried with backoff, so a failing one never stalls the
 * pipeline or the other outputs. Every switch is logged and journaled (`automation-switch`).
 */
export function automationSink(options: AutomationSinkOptions, ctx: StageContext): AutomationStage {
  const { rules } = options
  const tickMs = options.tickMs ?? 1000
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5000
  const make = options.createActuator ?? ((a: ActuatorOptions) => createActuator(a))
  interface Live {
    readonly engine: AutomationEngine
    readonly drivers: Map<string, OutputDriver>
    readonly journal: (e: Omit<JournalEvent, 'meter'>) => void
    readonly dispatch: (switches: readonly Switch[]) => void
  }
  let live: Live | null = null

  function outputStatus(
    engine: AutomationEngine,
    drivers: Map<string, OutputDriver>,
    s: OutputStatus,
  ): AutomationOutputStatus {
    const o = rules.outputs[s.output]!
    return {
      ...s,
      label: o.label ?? s.output,
      actuator: o.actuator.type,
      safe: o.safe,
      driver: drivers.get(s.output)!.status(),
      sinceIso: s.since === null ? null : parisIso(s.since),
    }
  }

  const controller: AutomationController = {
    status() {
      if (live === null) return { running: false, stale: false, lastReadingAt: null, outputs: [] }
      const { engine, drivers } = live
      const time = engine.lastReading?.time ?? null
      return {
        running: true,
        stale: engine.stale,
        lastReadingAt: time,
        outputs: engine.status().map((s) => outputStatus(engine, drivers, s)),
      }
    },
    override(output, state, durationMs, by) {
      if (live === null) throw new TypeError('automation is not running')
      if (rules.outputs[output] === undefined) throw new TypeError(`unknown output '${output}'`)
      const { engine, drivers, journal, dispatch } = live
      const now = ctx.now()
      const switches = engine.override(
        output,
        state === null ? null : { state, until: now + durationMs },
        now,
      )
      const current = engine.status().find((s) => s.output === output)!
      const until = current.override?.until ?? null
      ctx.logger.info('automation override', { output, state, until, by })
      journal({
        t: current.since ?? now,
        kind: 'automation-override',
        detail: { output, state, until, by: by ?? null },
      })
      dispatch(switches)
      return outputStatus(engine, drivers, current)
    },
  }

  const sink: Sink = (input) =>
    new Observable<Ack>((subscriber) => {
      const engine = createAutomationEngine(rules)
      const drivers = new Map<string, OutputDriver>()
      // Journal: a bounded queue written in order; (meter, t, kind) is the store's key, so two
      // events of one kind at the same millisecond are spread over the next milliseconds.
      const queue: JournalEvent[] = []
      const lastT = new Map<string, number>()
      let writing = false
      // The write in progress (it writes what is queued meanwhile too): the shutdown waits for it.
      let written: Promise<void> = Promise.resolve()
      let lastMeter: string | null = null
      let journalDelay = 1000
      let journalTimer: NodeJS.Timeout | undefined
      const writeJournal = (): Promise<void> => {
        if (writing) return written
        const journal = options.journal?.()
        if (queue.length === 0) return Promise.resolve()
        if (journal === undefined) {
          queue.length = 0
          return Promise.resolve()
        }
        writing = true
        written = (async () => {
          try {
            while (queue.length > 0) {
              const batch = queue.slice(0, 100)
              await journal.append(batch)
              queue.splice(0, batch.length)
              journalDelay = 1000
            }
          } catch (error) {
            ctx.logger.warn('journal write failed, retrying', {
              events: queue.length,
              delayMs: journalDelay,
              err: error,
            })
            journalTimer = setTimeout(() => void writeJournal(), journalDelay)
            journalDelay = Math.min(60_000, journalDelay * 2)
          } finally {
            writing = false
          }
        })()
        return written
      }
      const journal = (e: Omit<JournalEvent, 'meter'>): void => {
        const meter = engine.lastReading?.meter.id ?? lastMeter
        if (meter === null || options.journal === undefined) return
        const t = Math.max(e.t, (lastT.get(e.kind) ?? -Infinity) + 1)
        lastT.set(e.kind, t)
        queue.push({ ...e, meter, t })
        if (queue.length > JOURNAL_LIMIT) {
          queue.splice(0, queue.length - JOURNAL_LIMIT)
          ctx.logger.warn('journal queue full, oldest events dropped', { limit: JOURNAL_LIMIT })
        }
        void writeJournal()
      }
      for (const [id, o] of Object.entries(rules.outputs)) {
        drivers.set(
          id,
          createOutputDriver({
            output: id,
            actuator: make(o.actuator, id),
            logger: ctx.logger,
            now: ctx.now,
            retry: rules.retry,
            onFailure: (error, attempts, state) => {
              ctx.diagnostics.report({
                kind: 'state',
                stage: ctx.stage,
                state: 'actuator-failed',
                detail: { output: id, state, attempts, error: error.message },
              })
              journal({
                t: ctx.now(),
                kind: 'automation-actuator-error',
                detail: { output: id, state, error: error.message },
              })
            },
            onRecovery: (attempts, state) => {
              ctx.diagnostics.report({
                kind: 'state',
                stage: ctx.stage,
                state: 'actuator-recovered',
                detail: { output: id, state, attempts },
              })
            },
          }),
        )
      }
      const dispatch = (switches: readonly Switch[]): void => {
        for (const s of switches) {
          ctx.logger.info('automation switch', {
            output: s.output,
            state: s.state,
            reason: s.reason,
            at: s.time,
          })
          journal({
            t: s.t,
            kind: 'automation-switch',
            detail: { output: s.output, state: s.state, reason: s.reason, cause: s.cause },
          })
          drivers.get(s.output)!.request(s.state, { output: s.output, reason: s.reason, t: s.t })
        }
      }
      live = { engine, drivers, journal, dispatch }
      dispatch(engine.safeAll(ctx.now(), 'sécurité: démarrage, en attente de données'))
      // The engine runs on the frames' receive clock. A simulator or a replay faster than real time
      // stamps frames ahead of (or behind) this stage's clock, so a tick is given on the receive
      // clock too: the last frame's receive time plus the time elapsed here since it came. Stale
      // data then means no frame for `staleAfterS` here, whatever the source's pace.
      let lastFrame: { readonly receivedAt: number; readonly arrivedAt: number } | null = null
      const timer = setInterval(() => {
        const now = ctx.now()
        dispatch(
          engine.tick(
            lastFrame === null ? now : lastFrame.receivedAt + (now - lastFrame.arrivedAt),
          ),
        )
      }, tickMs)
      let finished = false
      const finish = async (reason: string): Promise<void> => {
        if (finished) return
        finished = true
        clearInterval(timer)
        lastMeter = engine.lastReading?.meter.id ?? null
        dispatch(engine.safeAll(ctx.now(), reason))
        const ok = await Promise.all([...drivers.values()].map((d) => d.settled(shutdownTimeoutMs)))
        if (ok.includes(false))
          ctx.logger.error('some outputs did not reach their safe state', {
            outputs: [...drivers.keys()].filter((_, i) => ok[i] === false),
          })
        await writeJournal()
        clearTimeout(journalTimer)
        await Promise.all([...drivers.values()].map((d) => d.close()))
        if (live?.engine === engine) live = null
      }
      const sub = input.subscribe({
        next(frame: PipelineFrame) {
          lastFrame = { receivedAt: frame.meta.receivedAt, arrivedAt: ctx.now() }
          dispatch(engine.update(frame.reading, frame.meta.receivedAt))
          subscriber.next({ seq: frame.meta.seq, sink: ctx.stage })
        },
        error(error: unknown) {
          void finish('sécurité: panne du pipeline').then(() => subscriber.error(error))
        },
        complete() {
          void finish('sécurité: arrêt').then(() => subscriber.complete())
        },
      })
      return () => {
        sub.unsubscribe()
        void finish('sécurité: arrêt')
      }
    })

  return { sink, controller }
}
