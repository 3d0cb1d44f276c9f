import { DEFAULT_START } from '@linkyrpi/simulator'
import { describe, expect, it } from 'vitest'
import { brief, rules, runEngine, simulatedReadings } from './simulated-readings.test-helper.js'

const H = 3_600_000
const MIN = 60_000
const none = { type: 'none' } as const

describe('tariff periods', () => {
  it('switches the water heater on at the off-peak start and off at its end (HC 22:00-06:00)', () => {
    const options = rules({
      outputs: { 'water-heater': { actuator: none, safe: 'off', when: { period: ['hc'] } } },
    })
    const readings = simulatedReadings({ option: 'hc', intervalMs: MIN }, DEFAULT_START + 30 * H)
    const { switches } = runEngine(options, readings)
    expect(brief(switches)).toEqual([
      '01-12 00:00 water-heater on',
      '01-12 06:00 water-heater off',
      '01-12 22:00 water-heater on',
    ])
    expect(switches.map((s) => s.reason)).toEqual(['période HC', 'période HP', 'période HC'])
    expect(switches[1]!.time).toBe('2026-01-12T06:00:00+01:00')
  })
})

describe('Tempo', () => {
  const jan14 = DEFAULT_START + 2 * 24 * H // Wednesday; Thursday 15 January is red (seed 1)

  it('switches heating off during the HP hours of a red day only', () => {
    const options = rules({
      outputs: {
        heating: {
          actuator: none,
          safe: 'on',
          when: { not: { all: [{ tempoToday: ['red'] }, { period: ['hp'] }] } },
        },
      },
    })
    const readings = simulatedReadings(
      { option: 'tempo', intervalMs: MIN, start: jan14 },
      jan14 + 55 * H,
    )
    const { switches } = runEngine(options, readings)
    expect(brief(switches)).toEqual([
      '01-14 00:00 heating on',
      '01-15 06:00 heating off',
      '01-15 22:00 heating on',
    ])
    expect(switches[1]!.reason).toBe('jour Tempo rouge et période HP')
  })

  it('pre-heats from the evening announcement of a red tomorrow until the red day starts', () => {
    const options = rules({
      outputs: { preheat: { actuator: none, safe: 'off', when: { tempoTomorrow: ['red'] } } },
    })
    const readings = simulatedReadings(
      { option: 'tempo', intervalMs: MIN, start: jan14 },
      jan14 + 55 * H,
    )
    const { switches } = runEngine(options, readings)
    expect(brief(switches)).toEqual([
      '01-14 00:00 preheat off',
      '01-14 20:00 preheat on',
      '01-15 06:00 preheat off',
    ])
    expect(switches.map((s) => s.reason)).toEqual([
      'demain Tempo bleu',
      'demain Tempo rouge',
      'couleur Tempo de demain pas encore annoncée',
    ])
  })
})

describe('relays', () => {
  it('follows relay 1 of RELAIS (standard mode, closed during off-peak hours)', () => {
    const options = rules({
      outputs: { boiler: { actuator: none, safe: 'off', when: { relay: 1 } } },
    })
    const readings = simulatedReadings(
      { mode: 'standard', option: 'hc', intervalMs: MIN },
      DEFAULT_START + 30 * H,
    )
    const { switches } = runEngine(options, readings)
    expect(brief(switches)).toEqual([
      '01-12 00:00 boiler on',
      '01-12 06:00 boiler off',
      '01-12 22:00 boiler on',
    ])
    expect(switches.map((s) => s.reason)).toEqual([
      'relais 1 fermé',
      'relais 1 ouvert',
      'relais 1 fermé',
    ])
  })
})

