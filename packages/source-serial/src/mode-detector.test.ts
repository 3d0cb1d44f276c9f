import { createMeterSimulator, uartMisread } from '@linkyrpi/simulator'
import { chunks, encodeFrame } from '@linkyrpi/tic-core/testing'
import { describe, expect, it } from 'vitest'
import { createModeDetector } from './mode-detector.js'

describe('createModeDetector', () => {
  it('decides the mode from a few valid groups, in any chunking', () => {
    for (const mode of ['historique', 'standard'] as const) {
      const sim = createMeterSimulator({ mode })
      const bytes = Buffer.concat([sim.next().bytes, sim.next().bytes])
      for (const size of [1, 7, 64, bytes.length]) {
        const s = createModeDetector()
        for (const c of chunks(bytes.subarray(5), size)) s.push(c)
        expect(s.decided(3)).toBe(mode)
        expect(s.evidence.frames).toBeGreaterThanOrEqual(1)
      }
    }
  })

  it('never decides on wrong-baud garbage or random bytes', () => {
    for (const mode of ['historique', 'standard'] as const) {
      const sim = createMeterSimulator({ mode, seed: 4 })
      const s = createModeDetector()
      for (let i = 0; i < 30; i++) {
        const f = sim.next().bytes
        s.push(
          uartMisread(f, mode === 'historique' ? 1200 : 9600, mode === 'historique' ? 9600 : 1200),
        )
      }
      expect(s.decided(3)).toBeNull()
    }
    let x = 12345
    const random = new Uint8Array(200_000).map(() => {
      x = (x * 1103515245 + 12345) >>> 0
      return x >>> 24
    })
    const s = createModeDetector()
    s.push(random)
    expect(s.decided(3)).toBeNull()
  })

  it('finds a historique meter that uses the "mode 2" checksum rule', () => {
    const frame = encodeFrame(
      'historique',
      [
        { label: 'ADCO', value: '021861348497' },
        { label: 'OPTARIF', value: 'BASE' },
        { label: 'ISOUSC', value: '30' },
        { label: 'BASE', value: '001234567' },
      ],
      { historiqueChecksum: 'mode2' },
    )
    const s = createModeDetector()
    s.push(frame)
    expect(s.decided(3)).toBe('historique')
  })

  it('still decides under a few percent of bit errors', () => {
    const sim = createMeterSimulator({
      mode: 'historique',
      faults: { bitErrorRate: 0.03 },
      seed: 8,
    })
    const s = createModeDetector()
    for (let i = 0; i < 4; i++) s.push(sim.next().bytes)
    expect(s.decided(3)).toBe('historique')
    expect(s.evidence.rejected).toBeGreaterThan(0)
  })

  it('counts complete frames only: one cut by EOT, or still open at a reset, is no evidence', () => {
    const sim = createMeterSimulator({ mode: 'standard', seed: 2 })
    const frame = sim.next().bytes
    const s = createModeDetector()
    s.push(frame.subarray(0, frame.length - 1))
    s.push(Uint8Array.of(0x04)) // EOT: the meter stopped mid-frame
    expect(s.evidence.valid.standard).toBe(0)
    s.push(frame.subarray(0, frame.length - 1))
    s.reset()
    s.push(frame.subarray(frame.length - 1)) // the ETX of a frame begun before the reset
    expect(s.evidence.frames).toBe(0)
    s.push(frame)
    expect(s.evidence.frames).toBe(1)
    expect(s.decided(3)).toBe('standard')
  })

  it('reports each complete frame with its valid and refused groups', () => {
    const verdicts: unknown[] = []
    const s = createModeDetector({ onFrame: (v) => verdicts.push(v) })
    const good = encodeFrame('historique', [
      { label: 'ADCO', value: '021861348497' },
      { label: 'PAPP', value: '00450' },
    ])
    const bad = Uint8Array.from(good)
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0x01 // the checksum of the last group
    s.push(good)
    s.push(bad)
    expect(verdicts).toEqual([
      { mode: 'historique', valid: 2, rejected: 0 },
      { mode: 'historique', valid: 1, rejected: 1 },
    ])
    expect(s.evidence).toMatchObject({ valid: { historique: 3 }, rejected: 1, frames: 2 })
  })
})
