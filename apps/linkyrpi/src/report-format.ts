import type { Report } from '@linkyrpi/analytics'

const EUR_KEY = /(^eur$|Eur$)/
const ENERGY_KEY = /(^wh$|Wh$|^va$|VA$)/

/**
 * JSON of a report with money rounded to the cent and energies/powers to the Wh/VA (prices per
 * kWh and per month are kept as the catalogue gives them). Totals are rounded once, from the
 * unrounded sums, so lines may differ from a total by a cent.
 */
export function reportJson(report: Report): string {
  return JSON.stringify(
    report,
    (key, v: unknown) => {
      if (typeof v !== 'number' || Number.isInteger(v) || !Number.isFinite(v)) return v
      if (key === 'eurPerKWh' || key === 'eurPerMonth') return v
      if (EUR_KEY.test(key)) return Math.round(v * 100) / 100
      if (ENERGY_KEY.test(key)) return Math.round(v)
      return Math.round(v * 10_000) / 10_000
    },
    2,
  )
}

const kwh = (wh: number): string => (wh / 1000).toFixed(1)
const eur = (v: number | null): string => (v === null ? 'no price' : v.toFixed(2))
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s)

/** The report for people, on a terminal. */
export function reportTable(r: Report): string {
  const out: string[] = []
  const c = r.coverage
  const current = r.contracts[r.contracts.length - 1]
  out.push(`LinkyRPi report: meter ${r.meter}, ${r.from} to ${r.to} (exclusive, ${r.timeZone})`)
  out.push(
    `Coverage: ${c.daysWithData}/${c.days} days with data (${(c.share * 100).toFixed(0)} %), ${c.gaps} reception gaps (${c.gapHours.toFixed(1)} h)${c.missingDays.length > 0 ? `; no data on ${summariseDays(c.missingDays)}` : ''}${c.resetDays.length > 0 ? `; index reset on ${c.resetDays.join(', ')} (left out)` : ''}`,
  )
  if (current !== undefined)
    out.push(
      `Contract: ${current.option ?? 'unknown'}${current.optionLabel === null ? '' : ` (${current.optionLabel})`}, ${current.subscribedKVA ?? '?'} kVA${r.contracts.length > 1 ? `; ${r.contracts.length - 1} change(s), see JSON` : ''}`,
    )
  out.push('')
  out.push(`${pad('Energy', 34)}${lpad('kWh', 10)}${lpad('€/kWh', 9)}${lpad('€', 10)}`)
  for (const l of r.cost.lines) {
    out.push(
      `${pad(`${l.label} ${l.from}..${l.to}`, 34)}${lpad(kwh(l.wh), 10)}${lpad(l.eurPerKWh.toFixed(4), 9)}${lpad(l.eur.toFixed(2), 10)}${l.uncertain === undefined ? '' : ' *'}`,
    )
  }
  for (const s of r.cost.subscriptionLines) {
    out.push(
      `${pad(`Subscription ${s.option} ${s.kva} kVA, ${s.days} d`, 34)}${lpad('', 10)}${lpad(`${s.eurPerMonth.toFixed(2)}/mo`, 9)}${lpad(s.eur.toFixed(2), 10)}`,
    )
  }
  out.push(
    `${pad('Total', 34)}${lpad(kwh(r.energy.importWh), 10)}${lpad('', 9)}${lpad(eur(r.cost.totalEur), 10)}`,
  )
  for (const u of r.cost.unpriced)
    out.push(
      `  not priced: ${u.what}${u.index === undefined ? '' : ` index ${u.index}`} ${u.from}..${u.to}${u.wh === undefined ? '' : ` (${kwh(u.wh)} kWh)`}: ${u.reason}`,
    )
  if (r.cost.totalEur === null && r.cost.pricedEur > 0)
    out.push(`  (priced part only: ${r.cost.pricedEur.toFixed(2)} €)`)
  if (r.cost.lines.some((l) => l.uncertain !== undefined))
    out.push('  * price from fewer sources (uncertain), see docs/analytics.md')
  out.push('')
  out.push(
    `Contract comparison (same consumption, ${r.comparison[0]?.subscribedKVA ?? '?'} kVA)   total €   per year €   basis`,
  )
  for (const row of [...r.comparison].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))) {
    const name = `${row.rank === null ? '-' : String(row.rank)}. ${row.option}${row.current ? ' (current)' : ''}`
    out.push(
      `  ${pad(name, 36)}${lpad(eur(row.totalEur), 9)}${lpad(eur(row.annualEur), 13)}   ${row.basis}${row.missing === null ? '' : ` — ${row.missing}`}`,
    )
  }
  out.push('')
  const p = r.power
  out.push(
    `Power: highest ${p.maxVA ?? '?'} VA (daily max p50 ${fmt(p.dailyMaxVA.p50)}, p90 ${fmt(p.dailyMaxVA.p90)} VA) for ${p.subscribedKVA ?? '?'} kVA; ${p.overpowerEvents} overpower event(s); ${p.daysAbove80Pct} day(s) above 80 %`,
  )
  out.push(
    `  recommended: ${p.recommendedKVA ?? '?'} kVA (margin ${(p.margin * 100).toFixed(0)} %)${p.savingEurPerYear === null ? '' : `, ${p.savingEurPerYear >= 0 ? 'saves' : 'costs'} ${Math.abs(p.savingEurPerYear).toFixed(2)} €/year`}`,
  )
  const s = r.standby
  out.push(
    `Standby (night base load): ${fmt(s.va)} VA = ${fmt(s.kwhPerYear)} kWh/year = ${eur(s.eurPerYear)} €/year`,
  )
  if (r.phases !== null)
    out.push(
      `Phases: energy ${r.phases.energyShare.map((x) => `${(x * 100).toFixed(0)} %`).join(' / ')}, imbalance ${r.phases.imbalance.toFixed(2)}, most headroom on phase ${r.phases.headroomPhase}`,
    )
  if (r.production !== null)
    out.push(
      `Production: ${kwh(r.production.exportWh)} kWh exported; self-consumption ${r.production.selfConsumptionNote}`,
    )
  if (r.appliances.length > 0) {
    out.push('Appliances (estimated from the power curve):')
    for (const a of r.appliances)
      out.push(
        `  ${pad(a.kind, 14)}${lpad(String(a.activations), 5)} runs${lpad(kwh(a.energyWh), 10)} kWh${lpad(eur(a.eur), 10)} €`,
      )
  }
  out.push(`CO2: ${r.co2.kg.toFixed(1)} kg CO2e (${r.co2.gPerKWh} g/kWh)`)
  return `${out.join('\n')}\n`
}

