import { createIngest } from '../dist/ingest.js'
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
const kind = process.argv[2] ?? 'sqlite'
let nums = 0
const tx = { insert: async (t, rows) => rows.map(() => true), insertNew: async () => {}, query: async (text, params) => {
  if (text.startsWith('insert into meter_nums')) return []
  if (text.startsWith('select num, id')) return params.map((id) => ({ num: ++nums, id }))
  if (text.startsWith('insert into sample_blocks')) { const out = []; for (let i = 0; i < params.length; i += 2) out.push({ m: params[i], hour: params[i + 1] }); return out }
  return [] } }
const engine = { kind, transaction: (fn) => fn(tx), least: (a, b) => `min(${a},${b})`, greatest: (a, b) => `max(${a},${b})` }
const ingest = createIngest(engine)
const N = 200000
let b = [], s = 0, cpu = 0
const w = async () => { const c0 = process.cpuUsage(); const t0 = performance.now(); await ingest.write(b); s += performance.now() - t0; const c = process.cpuUsage(c0); cpu += c.user + c.system; b = [] }
if (process.env.PRE === '1') {
  const all = []; for (const r of readings('021861348591', START, N, 2000)) { b.push(r); if (b.length === 5000) { all.push(b); b = [] } }
  globalThis.gc(); for (const x of all) { b = x; await w() }
} else {
for (const r of readings('021861348591', START, N, 2000)) { b.push(r); if (b.length === 5000) await w() }
if (b.length) await w() }
console.log(JSON.stringify({ kind, usPerFrame: (s * 1000 / N).toFixed(2), cpuUsPerFrame: (cpu / N).toFixed(2) }))
