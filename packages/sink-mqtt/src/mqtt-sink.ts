import { Observable } from 'rxjs'
import type { Ack, PipelineFrame, Sink, StageContext } from '@linkyrpi/tic-core/stage'
import { AutomationSwitches } from './automation-switches.js'
import { deviceOf, discoveryMessage } from './discovery.js'
import type { EntitySpec } from './entities.js'
import { MeterLink } from './meter-link.js'
import { MeterState } from './meter-state.js'
import { resolveMqttOptions } from './options.js'
import type { MeterEvent, MqttSinkOptions, ResolvedMqttOptions } from './options.js'
import { isTopicSafeMeter, meterTopics } from './topics.js'

/** One frame waiting for its ack. */
interface Entry {
  readonly seq: number
  done: boolean
}

/** Events kept per meter while its broker connection is down (the oldest are dropped beyond). */
const MAX_PENDING_EVENTS = 100

/** A meter: its Home Assistant state, its connection, and what waits for that connection. */
interface Meter {
  readonly id: string
  readonly state: MeterState
  readonly link: MeterLink
  /** Frames folded while disconnected: acknowledged once the state is published again. */
  waiting: Entry[]
  pendingEvents: MeterEvent[]
  /** Entities whose discovery config is not published yet. */
  pendingDiscovery: Map<string, EntitySpec>
}

/**
 * Publishes each meter's readings to MQTT (see {@link MqttSinkOptions}):
 * `<prefix>/<meter>/state` (flat JSON of the Home Assistant entities' values, retained),
 * `<prefix>/<meter>/availability` (`online` retained at connect; `offline` retained at clean
 * shutdown and as the last will), `<prefix>/<meter>/event` (events, not retained), and Home
 * Assistant discovery configs (`<discoveryPrefix>/<component>/linkyrpi_<meter>/<key>/config`,
 * retained), published again when Home Assistant says `online`.
 *
 * Each meter gets its own connection, opened at its first frame. A frame is acknowledged, in
 * input order, once what it changed is accepted by the broker (QoS ≥ 1) or when it changed
 * nothing the throttle lets through. While a meter's broker connection is down its frames are
 * folded into the latest state and wait (the pipeline's buffer policy bounds them); on reconnect
 * availability, discovery, the latest state and pending events are published again, then those
 * frames are acknowledged. Stale states are never replayed: Home Assistant would record them at
 * the wrong time. Frames without a usable meter id are acknowledged without a publish.
 *
 * Completes after the input completes, every ack is out and every meter said `offline`;
 * unsubscribing closes the sockets at once (the broker then publishes the last wills). Errors
 * only with `MqttAuthError` (the broker refuses the credentials). Options are checked at once
 * (`TypeError` listing every problem).
 *
 * With `automation`, the node's automation outputs are Home Assistant switches too
 * (`AutomationSwitches`: state, attributes, and a command topic acting as the manual override).
 */
