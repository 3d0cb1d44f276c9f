import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import type { TariffSnapshot } from './protocol.js'

/** The tariff state a frame shows (option, period, peak alerts, next day's profile), stamped `at` (epoch ms). */
export function tariffOf(frame: PipelineFrame, at: number): TariffSnapshot {
  const r = frame.reading
  return {
    at,
    option: r.contract.option,
    optionLabel: r.contract.optionLabel,
    period: r.period,
    peakNotice: r.alerts.includes('peak-notice'),
    peakActive: r.alerts.includes('peak-active'),
    nextDayProfile: r.calendar.nextDayProfile,
  }
}

/** Identity of a tariff state, to push a change at once. */
export function tariffKey(t: TariffSnapshot): string {
  const p = t.period
  return `${String(t.option)}|${String(p.index)}|${String(p.label)}|${String(p.tempoToday)}|${String(p.tempoTomorrow)}|${String(t.peakNotice)}|${String(t.peakActive)}`
}
