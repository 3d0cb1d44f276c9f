// Full reading decode speed against a naive decoder (issue 16 §5), on streams whose values change
// every frame (the simulator's) and on the real captures repeated. For each stream kind, measured
// in the same run, back to back, in CPU time (process.cpuUsage, user + system), best of REPEATS:
//   baseline   naiveDecode (tic-core/bench/naive-decoder.mjs): split, checksum, label -> value
//              object, no reading;
//   reading    createTicDecoder({ reading: true }): framing, checksums, groups and the full
//              TicReading of every frame.
// Prints one JSON line per stream kind with both figures and ratio = baseline CPU / reading CPU.
// Run: pnpm bench decode-reading   (BENCH_FRAMES=frames per simulated profile, BENCH_REPEATS)
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { naiveDecode } from '../../tic-core/bench/naive-decoder.mjs'
import { createMeterSimulator } from '../dist/index.js'

import { createTicDecoder } from '@linkyrpi/tic-core'

// BENCH_BEFORE=/path/to/an/older/packages/tic-core/dist/index.js also measures that build's full
// reading, interleaved with the others: a before/after under the same load.
const before =
  process.env.BENCH_BEFORE === undefined
    ? undefined
    : (await import(process.env.BENCH_BEFORE)).createTicDecoder

const here = fileURLToPath(new URL('.', import.meta.url))
const fixtures = join(here, '..', '..', 'tic-core', 'fixtures')
const FRAMES = Number(process.env.BENCH_FRAMES ?? 6000)
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7)
const CHUNK = 64 * 1024

const PROFILES = {
  historique: [
    { mode: 'historique', option: 'base' },
    { mode: 'historique', option: 'hc' },
    { mode: 'historique', option: 'tempo', phases: 3 },
    { mode: 'historique', option: 'hc', meter: 'cbemm' },
  ],
  standard: [
    { mode: 'standard', option: 'hc' },
    { mode: 'standard', option: 'base' },
    { mode: 'standard', option: 'tempo', phases: 3, producer: true },
  ],
}

function simulated(options) {
  const sim = createMeterSimulator({ ...options, seed: 7 })
  const parts = []
  for (let i = 0; i < FRAMES; i++) parts.push(sim.next().bytes)
  return Buffer.concat(parts)
}

function captures(prefix) {
  const one = Buffer.concat(
    readdirSync(fixtures)
      .filter((f) => f.startsWith(prefix) && f.endsWith('.tic'))
      .sort()
      .map((f) => readFileSync(join(fixtures, f))),
  )
  return Buffer.concat(Array.from({ length: Math.ceil((8 * 1024 * 1024) / one.length) }, () => one))
}

/** The full reading of every frame of each buffer (one decoder per buffer: one meter each). */
function reading(buffers, create = createTicDecoder) {
  let frames = 0
  let groups = 0
  let rejected = 0
  const onEvent = (e) => {
    if (e.kind !== 'frame') return
    frames++
    groups += e.frame.groups.length
    rejected += e.frame.rejected.length
    if (e.frame.reading === undefined) throw new Error('no reading')
  }
  for (const buf of buffers) {
    const d = create({ reading: true })
    for (let o = 0; o < buf.length; o += CHUNK) d.write(buf.subarray(o, o + CHUNK), onEvent)
    for (const e of d.end()) onEvent(e)
  }
  return { frames, groups, rejected }
}

function naive(buffers) {
  const total = { frames: 0, groups: 0, rejected: 0 }
  for (const buf of buffers) {
    const r = naiveDecode(buf)
    total.frames += r.frames
    total.groups += r.groups
    total.rejected += r.rejected
  }
  return total
}

function cpuMs(fn, buffers) {
  const t0 = process.cpuUsage()
  const result = fn(buffers)
  const d = process.cpuUsage(t0)
  return { ms: (d.user + d.system) / 1000, result }
}

const kinds = [
  ['simulated', 'historique', PROFILES.historique.map(simulated)],
  ['simulated', 'standard', PROFILES.standard.map(simulated)],
  ['captures', 'historique', [captures('hist_')]],
  ['captures', 'standard', [captures('std_')]],
]
for (const [stream, mode, buffers] of kinds) {
  // Warm-up, then alternate the two decoders so that both see the same machine load.
  naive(buffers)
  reading(buffers)
  let base = Infinity
  let ours = Infinity
  let old = Infinity
  let frames = 0
  let naiveFrames = 0
  const readingBefore = (b) => reading(b, before)
  if (before !== undefined) readingBefore(buffers)
  for (let i = 0; i < REPEATS; i++) {
    const b = cpuMs(naive, buffers)
    const r = cpuMs(reading, buffers)
    if (before !== undefined) old = Math.min(old, cpuMs(readingBefore, buffers).ms)
    base = Math.min(base, b.ms)
    ours = Math.min(ours, r.ms)
    frames = r.result.frames
    naiveFrames = b.result.frames
  }
  const MB = buffers.reduce((n, b) => n + b.length, 0) / 1e6
  console.log(
    JSON.stringify({
      bench: 'decode-reading',
      stream,
      mode,
      MB: +MB.toFixed(1),
      frames,
      naiveFrames,
      baselineCpuUsPerFrame: +((base * 1000) / naiveFrames).toFixed(2),
      readingCpuUsPerFrame: +((ours * 1000) / frames).toFixed(2),
      ratio: +(base / ours).toFixed(2),
      ...(before === undefined
        ? {}
        : {
            beforeCpuUsPerFrame: +((old * 1000) / frames).toFixed(2),
            ratioBefore: +(base / old).toFixed(2),
          }),
    }),
  )
}
