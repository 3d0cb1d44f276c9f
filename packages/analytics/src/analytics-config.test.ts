import { describe, expect, it } from 'vitest'
import { AnalyticsConfigError, DEFAULT_SETTINGS, parseAnalyticsConfig } from './analytics-config.js'
import { pricesOn } from './price-catalogue.js'

describe('parseAnalyticsConfig', () => {
  it('reads the analytics section: extra prices, off-peak hours, known Tempo days, CO2 factor', () => {
    const s = parseAnalyticsConfig({
      stages: {},
      analytics: {
        prices: {
          name: 'Offre X',
          grids: [
            {
              validFrom: '2026-04-01',
              options: { hc: { energy: { hp: 0.2, hc: 0.15 }, subscription: { '12': 25 } } },
            },
          ],
        },
        offPeak: '01:00-07:00,13:00-15:00',
        tempo: { days: { '2026-01-12': 'red' } },
        co2: { gPerKWh: 30 },
      },
    })
    expect(pricesOn(s.catalogue, '2026-04-02', 'hc', 12)?.subscriptionEurPerMonth).toBe(25)
    expect(s.offPeakText).toBe('01:00-07:00,13:00-15:00')
    expect(s.calendar.tempoDays).toEqual({ '2026-01-12': 'red' })
    expect(s.co2GPerKWh).toBe(30)
    expect(s.co2Source).toBe('configuration')
    expect(parseAnalyticsConfig({ stages: {} }).catalogue).toBe(DEFAULT_SETTINGS.catalogue)
  })

  it('lists every mistake with its path', () => {
    let error: unknown
    try {
      parseAnalyticsConfig(
        {
          analytics: {
            prices: {
              grids: [{ validFrom: '2026-04-01', options: { base: { energy: { base: -1 } } } }],
            },
            offPeak: '22h-6h',
            tempo: { redDays: 'x' },
            colour: 1,
          },
        },
        'my.yaml',
      )
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AnalyticsConfigError)
    expect((error as AnalyticsConfigError).issues.map((i) => i.path)).toEqual([
      '$.analytics.colour',
      '$.analytics.prices.grids[0].options.base.energy.base',
      '$.analytics.offPeak',
      '$.analytics.tempo.redDays',
    ])
  })
})
