import { DEFAULT_START } from '@linkyrpi/simulator'
import { Subject, lastValueFrom, toArray } from 'rxjs'
import type { DiagnosticEvent, Logger, PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'
import { describe, expect, it } from 'vitest'
import type { OutputState } from './automation-schema.js'
import type { Actuator } from './actuators/actuator.js'
import { automationSink } from './automation-sink.js'
import type { JournalEvent } from './journal.js'
import { rules, simulatedReadings } from './simulated-readings.test-helper.js'

const MIN = 60_000

function context(now: () => number): StageContext & { logs: string[]; events: DiagnosticEvent[] } {
  const logs: string[] = []
  const events: DiagnosticEvent[] = []
  const logger: Logger = {
    debug: () => undefined,
    info: (m, f) => logs.push(`info ${m} ${JSON.stringify(f)}`),
    warn: (m, f) => logs.push(`warn ${m} ${String((f?.output as string | undefined) ?? '')}`),
    error: (m) => logs.push(`error ${m}`),
    child: () => logger,
  }
  return {
    stage: 'automation',
    logger,
    diagnostics: { report: (e) => events.push(e) },
    now,
    logs,
    events,
  }
}

/** An actuator that records what it was told; fails `failures` times first. */
function recorder(failures = 0): Actuator & { calls: OutputState[] } {
  let left = failures
  const calls: OutputState[] = []
  return {
    calls,
    set(state) {
      calls.push(state)
      if (left-- > 0) return Promise.reject(new Error('device unreachable'))
      return Promise.resolve()
    },
    close: () => Promise.resolve(),
  }
}

const frames = (until: number): PipelineFrame[] =>
  [
    ...simulatedReadings(
      { option: 'hc', intervalMs: MIN, start: DEFAULT_START + 5 * 3_600_000 },
      until,
    ),
  ].map((r, i) => ({
    mode: r.reading.meter.mode,
    short: r.reading.short,
    groups: [],
    rejected: [],
    reading: r.reading,
    meta: { seq: i + 1, receivedAt: r.at, source: 'meter' },
  }))

describe('automationSink', () => {
  const options = rules({
    retry: { baseMs: 10, maxMs: 20 },
    outputs: {
      boiler: { actuator: { type: 'none' }, safe: 'off', when: { period: ['hc'] } },
      pump: { actuator: { type: 'none' }, safe: 'on', when: { period: ['hp'] } },
    },
  })

  it('starts safe, follows the rules, journals every switch, retries a failing actuator without holding the others, and ends safe', async () => {
    const input = frames(DEFAULT_START + 7 * 3_600_000)
    const boiler = recorder()
    const pump = recorder(2)
    const journal: JournalEvent[] = []
    let clock = DEFAULT_START + 5 * 3_600_000
    const ctx = context(() => clock)
    const { sink, controller } = automationSink(
      {
        rules: options,
        journal: () => ({ append: (events) => (journal.push(...events), Promise.resolve()) }),
        createActuator: (_, output) => (output === 'boiler' ? boiler : pump),
      },
      ctx,
    )
    const subject = new Subject<PipelineFrame>()
    const acks = lastValueFrom(sink(subject).pipe(toArray()))
    expect(controller.status().outputs.map((o) => [o.output, o.state, o.reason])).toEqual([
      ['boiler', 'off', 'sécurité: démarrage, en attente de données'],
      ['pump', 'on', 'sécurité: démarrage, en attente de données'],
    ])
    for (const f of input) {
      clock = f.meta.receivedAt
      subject.next(f)
      await new Promise((r) => setImmediate(r))
    }
    await new Promise((r) => setTimeout(r, 100))
    expect(controller.status().outputs.map((o) => [o.output, o.state, o.driver.applied])).toEqual([
      ['boiler', 'off', 'off'],
      ['pump', 'on', 'on'],
    ])
    subject.complete()
    expect((await acks).map((a) => a.seq)).toEqual(input.map((f) => f.meta.seq))
    // Start: safe off; 05:00 HC → on; 06:00 HP → off; shutdown: safe off is already applied.
    expect(boiler.calls).toEqual(['off', 'on', 'off'])
    // The pump failed twice (retried with backoff, the latest decision first), then followed; it ends safe (on).
    expect(pump.calls.at(-1)).toBe('on')
    expect(ctx.logs.filter((l) => l.startsWith('warn actuator failed'))).toHaveLength(2)
    expect(
      ctx.events.filter((e) => e.kind === 'state').map((e) => (e as { state: string }).state),
    ).toEqual(['actuator-failed', 'actuator-recovered'])
    expect(
      journal
        .filter((e) => e.kind === 'automation-switch')
        .map(
          (e) =>
            `${new Date(e.t).toISOString().slice(11, 16)} ${String(e.detail.output)} ${String(e.detail.state)} ${String(e.detail.reason)}`,
        ),
    ).toEqual([
      '04:00 boiler on période HC',
      '04:00 pump off période HC',
      '05:00 boiler off période HP',
      '05:00 pump on période HP',
    ])
    expect(controller.status().running).toBe(false)
  })

  it('overrides an output for a while and journals it', async () => {
    const journal: JournalEvent[] = []
    let clock = DEFAULT_START + 5 * 3_600_000
    const { sink, controller } = automationSink(
      {
        rules: options,
        journal: () => ({ append: (e) => (journal.push(...e), Promise.resolve()) }),
      },
      context(() => clock),
    )
    const subject = new Subject<PipelineFrame>()
    const done = lastValueFrom(sink(subject).pipe(toArray()))
    const input = frames(DEFAULT_START + 5 * 3_600_000 + 5 * MIN)
    for (const f of input) subject.next(f)
    clock = input.at(-1)!.meta.receivedAt
    const forced = controller.override('boiler', 'off', 30 * MIN, 'dashboard')
    expect([forced.state, forced.reason, forced.cause]).toEqual([
      'off',
      "forçage manuel jusqu'à 05:34",
      'override',
    ])
    expect(() => controller.override('nope', 'on', 1000)).toThrow("unknown output 'nope'")
    subject.complete()
    await done
    expect(journal.map((e) => [e.kind, e.detail.output, e.detail.state])).toEqual([
      ['automation-switch', 'boiler', 'on'],
      ['automation-switch', 'pump', 'off'],
      ['automation-override', 'boiler', 'off'],
      ['automation-switch', 'boiler', 'off'],
      ['automation-switch', 'pump', 'on'],
    ])
  })

  it('puts outputs in their safe state when frames stop, on its own clock tick', async () => {
    const pump = recorder()
    let clock = DEFAULT_START + 5 * 3_600_000
    const stale = rules({
      staleAfterS: 0.2,
      outputs: { pump: { actuator: { type: 'none' }, safe: 'off', when: { period: ['hp'] } } },
    })
    const { sink, controller } = automationSink(
      { rules: stale, tickMs: 20, createActuator: () => pump },
      context(() => clock),
    )
    const subject = new Subject<PipelineFrame>()
    const done = lastValueFrom(sink(subject).pipe(toArray()))
    const f = frames(DEFAULT_START + 6 * 3_600_000 + MIN).at(-1)!
    clock = f.meta.receivedAt
    subject.next(f)
    await new Promise((r) => setTimeout(r, 50))
    expect(controller.status().outputs[0]).toMatchObject({ state: 'on', reason: 'période HP' })
    clock += 250
    await new Promise((r) => setTimeout(r, 100))
    expect(controller.status()).toMatchObject({
      stale: true,
      outputs: [{ state: 'off', reason: 'sécurité: plus de données', cause: 'safe' }],
    })
    expect(pump.calls).toEqual(['off', 'on', 'off'])
    subject.complete()
    await done
  })

  it('is not stale while frames keep coming from a source whose clock runs ahead (a simulator at full speed)', async () => {
    const pump = recorder()
    // This stage's clock is a year after the simulated frames' receive times.
    let clock = DEFAULT_START + 365 * 24 * 3_600_000
    const stale = rules({
      staleAfterS: 0.2,
      outputs: { pump: { actuator: { type: 'none' }, safe: 'off', when: { period: ['hp'] } } },
    })
    const { sink, controller } = automationSink(
      { rules: stale, tickMs: 20, createActuator: () => pump },
      context(() => clock),
    )
    const subject = new Subject<PipelineFrame>()
    const done = lastValueFrom(sink(subject).pipe(toArray()))
    subject.next(frames(DEFAULT_START + 6 * 3_600_000 + MIN).at(-1)!)
    await new Promise((r) => setTimeout(r, 100))
    expect(controller.status()).toMatchObject({
      stale: false,
      outputs: [{ state: 'on', reason: 'période HP' }],
    })
    // No frame for longer than staleAfterS on this stage's clock: stale.
    clock += 250
    await new Promise((r) => setTimeout(r, 100))
    expect(controller.status()).toMatchObject({
      stale: true,
      outputs: [{ state: 'off', reason: 'sécurité: plus de données', cause: 'safe' }],
    })
    expect(pump.calls).toEqual(['off', 'on', 'off'])
    subject.complete()
    await done
  })

  it('journals the shutdown switch before it completes, after a journal write still in flight', async () => {
    const boiler = recorder()
    const journal: string[] = []
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    let appends = 0
    const { sink } = automationSink(
      {
        rules: rules({
          outputs: {
            boiler: { actuator: { type: 'none' }, safe: 'off', when: { period: ['hc'] } },
          },
        }),
        // The first write waits (the store is busy with a batch); the others are immediate.
        journal: () => ({
          append: async (events) => {
            if (appends++ === 0) await gate
            journal.push(
              ...events.map((e) => `${String(e.detail.state)} ${String(e.detail.reason)}`),
            )
          },
        }),
        createActuator: () => boiler,
      },
      context(() => DEFAULT_START + 5 * 3_600_000),
    )
    const subject = new Subject<PipelineFrame>()
    let atCompletion: string[] = []
    const done = lastValueFrom(sink(subject).pipe(toArray())).then(() => {
      atCompletion = [...journal]
    })
    subject.next(frames(DEFAULT_START + 5 * 3_600_000 + MIN)[0]!)
    subject.complete()
    setTimeout(release, 20)
    await done
    expect(atCompletion).toEqual(['on période HC', 'off sécurité: arrêt'])
  })
})
