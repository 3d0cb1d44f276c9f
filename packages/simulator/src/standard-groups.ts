import { formatDayProfile, formatRelays } from '@linkyrpi/tic-core'
import type { TempoColour, TicAlert } from '@linkyrpi/tic-core'
import type { FrameContext } from './frame-context.js'
import type { FrameBody, FrameGroups } from './frame-groups.js'
import { isoLocalTime, pad, text16 } from './frame-text.js'
import { voltageMeanAt } from './meter-statistics.js'
import { announcedPeak, relayStates, stgeWord } from './meter-status.js'
import type { SimulatedOption, TariffCalendar } from './tariff-calendar.js'

const NGTF: Readonly<Record<SimulatedOption, string>> = {
  base: 'BASE',
  hc: 'H PLEINE/CREUSE',
  ejp: 'EJP',
  tempo: 'TEMPO',
}
const COLOUR_WORD: Readonly<Record<TempoColour, string>> = {
  blue: 'BLEU',
  white: 'BLANC',
  red: 'ROUGE',
}
const MSG1 = 'PAS DE          MESSAGE         '
/** PPOINTE: no mobile peak profile (11 unused slots). */
const PPOINTE = formatDayProfile([])

/** Tomorrow's day profile as PJOURF+1 sends it, recomputed once a local day. */
export interface NextDayProfile {
  /** The PJOURF+1 value on local day `today`. */
  (today: number): string
}

/** A {@link NextDayProfile} over `calendar`. */
export function nextDayProfile(calendar: TariffCalendar): NextDayProfile {
  let profileDay = -1
  let profileText = ''
  return (today) => {
    if (profileDay !== today) {
      profileDay = today
      profileText = formatDayProfile(calendar.dayProfile(today + 1))
    }
    return profileText
  }
}

