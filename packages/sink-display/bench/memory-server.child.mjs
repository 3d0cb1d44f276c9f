// Child process of latency.bench.mjs: a dashboard server alone in its process, fed one frame per
// second, so that its memory can be measured without the benchmark's browser driver.
// Messages from the parent: 'measure' → replies { rss, heapUsed } after a GC; 'stop' → exits.
import { createTicDecoder, encodeFrame } from '@linkyrpi/tic-core'
import { startDisplayServer } from '../dist/index.js'

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent }
const server = await startDisplayServer(
  { port: 0, host: '127.0.0.1' },
  { stage: 'dashboard', logger: silent, diagnostics: { report() {} }, now: () => Date.now() },
)
const decoder = createTicDecoder({ reading: true })
let seq = 0
const tick = setInterval(() => {
  seq++
  const bytes = encodeFrame('historique', [
    { label: 'ADCO', value: '031428097115' },
    { label: 'OPTARIF', value: 'HC..' },
    { label: 'ISOUSC', value: '30' },
    { label: 'HCHC', value: String(1_000_000 + seq).padStart(9, '0') },
    { label: 'HCHP', value: '002000000' },
    { label: 'PTEC', value: 'HP..' },
    { label: 'IINST', value: '007' },
    { label: 'IMAX', value: '090' },
    { label: 'PAPP', value: String(1500 + (seq % 100)).padStart(5, '0') },
    { label: 'HHPHC', value: 'A' },
    { label: 'MOTDETAT', value: '000000' },
  ])
  for (const e of decoder.push(bytes)) {
    if (e.kind === 'frame')
      server.publish({
        ...e.frame,
        reading: e.frame.reading,
        meta: { seq, receivedAt: Date.now(), source: 'bench' },
      })
  }
}, 1000)
process.on('message', async (m) => {
  if (m === 'measure') {
    globalThis.gc?.()
    const u = process.memoryUsage()
    process.send({ rss: u.rss, heapUsed: u.heapUsed, clients: server.clients })
  } else if (m === 'stop') {
    clearInterval(tick)
    await server.close()
    process.exit(0)
  }
})
process.send({ url: server.url })
