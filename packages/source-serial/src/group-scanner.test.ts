import { createMeterSimulator, uartMisread } from '@linkyrpi/simulator'
import { chunks, encodeFrame } from '@linkyrpi/tic-core/testing'
import { describe, expect, it } from 'vitest'
import { GroupScanner } from './group-scanner.js'

describe('GroupScanner', () => {
  it('decides the mode from a few valid groups, in any chunking', () => {
    for (const mode of ['historique', 'standard'] as const) {
      const sim = createMeterSimulator({ mode })
      const bytes = Buffer.concat([sim.next().bytes, sim.next().bytes])
      for (const size of [1, 7, 64, bytes.length]) {
        const s = new GroupScanner()
        for (const c of chunks(bytes.subarray(5), size)) s.push(c)
        expect(s.decided(3)).toBe(mode)
        expect(s.counts.frames).toBeGreaterThanOrEqual(1)
      }
    }
  })

  it('never decides on wrong-baud garbage or random bytes', () => {
    for (const mode of ['historique', 'standard'] as const) {
      const sim = createMeterSimulator({ mode, seed: 4 })
      const s = new GroupScanner()
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
    const s = new GroupScanner()
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
    const s = new GroupScanner()
    s.push(frame)
    expect(s.decided(3)).toBe('historique')
  })

  it('still decides under a few percent of bit errors', () => {
    const sim = createMeterSimulator({
      mode: 'historique',
      faults: { bitErrorRate: 0.03 },
      seed: 8,
    })
    const s = new GroupScanner()
    for (let i = 0; i < 4; i++) s.push(sim.next().bytes)
    expect(s.decided(3)).toBe('historique')
    expect(s.counts.rejected).toBeGreaterThan(0)
  })
})