/** Appends the groups of a standard frame (54E §6.2.3) to `groups`; `profile` gives PJOURF+1. */
export function standardGroups(
  groups: FrameGroups,
  c: FrameContext,
  profile: NextDayProfile,
): FrameBody {
  const { o, id, energy, stats, at, lt, tariff, m } = c
  const { amps, phaseIdx, phaseVA, u } = m
  const tri = o.phases === 3
  const h = (t: number): string => groups.horodate(t)
  const alerts = new Set<TicAlert>()
  const byIndex: Record<number, number> = {}
  let exportWh: number | null = null
  let injected: number | null = null
  groups.addFixed('ADSC', id.ads)
  groups.addFixed('VTIC', '02')
  groups.add('DATE', '', h(at))
  groups.addFixed('NGTF', text16(NGTF[o.option]))
  const ltarf =
    o.option === 'base'
      ? 'BASE'
      : o.option === 'hc'
        ? tariff.offPeak
          ? 'HEURE CREUSE'
          : 'HEURE PLEINE'
        : o.option === 'ejp'
          ? tariff.ejpPeak
            ? 'HEURE POINTE'
            : 'HEURE NORMALE'
          : `${tariff.offPeak ? 'HC' : 'HP'} ${COLOUR_WORD[tariff.tempoToday!]}`
  groups.add('LTARF', text16(ltarf))
  const importWh = Math.floor(energy.total)
  groups.add('EAST', pad(importWh, 9))
  for (let i = 1; i <= 10; i++) {
    const wh = Math.floor(energy.registers[i]!)
    byIndex[i] = wh
    groups.add(`EASF${pad(i, 2)}`, pad(wh, 9))
  }
  for (let i = 1; i <= 4; i++) groups.add(`EASD${pad(i, 2)}`, pad(energy.distributor[i]!, 9))
  if (o.producer) {
    exportWh = Math.floor(energy.exportTotal)
    groups.add('EAIT', pad(exportWh, 9))
    groups.add('ERQ1', pad(energy.reactive1, 9))
    for (let q = 2; q <= 4; q++) groups.add(`ERQ${String(q)}`, pad(0, 9))
  }
  for (const p of phaseIdx) groups.add(`IRMS${String(p + 1)}`, pad(amps[p]!, 3))
  for (const p of phaseIdx) groups.add(`URMS${String(p + 1)}`, pad(Math.round(u[p]!), 3))
  groups.addFixed('PREF', pad(o.subscribedKVA, 2))
  groups.addFixed('PCOUP', pad(o.subscribedKVA, 2))
  const apparent = Math.round(m.apparentVA)
  groups.add('SINSTS', pad(apparent, 5))
  const { maxTotal, maxPhase, maxInjected } = stats
  if (tri) for (const p of phaseIdx) groups.add(`SINSTS${String(p + 1)}`, pad(phaseVA[p]!, 5))
  groups.add('SMAXSN', pad(maxTotal.value, 5), h(maxTotal.at))
  if (tri)
    for (const p of phaseIdx)
      groups.add(`SMAXSN${String(p + 1)}`, pad(maxPhase[p]!.value, 5), h(maxPhase[p]!.at))
  groups.add('SMAXSN-1', pad(maxTotal.prevValue, 5), h(maxTotal.prevAt))
  if (tri)
    for (const p of phaseIdx)
      groups.add(`SMAXSN${String(p + 1)}-1`, pad(maxPhase[p]!.prevValue, 5), h(maxPhase[p]!.prevAt))
  if (o.producer) {
    injected = Math.round(m.injectedVA)
    groups.add('SINSTI', pad(injected, 5))
    groups.add('SMAXIN', pad(maxInjected.value, 5), h(maxInjected.at))
    groups.add('SMAXIN-1', pad(maxInjected.prevValue, 5), h(maxInjected.prevAt))
  }
  const { curve, curveInj } = energy
  if (curve[0] !== undefined) groups.add('CCASN', pad(curve[0].w, 5), h(curve[0].at))
  if (curve[1] !== undefined) groups.add('CCASN-1', pad(curve[1].w, 5), h(curve[1].at))
  if (o.producer) {
    if (curveInj[0] !== undefined) groups.add('CCAIN', pad(curveInj[0].w, 5), h(curveInj[0].at))
    if (curveInj[1] !== undefined) groups.add('CCAIN-1', pad(curveInj[1].w, 5), h(curveInj[1].at))
  }
  const umoy = stats.voltMean ?? u
  for (const p of phaseIdx)
    groups.add(`UMOY${String(p + 1)}`, pad(Math.round(umoy[p]!), 3), h(voltageMeanAt(stats, at)))
  const over = m.apparentVA > id.subscribedVA
  if (over) alerts.add('overpower')
  if (tariff.ejpNotice) alerts.add('peak-notice')
  if (tariff.ejpPeak) alerts.add('peak-active')
  groups.add('STGE', stgeWord(tariff, over, o.producer, m.exportW > 0))
  const peak = announcedPeak(tariff, lt)
  if (peak !== null) {
    groups.add('DPM1', '00', h(peak.start))
    groups.add('FPM1', '00', h(peak.end))
  }
  groups.addFixed('MSG1', MSG1)
  groups.addFixed('PRM', id.prm)
  const relays = relayStates(tariff)
  groups.add('RELAIS', formatRelays(relays))
  groups.add('NTARF', pad(tariff.index, 2))
  groups.add('NJOURF', pad(tariff.dayType, 2))
  groups.add('NJOURF+1', pad(tariff.nextDayType, 2))
  groups.addFixed('PJOURF+1', profile(lt.dayNumber))
  groups.addFixed('PPOINTE', PPOINTE)
  const rmsA = phaseIdx.map((p) => amps[p]!)
  return {
    alerts,
    importWh,
    byIndex,
    exportWh,
    rmsA,
    apparent,
    injected,
    relays,
    time: isoLocalTime(at),
  }
}