const fmt = (v: number | null): string => (v === null ? '?' : String(Math.round(v)))

function summariseDays(days: readonly string[]): string {
  return days.length <= 4
    ? days.join(', ')
    : `${days.slice(0, 3).join(', ')} and ${days.length - 3} more`
}

/** One CSV line per day with data: energy per index, cost. */
export function reportCsv(r: Report): string {
  const indexes = [
    ...new Set(r.energy.byDay.flatMap((d) => Object.keys(d.byIndexWh).map(Number))),
  ].sort((a, b) => a - b)
  const cost = new Map(r.cost.byDay.map((d) => [d.day, d]))
  const head = [
    'day',
    'import_wh',
    'export_wh',
    ...indexes.map((i) => `index${i}_wh`),
    'energy_eur',
    'subscription_eur',
    'total_eur',
  ]
  const rows = [head.join(',')]
  const money = (v: number | null | undefined): string =>
    v === null || v === undefined ? '' : v.toFixed(2)
  for (const d of r.energy.byDay) {
    const c = cost.get(d.day)
    const total =
      c === undefined || c.energyEur === null || c.subscriptionEur === null
        ? null
        : c.energyEur + c.subscriptionEur
    rows.push(
      [
        d.day,
        d.importWh,
        d.exportWh,
        ...indexes.map((i) => d.byIndexWh[i] ?? 0),
        money(c?.energyEur),
        money(c?.subscriptionEur),
        money(total),
      ].join(','),
    )
  }
  return `${rows.join('\n')}\n`
}
