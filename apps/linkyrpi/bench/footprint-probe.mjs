// Preloaded (`node --import`) into each process the footprint benchmark measures: appends
// process.memoryUsage() (bytes) as one JSON line to FOOTPRINT_PROBE_OUT every
// FOOTPRINT_PROBE_INTERVAL_S seconds. A timer and a few hundred bytes: the same in every variant.
import { appendFileSync } from 'node:fs'

const out = process.env.FOOTPRINT_PROBE_OUT
if (out) {
  const every = Number(process.env.FOOTPRINT_PROBE_INTERVAL_S || 15) * 1000
  setInterval(() => {
    appendFileSync(out, `${JSON.stringify({ t: Date.now(), ...process.memoryUsage() })}\n`)
  }, every).unref()
}
