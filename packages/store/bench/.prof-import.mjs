import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStore } from '../../sink-sqlite/dist/index.js'
import { openPostgresStore } from '../../sink-postgres/dist/index.js'
import { syntheticFrames, syntheticOffPeak, syntheticPowerVA } from '../dist/testing/index.js'
import { formatHorodate, parseHorodate } from '@linkyrpi/tic-core'
const START = Date.UTC(2025, 11, 31, 23)
const template = syntheticFrames({ start: START, count: 1 }).next().value.reading
function* readings(meter, start, count, intervalMs) {
  let hc = 1_000_000, hp = 2_000_000
  for (let i = 0; i < count; i++) {
    const t = start + i * intervalMs
    const va = syntheticPowerVA(t); const off = syntheticOffPeak(t)
    const wh = (va * intervalMs) / 3_600_000
    if (i > 0) off ? (hc += wh) : (hp += wh)
    const h = Math.floor(hc), p = Math.floor(hp)
    yield { receivedAt: t, reading: { ...template, meter: { ...template.meter, id: meter }, time: parseHorodate(formatHorodate(t)).iso,
      period: { ...template.period, index: off ? 1 : 2, label: off ? 'HEURE  CREUSE' : 'HEURE  PLEINE', code: off ? 'hc' : 'hp' },
      energy: { ...template.energy, importWh: h + p, importByIndexWh: { 1: h, 2: p }, distributorByIndexWh: { 1: h + p } },
      power: { ...template.power, apparentVA: va }, current: { ...template.current, rmsA: [Math.round(va / 230)] },
      voltage: { ...template.voltage, rmsV: [228 + (i % 7)] } } }
  }
}
const engine = process.argv[2] ?? 'sqlite'
const N = Number(process.env.BENCH_FRAMES ?? 200000)
const store = engine === 'sqlite' ? await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'p-')), 'b.db'))
  : await openPostgresStore(`postgres://root@127.0.0.1:5432/test?schema=prof_${Math.random().toString(36).slice(2, 8)}`)
let b = []; let s = 0
const PRE = process.env.PRE === '1'
const batches = []
const w = async () => { if (PRE) { batches.push(b); b = []; return } const t0 = performance.now(); await store.ingest.write(b); s += (performance.now() - t0) / 1000; b = [] }
for (const r of readings('021861348591', START, N, 2000)) { b.push(r); if (b.length === 5000) await w() }
if (b.length) await w()
if (PRE) { globalThis.gc?.(); const c0 = process.cpuUsage(); const t0 = performance.now(); for (const x of batches) await store.ingest.write(x); s = (performance.now() - t0) / 1000; const c = process.cpuUsage(c0); console.log('cpu us/frame', ((c.user + c.system) / N).toFixed(2)) }
console.log(JSON.stringify({ engine, fps: Math.round(N / s), s }))
await store.close?.()
process.exit(0)
