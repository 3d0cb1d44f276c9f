import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load-config.js'
import type { ConfigError } from '../errors.js'

const stages = `
stages:
  meter: { type: simulator, speed: 0, frames: 3 }
  frames: { type: tic-decode, from: meter }
`

describe('automation stage configuration', () => {
  it('accepts the rules of issue #13 as the options of an automation stage', async () => {
    const config = await parseConfig(`${stages}
  automation:
    type: automation
    from: frames
    outputs:
      water-heater:
        actuator: { type: mqtt, topic: home/ballon/set, on: "ON", off: "OFF" }
        safe: off
        when: { period: [hc] }
      heating:
        actuator: { type: gpio, chip: gpiochip0, line: 17, activeLow: true }
        safe: on
        when: { not: { all: [ { tempoToday: [red] }, { period: [hp] } ] } }
        shed: { priority: 2, powerW: 3000 }
      charger:
        actuator: { type: http, on: { url: "http://192.0.2.10/relay/0?turn=on" }, off: { url: "http://192.0.2.10/relay/0?turn=off" } }
        safe: off
        when: { any: [ { relay: 1 }, { time: "01:00-06:00" } ] }
        shed: { priority: 1, powerW: 7400 }
    shedding: { marginVA: 500, restoreMarginVA: 1500, minOffS: 300, minOnS: 60 }
`)
    const a = config.stages.automation!
    expect([a.role, a.durable, a.buffer.overflow]).toEqual(['sink', false, 'drop-oldest'])
    expect(Object.keys((a.options as { outputs: object }).outputs)).toEqual([
      'water-heater',
      'heating',
      'charger',
    ])
  })

  it('lists every problem of the rules at once with its path, beside the other stages’ problems', async () => {
    let issues: string[] = []
    try {
      await parseConfig(`${stages}
  log: { type: log, from: frames, every: 0 }
  automation:
    type: automation
    from: frames
    outputs:
      heater: { when: { colour: [red] } }
      pump: { actuator: { type: none }, safe: off, when: { relay: 9 } }
`)
    } catch (error) {
      issues = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)
    }
    expect(issues).toEqual([
      'stages.log.every: Too small: expected number to be >0',
      'stages.automation.outputs.heater.actuator: required: how the load is switched ({ type: http | mqtt | nats | shell | gpio | none, … })',
      "stages.automation.outputs.heater.safe: required: 'on' or 'off', the state on stale data, shutdown and crash",
      "stages.automation.outputs.heater.when.colour: unknown condition 'colour' (known: period, tempoToday, tempoTomorrow, ejpNotice, peakNotice, peakActive, relay, dryContact, time, days, headroomVA, stale, all, any, not)",
      'stages.automation.outputs.pump.when.relay: relay must be a whole number from 1 to 8 (RELAIS has 8 relays), got 9',
    ])
  })
})
