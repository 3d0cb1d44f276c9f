// Cost of the automation engine per reading, beside the cost of decoding that reading (the
// baseline every frame pays anyway), and the heap it keeps over a long run. Runs against the
// built dist: pnpm build first. Prints JSON lines:
// {"bench":"automation-engine","case":...,"readingsPerSecond":...,"nsPerReading":...}
import { performance } from 'node:perf_hooks'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { createTicDecoder } from '@linkyrpi/tic-core'
import { automationOptionsSchema, createAutomationEngine } from '../dist/index.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const rules = automationOptionsSchema.parse({
  outputs: {
    'water-heater': { actuator: { type: 'none' }, safe: 'off', when: { period: ['hc'] } },
    heating: {
      actuator: { type: 'none' },
      safe: 'on',
      when: { not: { all: [{ tempoToday: ['red'] }, { period: ['hp'] }] } },
      shed: { priority: 2, powerW: 3000 },
    },
    preheat: { actuator: { type: 'none' }, safe: 'off', when: { tempoTomorrow: ['red'] } },
    charger: {
      actuator: { type: 'none' },
      safe: 'off',
      when: { any: [{ relay: 1 }, { time: '01:00-06:00' }] },
      shed: { priority: 1, powerW: 7400 },
    },
  },
})

// Two simulated days of a standard-mode Tempo meter with the evening overpower, one frame / 10 s.
const sim = createMeterSimulator({
  mode: 'standard',
  option: 'tempo',
  overpower: true,
  subscribedKVA: 9,
  intervalMs: 10_000,
  start: Date.parse('2026-01-14T00:00:00+01:00'),
})
const frames = []
for (let i = 0; i < 17_280; i++) frames.push(sim.next())
const readings = []
const decoder = createTicDecoder({ reading: true })
for (const f of frames)
  decoder.write(
    f.bytes,
    (e) => e.kind === 'frame' && readings.push({ reading: e.frame.reading, at: f.at }),
  )

function rate(name, run) {
  run(2000)
  globalThis.gc?.()
  let n = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < SECONDS * 1000) {
    n += run(readings.length)
    t = performance.now()
  }
  const s = (t - t0) / 1000
  return {
    bench: 'automation-engine',
    case: name,
    readingsPerSecond: Math.round(n / s),
    nsPerReading: Math.round((s * 1e9) / n),
  }
}

// Baseline: decoding the frames into readings (what the pipeline does for every frame).
console.log(
  JSON.stringify(
    rate('baseline: decode frame + reading', (count) => {
      const d = createTicDecoder({ reading: true })
      for (let i = 0; i < count; i++) d.write(frames[i % frames.length].bytes, () => undefined)
      return count
    }),
  ),
)
// The engine alone over the decoded readings (4 outputs, 2 sheddable).
console.log(
  JSON.stringify(
    rate('engine.update (4 outputs)', (count) => {
      const engine = createAutomationEngine(rules)
      for (let i = 0; i < count; i++) {
        const r = readings[i % readings.length]
        engine.update(r.reading, r.at)
      }
      return count
    }),
  ),
)
// Memory: the engine's heap after 10 passes over the two days (172 800 readings, 20 simulated days) vs before.
globalThis.gc?.()
const before = process.memoryUsage().heapUsed
const engine = createAutomationEngine(rules)
let switches = 0
for (let pass = 0; pass < 10; pass++) {
  for (const r of readings) switches += engine.update(r.reading, r.at + pass * 172_800_000).length
}
globalThis.gc?.()
console.log(
  JSON.stringify({
    bench: 'automation-engine',
    case: 'heap after 172800 readings',
    heapDeltaKiB: Math.round((process.memoryUsage().heapUsed - before) / 1024),
    switches,
    readings: readings.length * 10,
  }),
)
