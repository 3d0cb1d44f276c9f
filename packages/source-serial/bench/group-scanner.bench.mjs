// Throughput of the serial source's link supervision (GroupScanner: group checksums and counts on
// every byte received), which runs beside the decoder on the Pi. Runs against the built dist.
// Prints {"bench":"group-scanner","mode":...,"megabytesPerSecond":...,"realTimeFactor":...}
import { performance } from 'node:perf_hooks'
import { createMeterSimulator } from '@linkyrpi/simulator'
import { GroupScanner } from '../dist/index.js'

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
  const chunk = 64
  const scanner = new GroupScanner()
  for (let o = 0; o < 500_000; o += chunk) scanner.push(data.subarray(o, o + chunk))
  globalThis.gc?.()
  const t0 = performance.now()
  let bytes = 0
  for (let round = 0; round < 3; round++) {
    for (let o = 0; o < data.length; o += chunk) scanner.push(data.subarray(o, o + chunk))
    bytes += data.length
  }
  const s = (performance.now() - t0) / 1000
  const cps = mode === 'standard' ? 960 : 120
  console.log(
    JSON.stringify({
      bench: 'group-scanner',
      mode,
      chunkBytes: chunk,
      megabytesPerSecond: Math.round((bytes / s / 1e6) * 10) / 10,
      realTimeFactor: Math.round(bytes / s / cps),
    }),
  )
}
