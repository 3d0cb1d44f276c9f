import { describe, expect, it } from 'vitest'
import { automationOptionsSchema } from './automation-schema.js'

const issues = (raw: unknown): string[] => {
  const r = automationOptionsSchema.safeParse(raw)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('automation options', () => {
  it('accepts the form of issue #13 and applies the defaults', () => {
    const r = automationOptionsSchema.parse({
      outputs: {
        'water-heater': {
          actuator: { type: 'mqtt', topic: 'home/ballon/set', on: 'ON', off: 'OFF' },
          safe: 'off',
          when: { period: ['hc'] },
        },
        heating: {
          actuator: { type: 'gpio', chip: 'gpiochip0', line: 17, activeLow: true },
          safe: 'on',
          when: { not: { all: [{ tempoToday: ['red'] }, { period: ['hp'] }] } },
          shed: { priority: 2, powerW: 3000 },
        },
        charger: {
          actuator: {
            type: 'http',
            on: { url: 'http://192.0.2.10/relay/0?turn=on' },
            off: { url: 'http://192.0.2.10/relay/0?turn=off' },
          },
          safe: 'off',
          when: { any: [{ relay: 1 }, { time: '01:00-06:00' }] },
          shed: { priority: 1, powerW: 7400 },
        },
      },
      shedding: { marginVA: 500, restoreMarginVA: 1500, minOffS: 300, minOnS: 60 },
    })
    expect(r.outputs.heating!.when).toEqual({
      kind: 'not',
      of: {
        kind: 'all',
        of: [
          { kind: 'tempoToday', colours: ['red'] },
          { kind: 'period', codes: ['hp'] },
        ],
      },
    })
    expect(r.outputs.charger!.when).toEqual({
      kind: 'any',
      of: [
        { kind: 'relay', relay: 1 },
        { kind: 'time', from: 60, to: 360, days: null, text: '01:00-06:00' },
      ],
    })
    expect(r.outputs['water-heater']!.actuator).toMatchObject({
      url: 'mqtt://127.0.0.1:1883',
      qos: 1,
      retain: true,
    })
    expect(r.shedding.settleS).toBe(10)
    expect(r.staleAfterS).toBe(60)
  })

  it('lists every problem at once, each with its path', () => {
    expect(
      issues({
        outputs: {
          a: { safe: 'off', when: { colour: ['red'] } },
          b: {
            actuator: { type: 'mqtt', topic: 't' },
            when: { any: [{ relay: 9 }, { time: '25:00-06:00', days: ['mon', 'funday'] }] },
          },
          c: { actuator: { type: 'telepathy' }, safe: 'maybe', when: { period: ['hx'] } },
          d: {
            actuator: { type: 'http' },
            safe: 'on',
            when: { period: 'hc', tempoToday: ['red'] },
          },
        },
      }),
    ).toEqual([
      'outputs.a.actuator: required: how the load is switched ({ type: http | mqtt | nats | shell | gpio | none, … })',
      "outputs.a.when.colour: unknown condition 'colour' (known: period, tempoToday, tempoTomorrow, ejpNotice, peakNotice, peakActive, relay, dryContact, time, days, headroomVA, stale, all, any, not)",
      "outputs.b.safe: required: 'on' or 'off', the state on stale data, shutdown and crash",
      'outputs.b.when.any.0.relay: relay must be a whole number from 1 to 8 (RELAIS has 8 relays), got 9',
      "outputs.b.when.any.1.days.1: unknown day 'funday' (one of sun, mon, tue, wed, thu, fri, sat)",
      'outputs.b.when.any.1.time: must be "HH:MM-HH:MM" with two different times, got "25:00-06:00"',
      'outputs.c.actuator.type: unknown actuator type (one of http, mqtt, nats, shell, gpio, none)',
      "outputs.c.safe: must be 'on' or 'off'",
      "outputs.c.when.period.0: unknown period 'hx' (one of base, hp, hc, hn, pm)",
      "outputs.d.actuator.on: no URL for 'on': give 'url' (a template with {{state}}) or 'on.url'",
      "outputs.d.actuator.off: no URL for 'off': give 'url' (a template with {{state}}) or 'off.url'",
      "outputs.d.when: a condition has exactly one key, got period, tempoToday (combine with 'all' or 'any')",
    ])
  })
})