describe('shedding', () => {
  const evening = DEFAULT_START + 19 * H
  // Closed loop: the simulated household plus the controlled loads that are on.
  const loads = { charger: 3000, radiator: 2000 } as const
  const options = rules({
    outputs: {
      charger: { actuator: none, safe: 'off', shed: { priority: 1, powerW: loads.charger } },
      radiator: { actuator: none, safe: 'on', shed: { priority: 2, powerW: loads.radiator } },
    },
    shedding: { marginVA: 500, restoreMarginVA: 1500, minOffS: 300, minOnS: 60, settleS: 10 },
  })

  it('sheds by priority when the overpower episode starts and restores in reverse order without flapping', () => {
    const readings = simulatedReadings(
      { option: 'base', overpower: true, subscribedKVA: 12, intervalMs: 2000, start: evening },
      evening + 2 * H,
    )
    const { switches, engine } = runEngine(options, readings, (r, e) => {
      const on = e
        .status()
        .reduce((sum, o) => sum + (o.state === 'on' ? loads[o.output as keyof typeof loads] : 0), 0)
      const p = r.reading.power
      return { ...r.reading, power: { ...p, apparentVA: (p.apparentVA ?? 0) + on } }
    })
    expect(
      switches.map((s) => `${s.time.slice(11, 19)} ${s.output} ${s.state} ${s.reason}`),
    ).toEqual([
      '19:00:00 charger on toujours',
      '19:00:00 radiator on toujours',
      // The episode (about 13.5 kVA for 3 minutes) is signalled by ADPS in the same frame: both go.
      '19:39:04 charger off délestage: 20890 VA pour 12000 VA souscrits',
      '19:39:04 radiator off délestage: 20890 VA pour 12000 VA souscrits',
      // minOffS (300 s) later, highest priority first, then the next one once the first settled.
      '19:44:04 radiator on fin de délestage: marge 9690 VA, toujours',
      '19:44:14 charger on fin de délestage: marge 7690 VA, toujours',
    ])
    const summary = engine.summary(evening + 2 * H)
    expect(summary.outputs.charger).toEqual({
      switches: 3,
      sheds: 1,
      onMs: 2 * H - (44 * MIN + 14_000 - 39 * MIN - 4000),
    })
    expect(summary.overpowersSignalled).toBe(1)
    expect(summary.overpowersAvoided).toBe(0)
  })
})

describe('shedding with rising load', () => {
  it('sheds only what the margin needs, lowest priority first, and restores after minOffS with restoreMarginVA', () => {
    const base = simulatedReadings({ option: 'base', intervalMs: 10_000 }, DEFAULT_START + 40 * MIN)
    const household = (t: number): number =>
      t < DEFAULT_START + 10 * MIN ? 2000 : t < DEFAULT_START + 20 * MIN ? 3000 : 1000
    const power = { a: 1000, b: 1000, c: 1000 } as const
    const options = rules({
      outputs: {
        c: { actuator: none, safe: 'off', shed: { priority: 3, powerW: 1000 } },
        a: { actuator: none, safe: 'off', shed: { priority: 1, powerW: 1000 } },
        b: { actuator: none, safe: 'off', shed: { priority: 2, powerW: 1000 } },
      },
    })
    const { switches, engine } = runEngine(options, base, (r, e) => {
      const on = e
        .status()
        .reduce((sum, o) => sum + (o.state === 'on' ? power[o.output as keyof typeof power] : 0), 0)
      return { ...r.reading, power: { ...r.reading.power, apparentVA: household(r.at) + on } }
    })
    expect(brief(switches)).toEqual([
      '01-12 00:00 c on',
      // a and b start later: 6000 VA subscribed, 2000 + c's 1000 + each start is counted at once.
      '01-12 00:00 a on',
      '01-12 00:00 b on',
      '01-12 00:10 a off',
      '01-12 00:20 a on',
    ])
    expect(switches[3]!.reason).toBe('délestage: 6000 VA pour 6000 VA souscrits')
    expect(engine.summary(DEFAULT_START + 40 * MIN).overpowersAvoided).toBe(1)
    expect(engine.summary(DEFAULT_START + 40 * MIN).overpowersSignalled).toBe(0)
  })

  it('does not start a load whose power would cut into the margin (starts shed, restored later)', () => {
    const base = simulatedReadings({ option: 'base', intervalMs: 10_000 }, DEFAULT_START + 20 * MIN)
    const options = rules({
      outputs: { charger: { actuator: none, safe: 'off', shed: { priority: 1, powerW: 3000 } } },
      shedding: { minOffS: 60 },
    })
    const household = (t: number): number => (t < DEFAULT_START + 5 * MIN ? 3000 : 1000)
    const { switches } = runEngine(options, base, (r, e) => {
      const on = e.status()[0]!.state === 'on' ? 3000 : 0
      return { ...r.reading, power: { ...r.reading.power, apparentVA: household(r.at) + on } }
    })
    expect(brief(switches)).toEqual(['01-12 00:00 charger off', '01-12 00:05 charger on'])
    expect(switches[0]!.reason).toBe('délestage préventif: marge 3000 VA pour 3000 W')
  })
})

