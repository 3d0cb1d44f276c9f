import { DEFAULT_START } from '@linkyrpi/simulator'
import { describe, expect, it } from 'vitest'
import { createOnCostTracker } from './on-cost.js'
import { replayRules } from './replay-rules.js'
import { rules, simulatedReadings } from './simulated-readings.test-helper.js'

const H = 3_600_000
const none = { type: 'none' } as const

describe('createOnCostTracker', () => {
  it('prices the hours on at the index counting then, and against the average price of the range', async () => {
    // One day of an HP/HC meter (HC 22:00-06:00), a reading every 10 min from Paris midnight to the
    // next midnight: the water heater is on 8 h of HC (00:00-06:00, 22:00-24:00), the heating
    // (no `when`) the whole 24 h; the charger has no known power and is left out.
    const options = rules({
      staleAfterS: 1200, // a reading every 10 min is not a silence
      outputs: {
        'water-heater': { actuator: none, safe: 'off', when: { period: ['hc'] } },
        heating: { actuator: none, safe: 'on' },
        charger: { actuator: none, safe: 'off', when: { period: ['hp'] } },
      },
    })
    const readings = [
      ...simulatedReadings({ option: 'hc', intervalMs: 600_000 }, DEFAULT_START + 24 * H + 1),
    ].map((r) => ({ reading: r.reading, receivedAt: r.at }))
    const tracker = createOnCostTracker({ 'water-heater': 2000, heating: 1000 }, (r) =>
      r.period.code === 'hc' ? 0.1 : r.period.code === 'hp' ? 0.2 : null,
    )
    await replayRules(options, readings, {
      onSwitch: (s) => tracker.onSwitch(s),
      onReading: (r, t) => tracker.onReading(r, t),
    })
    const s = tracker.summary()
    // Average: 8 h at 0.10 and 16 h at 0.20 €/kWh → 4.00 / 24 = 0.1667 €/kWh.
    expect(s.averageEurPerKWh).toBeCloseTo(4 / 24, 10)
    expect(Object.keys(s.outputs).sort()).toEqual(['heating', 'water-heater'])
    const wh = s.outputs['water-heater']!
    // 8 h × 2 kW = 16 kWh at 0.10 = 1.60 €; at the average 16 × 0.1667 = 2.6667 €; 1.0667 € less.
    expect(wh.pricedHours).toBeCloseTo(8, 10)
    expect(wh.unpricedHours).toBe(0)
    expect(wh.kwh).toBeCloseTo(16, 10)
    expect(wh.eur).toBeCloseTo(1.6, 10)
    expect(wh.eurAtAverage).toBeCloseTo(16 * (4 / 24), 10)
    expect(wh.differenceEur).toBeCloseTo(1.6 - 16 * (4 / 24), 10)
    // Always on: 24 kWh, 8 at 0.10 and 16 at 0.20 = 4.00 €, exactly the average: no difference.
    const heating = s.outputs.heating!
    expect(heating.kwh).toBeCloseTo(24, 10)
    expect(heating.eur).toBeCloseTo(4, 10)
    expect(heating.differenceEur).toBeCloseTo(0, 10)
  })

  it('counts the hours on at an unknown price apart, outside the € figures', () => {
    const tracker = createOnCostTracker({ pump: 500 }, () => null)
    tracker.onReading({} as never, 0)
    tracker.onSwitch({
      t: 0,
      time: '',
      output: 'pump',
      state: 'on',
      reason: '',
      cause: 'rule',
    } as never)
    tracker.onReading({} as never, 2 * H)
    const pump = tracker.summary().outputs.pump!
    expect(tracker.summary().averageEurPerKWh).toBeNull()
    expect(pump).toMatchObject({
      pricedHours: 0,
      unpricedHours: 2,
      kwh: 0,
      eur: 0,
      differenceEur: 0,
    })
  })
})
