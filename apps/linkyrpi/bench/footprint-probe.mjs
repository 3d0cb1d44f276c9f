// Preloaded (`node --import`) into each process the footprint benchmark measures: appends
// process.memoryUsage() (bytes) and the committed size of each V8 heap space (`spaces`, bytes:
// old, new, code, large objects...) as one JSON line to FOOTPRINT_PROBE_OUT every
// FOOTPRINT_PROBE_INTERVAL_S seconds. A timer and a few hundred bytes: the same in every variant.
import { appendFileSync } from 'node:fs'
import { getHeapSpaceStatistics } from 'node:v8'

const out = process.env.FOOTPRINT_PROBE_OUT
if (out) {
  const every = Number(process.env.FOOTPRINT_PROBE_INTERVAL_S || 15) * 1000
  setInterval(() => {
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name.replace(/_space$/, ''), s.space_size]),
    )
    appendFileSync(out, `${JSON.stringify({ t: Date.now(), ...process.memoryUsage(), spaces })}\n`)
  }, every).unref()
}
