import type { DecodedFrame } from '@linkyrpi/tic-core'

/** A human-readable rendering of one frame: groups, rejections, and the reading's essentials. */
export function formatPretty(frame: DecodedFrame): string {
  const lines: string[] = []
  const r = frame.reading
  const head = [`— ${frame.mode}${frame.short ? ' (short frame)' : ''}`]
  if (r !== undefined) {
    if (r.meter.id !== null) head.push(`meter ${r.meter.id}`)
    if (r.time !== null) head.push(r.time)
  }
  lines.push(head.join(' · '))
  const width = Math.max(8, ...frame.groups.map((g) => g.label.length))
  for (const g of frame.groups) {
    lines.push(
      `  ${g.label.padEnd(width)}  ${g.horodate !== undefined ? `[${g.horodate}] ` : ''}${JSON.stringify(g.value)}`,
    )
  }
  for (const x of frame.rejected) lines.push(`  ✗ ${x.reason.padEnd(9)} ${JSON.stringify(x.raw)}`)
  if (r !== undefined) {
    const bits: string[] = []
    if (r.power.apparentVA !== null) bits.push(`${String(r.power.apparentVA)} VA`)
    if (r.power.injectedVA !== null) bits.push(`injecting ${String(r.power.injectedVA)} VA`)
    if (r.current.rmsA !== null)
      bits.push(`${r.current.rmsA.map((a) => (a === null ? '?' : String(a))).join('/')} A`)
    if (r.voltage.rmsV !== null)
      bits.push(`${r.voltage.rmsV.map((v) => (v === null ? '?' : String(v))).join('/')} V`)
    if (r.period.label !== null)
      bits.push(`period ${r.period.label} (index ${String(r.period.index)})`)
    if (r.energy.importWh !== null) bits.push(`import ${String(r.energy.importWh)} Wh`)
    if (r.alerts.length > 0) bits.push(`alerts: ${r.alerts.join(', ')}`)
    lines.push(`  = ${bits.join(' · ')}`)
  }
  return `${lines.join('\n')}\n`
}
