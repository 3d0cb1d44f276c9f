import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '@linkyrpi/pipeline'
import { simulateCommand, simulatorOptionsFromArgs } from './simulate.js'

describe('simulate defaults', () => {
  it("simulates by default the option 'linkyrpi run' simulates, and its help says so", () => {
    expect(DEFAULT_CONFIG.stages.meter.option).toBe('hc')
    expect(simulatorOptionsFromArgs({}, Date.UTC(2026, 0, 12)).option).toBe(
      DEFAULT_CONFIG.stages.meter.option,
    )
    expect(simulatorOptionsFromArgs({ option: 'tempo' }, Date.UTC(2026, 0, 12)).option).toBe(
      'tempo',
    )
    expect(simulateCommand.help).toContain(
      "--option O        hc (default, the meter 'linkyrpi run' simulates), base, ejp or tempo",
    )
  })
})
