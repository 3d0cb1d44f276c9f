// Frames per second the simulator generates at `--speed max` (what `linkyrpi simulate --speed max`
// can write), per mode and configuration. Runs against the built dist: pnpm build first.
// Prints one JSON line per configuration: {"bench":"simulator","config":...,"framesPerSecond":...}
import { performance } from 'node:perf_hooks'
import { createMeterSimulator } from '../dist/index.js'

const CONFIGS = [
  { name: 'historique-mono-base', options: { mode: 'historique', option: 'base' } },
  { name: 'historique-tri-tempo', options: { mode: 'historique', phases: 3, option: 'tempo' } },
  { name: 'standard-mono-hc', options: { mode: 'standard', option: 'hc' } },
  {
    name: 'standard-tri-tempo-producer',
    options: { mode: 'standard', phases: 3, option: 'tempo', producer: true },
  },
  {
    name: 'standard-mono-hc-noise-1e-3',
    options: { mode: 'standard', option: 'hc', faults: { bitErrorRate: 0.001 } },
  },
  {
    name: 'historique-mono-base-1-frame-per-minute',
    options: { mode: 'historique', option: 'base', intervalMs: 60_000 },
  },
]
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)

for (const { name, options } of CONFIGS) {
  const sim = createMeterSimulator({ ...options, seed: 1 })
  // Warm-up.
  for (let i = 0; i < 2000; i++) sim.next()
  globalThis.gc?.()
  let frames = 0
  let bytes = 0
  const simStart = sim.now
  const t0 = performance.now()
  let t = t0
  while (t - t0 < SECONDS * 1000) {
    for (let i = 0; i < 500; i++) bytes += sim.next().bytes.length
    frames += 500
    t = performance.now()
  }
  const s = (t - t0) / 1000
  const simulatedHours = (sim.now - simStart) / 3_600_000
  console.log(
    JSON.stringify({
      bench: 'simulator',
      config: name,
      framesPerSecond: Math.round(frames / s),
      megabytesPerSecond: Math.round((bytes / s / 1e6) * 10) / 10,
      simulatedHoursPerSecond: Math.round((simulatedHours / s) * 10) / 10,
      bytesPerFrame: Math.round(bytes / frames),
    }),
  )
}