export function mqttSink(options: MqttSinkOptions, ctx: StageContext): Sink {
  const o: ResolvedMqttOptions = resolveMqttOptions(options)
  return (input: Observable<PipelineFrame>) =>
    new Observable<Ack>((subscriber) => {
      const meters = new Map<string, Meter>()
      const ledger: Entry[] = []
      let head = 0
      let inputDone = false
      let finishing = false
      const unsafe = new Set<string>()
      const switches =
        o.automation === undefined
          ? null
          : new AutomationSwitches(o, ctx, o.automation, (error) => {
              if (!subscriber.closed) subscriber.error(error)
            })

      const emitAcks = (): void => {
        while (head < ledger.length && ledger[head]!.done) {
          subscriber.next({ seq: ledger[head]!.seq, sink: ctx.stage })
          head++
        }
        if (head > 1024 && head * 2 > ledger.length) {
          ledger.splice(0, head)
          head = 0
        }
        if (inputDone && head === ledger.length) void finish()
      }
      const markDone = (entries: readonly Entry[]): void => {
        for (const e of entries) e.done = true
        emitAcks()
      }

      const finish = async (): Promise<void> => {
        if (finishing) return
        finishing = true
        await Promise.all([
          ...[...meters.values()].map((m) =>
            m.link
              .close(false)
              .catch((error: unknown) =>
                ctx.logger.warn('MQTT close failed', { meter: m.id, error }),
              ),
          ),
          switches
            ?.close(false)
            .catch((error: unknown) =>
              ctx.logger.warn('MQTT close failed', { meter: 'automation', error }),
            ),
        ])
        subscriber.complete()
      }

      /** Publishes what a meter owes the broker; resolves when the broker has all of it. */
      const flush = (
        m: Meter,
        withState: boolean,
        events: readonly MeterEvent[],
      ): Promise<unknown> => {
        const p: Promise<void>[] = []
        if (o.discovery && m.pendingDiscovery.size > 0) {
          for (const spec of m.pendingDiscovery.values()) {
            const d = discoveryMessage(
              spec,
              m.id,
              m.state.device,
              m.link.topics,
              o.discoveryPrefix,
              o.lang,
            )
            p.push(m.link.publish(d.topic, JSON.stringify(d.payload), 1, true))
          }
          m.pendingDiscovery.clear()
        }
        if (withState)
          p.push(m.link.publish(m.link.topics.state, m.state.stateJson(), o.qos, o.retain))
        for (const e of events)
          p.push(
            m.link.publish(
              m.link.topics.event,
              JSON.stringify({
                at: new Date(m.state.last?.t ?? ctx.now()).toISOString(),
                kind: e.kind,
                detail: e.detail,
              }),
              o.qos,
              false,
            ),
          )
        return Promise.all(p)
      }

      /** (Re)connected: announce everything again, then release the frames that waited. */
      const resync = (m: Meter): void => {
        if (m.state.last === null) return
        const waiting = m.waiting
        const events = m.pendingEvents
        m.waiting = []
        m.pendingEvents = []
        if (o.discovery) for (const spec of m.state.all) m.pendingDiscovery.set(spec.key, spec)
        Promise.all([
          m.link.publish(m.link.topics.availability, 'online', 1, true),
          flush(m, true, events),
        ]).then(
          () => markDone(waiting),
          (error: unknown) => {
            // Lost again before the broker had it all: the next connect publishes it again.
            ctx.logger.debug('re-publish interrupted', { meter: m.id, error })
            m.waiting = [...waiting, ...m.waiting]
          },
        )
      }

      const meterOf = (id: string): Meter => {
        let m = meters.get(id)
        if (m !== undefined) return m
        const state = new MeterState(o, (r) => deviceOf(id, r), o.pricing)
        const created: Meter = {
          id,
          state,
          waiting: [],
          pendingEvents: [],
          pendingDiscovery: new Map(),
          link: new MeterLink(id, meterTopics(o.prefix, id), o, ctx, {
            onConnect: () => resync(created),
            onHomeAssistantOnline: () => {
              ctx.logger.info('Home Assistant is online: publishing discovery again', { meter: id })
              for (const spec of created.state.all) created.pendingDiscovery.set(spec.key, spec)
              if (created.link.connected)
                void flush(created, true, []).catch((error: unknown) =>
                  ctx.logger.debug('discovery re-publish interrupted', { meter: id, error }),
                )
            },
            onFatal: (error) => {
              if (!subscriber.closed) subscriber.error(error)
            },
          }),
        }
        m = created
        meters.set(id, m)
        return m
      }

      const subscription = input.subscribe({
        next(frame) {
          const entry: Entry = { seq: frame.meta.seq, done: false }
          ledger.push(entry)
          const r = frame.reading
          const id = r.meter.id
          if (id === null || !isTopicSafeMeter(id)) {
            if (id !== null && !unsafe.has(id) && unsafe.size < 100) {
              unsafe.add(id)
              ctx.logger.warn('meter id unfit for a topic: its frames are not published', {
                meter: id,
              })
            }
            entry.done = true
            emitAcks()
            return
          }
          const m = meterOf(id)
          const t = frame.meta.receivedAt
          const prev = m.state.last
          const { stateChanged, newEntities } = m.state.fold(r, t)
          if (o.discovery) for (const spec of newEntities) m.pendingDiscovery.set(spec.key, spec)
          const events =
            o.events !== undefined && prev !== null ? o.events(prev.reading, prev.t, r, t) : []
          if (!m.link.connected) {
            m.waiting.push(entry)
            for (const e of events) m.pendingEvents.push(e)
            if (m.pendingEvents.length > MAX_PENDING_EVENTS)
              m.pendingEvents.splice(0, m.pendingEvents.length - MAX_PENDING_EVENTS)
            return
          }
          if (!stateChanged && events.length === 0 && m.pendingDiscovery.size === 0) {
            entry.done = true
            emitAcks()
            return
          }
          flush(m, stateChanged, events).then(
            () => markDone([entry]),
            () => {
              // The connection dropped with this publish in flight: the reconnect re-publishes the state.
              m.waiting.push(entry)
              if (m.link.connected) resync(m)
            },
          )
        },
        error(error: unknown) {
          subscriber.error(error)
        },
        complete() {
          inputDone = true
          emitAcks()
        },
      })

      return () => {
        subscription.unsubscribe()
        if (!finishing) {
          for (const m of meters.values()) void m.link.close(true)
          void switches?.close(true)
        }
      }
    })
}
