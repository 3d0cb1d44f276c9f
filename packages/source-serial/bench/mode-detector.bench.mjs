// Throughput of the serial source's mode detection and link supervision (createModeDetector:
// tic-core's framer and frame decoder, catalogue labels, counts), which sees every byte received
// beside the decoder on the Pi. Runs against the built dist.
// BENCH_BEFORE=/path/to/an/older/packages/source-serial/dist/index.js also measures that build's
// GroupScanner (the second line framer it replaced) on the same input, interleaved: a
// before/after under the same load.
// Prints {"bench":"mode-detector","mode":...,"detector":...,"megabytesPerSecond":...,"realTimeFactor":...}
// Run: pnpm bench mode-detector   (BENCH_REPEATS, default 5: best CPU time of that many rounds)
import { createMeterSimulator } from '@linkyrpi/simulator'
import { createModeDetector } from '../dist/index.js'

const GroupScanner =
  process.env.BENCH_BEFORE === undefined
    ? undefined
    : (await import(process.env.BENCH_BEFORE)).GroupScanner
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5)
const CHUNK = 64

const detectors = { 'mode-detector': () => createModeDetector() }
if (GroupScanner !== undefined) detectors['group-scanner (before)'] = () => new GroupScanner()

/** CPU ms (user + system) to push `data` in CHUNK-byte chunks. */
function cpuMs(detector, data) {
  const t0 = process.cpuUsage()
  for (let o = 0; o < data.length; o += CHUNK) detector.push(data.subarray(o, o + CHUNK))
  const t = process.cpuUsage(t0)
  return (t.user + t.system) / 1000
}

for (const mode of ['historique', 'standard']) {
  const sim = createMeterSimulator({ mode, phases: 3, option: 'tempo', seed: 1 })
  const parts = []
  let size = 0
  while (size < 4_000_000) {
    const b = sim.next().bytes
    parts.push(b)
    size += b.length
  }
  const data = Buffer.concat(parts)
  const best = {}
  const made = {}
  for (const [name, make] of Object.entries(detectors)) {
    made[name] = make()
    cpuMs(made[name], data.subarray(0, 500_000)) // warm-up
    best[name] = Infinity
  }
  for (let round = 0; round < REPEATS; round++) {
    for (const name of Object.keys(detectors)) {
      globalThis.gc?.()
      best[name] = Math.min(best[name], cpuMs(made[name], data))
    }
  }
  const cps = mode === 'standard' ? 960 : 120
  for (const [name, ms] of Object.entries(best)) {
    const bytesPerSecond = data.length / (ms / 1000)
    console.log(
      JSON.stringify({
        bench: 'mode-detector',
        mode,
        detector: name,
        chunkBytes: CHUNK,
        megabytesPerSecond: Math.round((bytesPerSecond / 1e6) * 10) / 10,
        realTimeFactor: Math.round(bytesPerSecond / cps),
      }),
    )
  }
}
