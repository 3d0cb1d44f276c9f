import { expect, it } from 'vitest'
import * as analytics from './index.js'

it('exports what the benches import (bench/analytics.bench.mjs, bench/appliance-eval.mjs)', () => {
  for (const name of [
    'buildReport',
    'DEFAULT_SETTINGS',
    'loadReportData',
    'parseLocalDate',
    'pickMeter',
    'detectAppliances',
    'parseSchedule',
  ])
    expect(analytics, name).toHaveProperty(name)
})
