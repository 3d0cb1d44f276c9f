// Differential test of the decoder (issue 16 §5): every capture and long simulator streams (every
// profile, both modes, faults and corrupted bytes) decode to exactly what the decoder of main at
// 169a976 produced, recorded in decoder-differential.expected.json: the same frames, groups,
// rejections, readings and discard accounting, whatever the chunking. A change of behaviour
// must be deliberate: rerun with UPDATE_DECODER_GOLDEN=1 and explain it in the commit.
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMeterSimulator, createRng } from '@linkyrpi/simulator'
import type { MeterSimulatorOptions } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { DecoderEvent } from '@linkyrpi/tic-core'
import { describe, expect, it } from 'vitest'

const here = new URL('.', import.meta.url).pathname
const expectedFile = join(here, 'decoder-differential.expected.json')
/** The real captures, as committed with tic-core (the same files as the shared capture set). */
const capturesDir = join(here, '..', '..', 'packages', 'tic-core', 'fixtures')
const FRAMES = 1200
/** 2026-01-12 19:00 in Paris: the daily overpower episode (19:30) falls inside the stream. */
const EVENING = Date.UTC(2026, 0, 12, 18, 0, 0)

interface Summary {
  readonly digest: string
  readonly frames: number
  readonly groups: number
  readonly rejected: Record<string, number>
  readonly discarded: Record<string, number>
}

/** JSON with sorted keys: the digest does not depend on property order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  )
}

/** Decodes `bytes` in chunks of the given sizes (cycled) and summarises every event. */
function decode(bytes: Uint8Array, chunkSizes: readonly number[]): Summary {
  const d = createTicDecoder({ reading: true })
  const hash = createHash('sha256')
  let frames = 0
  let groups = 0
  const rejected: Record<string, number> = {}
  const discarded: Record<string, number> = {}
  const onEvent = (e: DecoderEvent): void => {
    hash.update(canonical(e))
    hash.update('\n')
    if (e.kind === 'discarded') {
      discarded[e.reason] = (discarded[e.reason] ?? 0) + e.byteCount
      return
    }
    frames++
    groups += e.frame.groups.length
    for (const r of e.frame.rejected) rejected[r.reason] = (rejected[r.reason] ?? 0) + 1
  }
  let k = 0
  for (let o = 0; o < bytes.length; k++) {
    const n = chunkSizes[k % chunkSizes.length]!
    d.write(bytes.subarray(o, o + n), onEvent)
    o += n
  }
  for (const e of d.end()) onEvent(e)
  return { digest: hash.digest('hex'), frames, groups, rejected, discarded }
}

function simulate(options: MeterSimulatorOptions): Uint8Array {
  const sim = createMeterSimulator(options)
  return Buffer.concat(Array.from({ length: FRAMES }, () => sim.next().bytes))
}

/** Corrupts bytes the way a bad line or an 8N1 port does: parity bits, flips, insertions, cuts. */
function corrupt(bytes: Uint8Array, seed: number): Uint8Array {
  const rng = createRng(seed)
  const out: number[] = []
  for (const b of bytes) {
    const r = rng()
    if (r < 0.3) out.push(b | 0x80)
    else if (r < 0.3005) out.push(b ^ (1 << Math.floor(rng() * 7)))
    else if (r < 0.301) out.push(b, Math.floor(rng() * 256))
    else if (r < 0.3013) continue
    else out.push(b)
  }
  return Uint8Array.from(out)
}

const PROFILES: Record<string, MeterSimulatorOptions> = {
  'hist-base': { mode: 'historique', option: 'base' },
  'hist-hc': { mode: 'historique', option: 'hc' },
  'hist-ejp': { mode: 'historique', option: 'ejp' },
  'hist-tempo-tri-overpower': {
    mode: 'historique',
    option: 'tempo',
    phases: 3,
    overpower: true,
    intervalMs: 5_000,
    start: EVENING,
  },
  'hist-cbemm-hc': { mode: 'historique', option: 'hc', meter: 'cbemm' },
  'hist-cbemm-icc': { mode: 'historique', option: 'base', meter: 'cbemm', icc: true },
  'hist-cbetm-tempo': { mode: 'historique', option: 'tempo', meter: 'cbetm' },
  'std-base': { mode: 'standard', option: 'base' },
  'std-hc': { mode: 'standard', option: 'hc', intervalMs: 60_000 },
  'std-ejp': { mode: 'standard', option: 'ejp', intervalMs: 60_000 },
  'std-tempo-tri-producer': {
    mode: 'standard',
    option: 'tempo',
    phases: 3,
    producer: true,
    intervalMs: 30_000,
  },
  'std-hc-overpower': {
    mode: 'standard',
    option: 'hc',
    overpower: true,
    intervalMs: 5_000,
    start: EVENING,
  },
  'hist-base-faults': {
    mode: 'historique',
    option: 'base',
    faults: { bitErrorRate: 2e-3, dropRate: 1e-3, eotRate: 0.02 },
  },
  'std-hc-faults': {
    mode: 'standard',
    option: 'hc',
    faults: { bitErrorRate: 5e-4, dropRate: 2e-4, eotRate: 0.02 },
  },
  'hist-mode-switch': { mode: 'historique', option: 'hc', faults: { modeSwitchAtMs: 600_000 } },
  'std-mode-switch': { mode: 'standard', option: 'tempo', faults: { modeSwitchAtMs: 900_000 } },
  'hist-wrong-baud': { mode: 'historique', option: 'base', faults: { wrongBaud: true } },
}

function streams(): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = readdirSync(capturesDir)
    .filter((f) => f.endsWith('.tic'))
    .sort()
    .map((f) => [`capture ${f}`, readFileSync(join(capturesDir, f))])
  for (const [name, options] of Object.entries(PROFILES))
    out.push([`simulated ${name}`, simulate({ seed: 11, ...options })])
  out.push([
    `corrupted hist-tempo-tri`,
    corrupt(simulate({ seed: 5, ...PROFILES['hist-tempo-tri-overpower'] }), 1),
  ])
  out.push([
    `corrupted std-tempo-tri-producer`,
    corrupt(simulate({ seed: 5, ...PROFILES['std-tempo-tri-producer'] }), 2),
  ])
  out.push([
    `corrupted captures`,
    corrupt(Buffer.concat(out.filter(([n]) => n.startsWith('capture')).map(([, b]) => b)), 3),
  ])
  return out
}

describe('decoder differential (recorded outputs of main)', () => {
  const all = streams()
  const actual: Record<string, Summary> = {}
  for (const [name, bytes] of all) actual[name] = decode(bytes, [65_536])

  if (process.env.UPDATE_DECODER_GOLDEN === '1') {
    writeFileSync(expectedFile, `${JSON.stringify(actual, null, 1)}\n`)
  }
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Record<string, Summary>

  it('decodes the same streams as recorded', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  })
  for (const [name, bytes] of all) {
    it(`${name}: same frames, groups, rejections, readings and discards`, () => {
      expect(actual[name]).toEqual(expected[name])
      // Chunking never changes anything: one byte at a time for short streams, odd sizes otherwise.
      expect(decode(bytes, bytes.length < 200_000 ? [1, 7, 4096, 3] : [997, 65_536, 13])).toEqual(
        expected[name],
      )
    })
  }
})