describe('fail-safe', () => {
  const noon = DEFAULT_START + 12 * H
  const options = rules({
    staleAfterS: 60,
    outputs: {
      pump: { actuator: none, safe: 'off', when: { period: ['hp'] } },
      boiler: {
        actuator: none,
        safe: 'off',
        when: { any: [{ period: ['hc'] }, { all: [{ stale: true }, { time: '12:00-14:00' }] }] },
      },
    },
  })

  it('puts outputs in their safe state when data stops, unless their rule speaks of stale data, and recomputes when it comes back', () => {
    const all = [
      ...simulatedReadings({ option: 'hc', intervalMs: MIN, start: noon }, noon + 60 * MIN),
    ]
    const before = all.filter((r) => r.at < noon + 10 * MIN)
    const after = all.filter((r) => r.at >= noon + 30 * MIN)
    const { switches, engine } = runEngine(options, before)
    expect(engine.tick(noon + 9 * MIN + 59_000)).toEqual([])
    const stale = engine.tick(noon + 10 * MIN)
    expect(engine.stale).toBe(true)
    const back = after.flatMap((r) => engine.update(r.reading, r.at))
    expect(brief([...switches, ...stale, ...back])).toEqual([
      '01-12 12:00 pump on',
      '01-12 12:00 boiler off',
      '01-12 12:10 pump off',
      '01-12 12:10 boiler on',
      '01-12 12:30 pump on',
      '01-12 12:30 boiler off',
    ])
    expect(stale.map((s) => s.reason)).toEqual([
      'sécurité: plus de données',
      'plus de données et plage 12:00-14:00',
    ])
    expect(engine.summary(noon + 60 * MIN).staleMs).toBe(20 * MIN)
  })

  it('after a restart, the first reading re-establishes the state the running engine had', () => {
    const all = [...simulatedReadings({ option: 'hc', intervalMs: MIN }, DEFAULT_START + 26 * H)]
    const whole = runEngine(options, all)
    const restartAt = DEFAULT_START + 13 * H
    const restarted = runEngine(
      options,
      all.filter((r) => r.at >= restartAt),
    )
    const stateAt = (switches: typeof whole.switches, t: number, output: string) =>
      switches.filter((s) => s.output === output && s.t <= t).at(-1)?.state
    expect(
      restarted.switches.filter((s) => s.t === restartAt).map((s) => [s.output, s.state]),
    ).toEqual([
      ['pump', stateAt(whole.switches, restartAt, 'pump')],
      ['boiler', stateAt(whole.switches, restartAt, 'boiler')],
    ])
    expect(brief(restarted.switches.filter((s) => s.t > restartAt))).toEqual(
      brief(whole.switches.filter((s) => s.t > restartAt)),
    )
  })

  it('an override wins until it expires, then the rule decides again', () => {
    const all = [
      ...simulatedReadings({ option: 'hc', intervalMs: MIN, start: noon }, noon + 30 * MIN),
    ]
    const engine = runEngine(options, all.slice(0, 5)).engine
    expect(
      brief(engine.override('pump', { state: 'off', until: noon + 10 * MIN }, noon + 5 * MIN)),
    ).toEqual(['01-12 12:05 pump off'])
    expect(engine.status()[0]!.reason).toBe("forçage manuel jusqu'à 12:10")
    const later = all.slice(5).flatMap((r) => engine.update(r.reading, r.at))
    expect(brief(later)).toEqual(['01-12 12:10 pump on'])
    expect(later[0]!.reason).toBe('période HP')
  })
})

describe('next planned change', () => {
  it('plans the end of a time window and the expiry of an override; not a tariff change the meter decides', () => {
    const options = rules({
      outputs: {
        charger: {
          actuator: none,
          safe: 'off',
          when: { any: [{ relay: 1 }, { time: '01:00-06:00' }] },
        },
        heater: { actuator: none, safe: 'off', when: { period: ['hc'] } },
      },
    })
    const readings = simulatedReadings(
      { option: 'hc', intervalMs: MIN, start: DEFAULT_START + 2 * H },
      DEFAULT_START + 2 * H + 5 * MIN,
    )
    const { engine } = runEngine(options, readings)
    const [charger, heater] = engine.status()
    expect(charger!.next).toEqual({ t: DEFAULT_START + 6 * H, state: 'off' })
    expect(heater!.next).toBeNull()
    engine.override(
      'heater',
      { state: 'off', until: DEFAULT_START + 3 * H },
      DEFAULT_START + 2 * H + 5 * MIN,
    )
    expect(engine.status()[1]!.next).toEqual({ t: DEFAULT_START + 3 * H, state: 'on' })
  })
})
