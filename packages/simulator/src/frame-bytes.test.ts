import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createMeterSimulator } from './meter-simulator.js'
import type { MeterSimulatorOptions } from './options.js'

// The exact bytes the simulator sends for each of its profiles, pinned as SHA-256 digests of
// 3000 frames at seed 7 (historique with overrun short frames, standard, producer, three-phase,
// the mode switch), taken before the simulator moved to tic-core's encoder and French-time module:
// the same options and seed give the same bytes, whatever encodes them.
const PROFILES: Record<string, readonly [MeterSimulatorOptions, string]> = {
  'historique base': [{}, 'b71b3d0429a0a51c21a48d8698bf2a057812c1b506cacdb37b065a112241f500'],
  'historique hc, cbemm icc': [
    { option: 'hc', meter: 'cbemm', icc: true },
    'd14da6c25d01803e2d66063c857c2c3c4c7bb7904f8ef3b00f34430d7374a846',
  ],
  'historique tempo, three-phase overpower': [
    { option: 'tempo', meter: 'cbetm', phases: 3, overpower: true },
    'fab56a5e4db91784553cb9a271542523fdf13f99278651e7b655a45434442e09',
  ],
  'historique ejp': [
    { option: 'ejp' },
    'f9e4b01a187969a73fd1ff09b44b67e22cdde8de72c57789bc2bbc6b9bfc63ac',
  ],
  'standard hc producer': [
    { mode: 'standard', option: 'hc', producer: true },
    '20a3e326d3757c04dafb32f4319d7b303925a3f812a0211a7a869aa6e204a449',
  ],
  'standard tempo three-phase': [
    { mode: 'standard', option: 'tempo', phases: 3, overpower: true },
    '92ac956132c8dae8f0de17c280d811af8cf29b088a687dc86b7da89ab761ebeb',
  ],
  'historique → standard switch': [
    { faults: { modeSwitchAtMs: 600_000 } },
    '4ff64beebc988404ca528f150e8f706698f3a63577f5fa1653a59c8717771dfb',
  ],
}

function digest(options: MeterSimulatorOptions): string {
  const sim = createMeterSimulator({ ...options, seed: 7 })
  const h = createHash('sha256')
  for (let i = 0; i < 3000; i++) h.update(sim.next().bytes)
  return h.digest('hex')
}

describe('simulator frame bytes', () => {
  it.each(Object.entries(PROFILES))('are unchanged for %s', (_name, [options, sha256]) => {
    expect(digest(options)).toBe(sha256)
  })
})
