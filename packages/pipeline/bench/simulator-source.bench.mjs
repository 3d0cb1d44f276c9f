// Benchmark: frames/s of the `simulator` stage as fast as possible (speed 0), alone and through
// decodeTic, against the bare simulator (createMeterSimulator().next() in a loop: the ceiling).
// Also reports the event loop's longest stall during each run (a 5 ms interval timer's worst
// lateness): running as fast as possible must not starve timers and I/O.
// Runs against the built dist (pnpm build). Settings: BENCH_SIM_FRAMES (default 20 000),
// BENCH_SIM_MODE (historique), BENCH_SIM_RUNS (3; the best run is reported).
// Run: node packages/pipeline/bench/simulator-source.bench.mjs (or pnpm bench simulator-source)
import 'reflect-metadata'
import { lastValueFrom, count } from 'rxjs'
import { performance } from 'node:perf_hooks'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { BUILTIN_STAGES, decodeTic, silentLogger, simulatorSource } from '@linkyrpi/pipeline'

const FRAMES = Number(process.env.BENCH_SIM_FRAMES ?? 20_000)
const MODE = process.env.BENCH_SIM_MODE ?? 'historique'
const RUNS = Number(process.env.BENCH_SIM_RUNS ?? 3)
const START = Date.UTC(2026, 2, 1)
const ctx = {
  stage: 'meter',
  logger: silentLogger,
  diagnostics: { report: () => undefined },
  now: () => START,
}

/** Runs `fn` (resolving to a frame count) while watching the event loop; returns frames/s and the worst stall. */
async function measure(fn) {
  let worst = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    worst = Math.max(worst, now - last - 5)
    last = now
  }, 5)
  const t0 = performance.now()
  const frames = await fn()
  const end = performance.now()
  clearInterval(timer)
  worst = Math.max(worst, end - last - 5)
  const s = (end - t0) / 1000
  return {
    frames,
    seconds: Math.round(s * 1000) / 1000,
    framesPerSecond: Math.round(frames / s),
    worstStallMs: Math.round(worst),
  }
}

function stage() {
  const def = BUILTIN_STAGES.simulator
  const parsed = def.options.safeParse({ mode: MODE, speed: 0, frames: FRAMES, seed: 1 })
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues))
  return def.create(parsed.data, ctx)
}

const scenarios = {
  'bare simulator (ceiling)': async () => {
    const sim = createMeterSimulator({ mode: MODE, option: 'hc', seed: 1, start: START })
    for (let i = 0; i < FRAMES; i++) sim.next()
    return FRAMES
  },
  "library simulatorSource, speed 'max'": () =>
    lastValueFrom(
      simulatorSource({
        mode: MODE,
        option: 'hc',
        seed: 1,
        start: START,
        speed: 'max',
        frames: FRAMES,
      }).pipe(count()),
    ).then(() => FRAMES),
  'simulator stage, speed 0': () => lastValueFrom(stage().pipe(count())).then(() => FRAMES),
  'simulator stage, speed 0 → decodeTic': () =>
    lastValueFrom(stage().pipe(decodeTic(ctx, { source: 'meter' }), count())),
}

for (const [name, fn] of Object.entries(scenarios)) {
  let best = null
  for (let r = 0; r < RUNS; r++) {
    const m = await measure(fn)
    if (best === null || m.framesPerSecond > best.framesPerSecond) best = m
  }
  process.stdout.write(
    `${JSON.stringify({ bench: 'simulator-source', scenario: name, mode: MODE, ...best })}\n`,
  )
}
