import { parseAds } from './ads.js'
import type { Ads } from './ads.js'
import { parseDayProfile as parseDayProfileRaw } from './day-profile.js'
import type { TicFrame } from './frame.js'
import { memoByString } from './memo-last.js'
import { parsePpot as parsePpotRaw } from './ppot.js'
import { mapHistorique } from './reading-historique.js'
import { NO_ALERTS } from './reading-parts.js'
import type { ModeParts } from './reading-parts.js'
import { mapStandard } from './reading-standard.js'
import type { TicReading } from './reading-types.js'
import { phaseSet, slot } from './reading-values.js'
import type { ReadingValues } from './reading-values.js'
import { parseRelays as parseRelaysRaw } from './relays.js'
import type { Stge } from './stge.js'
import { tidyText as tidyTextRaw } from './tariff.js'

// Pure parsers memoised on their input: most fields repeat frame after frame.
const parseDayProfile = memoByString(parseDayProfileRaw, 16)
const parseRelays = memoByString(parseRelaysRaw, 16)
const parsePpot = memoByString(parsePpotRaw, 16)
const tidyText = memoByString(tidyTextRaw, 64)

const ADCO = slot('ADCO')
const ADSC = slot('ADSC')
const PRM = slot('PRM')
const VTIC = slot('VTIC')
const HHPHC = slot('HHPHC')
const DATE = slot('DATE')
const PPOT = slot('PPOT')
const EAIT = slot('EAIT')
const SINSTI = slot('SINSTI')
const SMAXSN = slot('SMAXSN')
const SMAXN = slot('SMAXN')
const SMAXSN1 = slot('SMAXSN-1')
const SMAXN1 = slot('SMAXN-1')
const SMAXIN = slot('SMAXIN')
const PMAX = slot('PMAX')
const CCASN = slot('CCASN')
const CCAIN = slot('CCAIN')
const RELAIS = slot('RELAIS')
const MSG1 = slot('MSG1')
const MSG2 = slot('MSG2')
const NJOURF = slot('NJOURF')
const NJOURF1 = slot('NJOURF+1')
const PJOURF1 = slot('PJOURF+1')
const PPOINTE = slot('PPOINTE')
const PEAK_NUMBERS = [1, 2, 3] as const
const PEAK_STARTS = [slot('DPM1'), slot('DPM2'), slot('DPM3')]
const PEAK_ENDS = [slot('FPM1'), slot('FPM2'), slot('FPM3')]
const ERQ = phaseSet(['ERQ1', 'ERQ2', 'ERQ3', 'ERQ4'])
/** Shared by the readings without mobile peaks (readings are immutable). */
const NO_PEAKS: TicReading['calendar']['mobilePeaks'] = Object.freeze([])

/**
 * Builds the reading of a frame from the groups in force (`v`), the mode's mapping
 * (reading-historique.ts or reading-standard.ts) filling `parts`, and what the builder decided
 * over several frames (status, identity, phases, producer).
 */
export function buildReading(
  v: ReadingValues,
  parts: ModeParts,
  frame: TicFrame,
  stge: Stge | null,
  ads: Ads | null,
  phases: 1 | 3 | null,
  producer: boolean,
): TicReading {
  const hist = frame.mode === 'historique'
  const tri = phases === 3
  const id = v.str(hist ? ADCO : ADSC) ?? v.str(ADCO) ?? v.str(ADSC) ?? null
  parts.alerts = NO_ALERTS
  if (hist) mapHistorique(v, tri, parts)
  else mapStandard(v, tri, stge, parts)
  if (stge !== null) {
    if (stge.overpower) parts.alert('overpower')
    if (stge.overvoltage) parts.alert('overvoltage')
    if (stge.cutoff !== 'closed') parts.alert('cutoff-open')
    if (stge.coverOpen) parts.alert('cover-open')
    if (stge.clockDegraded) parts.alert('clock-degraded')
    if (stge.mobilePeakNotice !== 0) parts.alert('peak-notice')
    if (stge.mobilePeakActive !== 0) parts.alert('peak-active')
  }
  const date = v.horodate(v.group(DATE)?.horodate)
  if (date?.degraded === true) parts.alert('clock-degraded')
  const ppot = parsePpot(v.str(PPOT))
  const missingPhases = ppot === null ? null : ppot.missingPhases
  if (missingPhases?.some(Boolean) === true) parts.alert('phase-missing')
  let mobilePeaks: TicReading['calendar']['mobilePeaks'] = NO_PEAKS
  for (let i = 0; i < 3; i++) {
    const d = v.group(PEAK_STARTS[i]!)
    const f = v.group(PEAK_ENDS[i]!)
    if (d !== undefined || f !== undefined) {
      if (mobilePeaks === NO_PEAKS) mobilePeaks = []
      ;(mobilePeaks as TicReading['calendar']['mobilePeaks'][number][]).push({
        n: PEAK_NUMBERS[i]!,
        start: v.horodate(d?.horodate)?.local ?? null,
        end: v.horodate(f?.horodate)?.local ?? null,
      })
    }
  }
  const ads2 = ads ?? parseAds(id ?? undefined)
  // Parts that rarely change are shared with the previous reading when equal (readings are
  // immutable): fewer objects per frame.
  const previous = parts.previous
  const prm = v.str(PRM) ?? null
  const ticVersion = v.str(VTIC) ?? null
  const kind = ads2?.kind ?? 'unknown'
  const pm = previous?.meter
  const meter: TicReading['meter'] =
    pm !== undefined &&
    pm.id === id &&
    pm.prm === prm &&
    pm.mode === frame.mode &&
    pm.phases === phases &&
    pm.producer === producer &&
    pm.kind === kind &&
    pm.ads === ads2 &&
    pm.ticVersion === ticVersion
      ? pm
      : { id, prm, mode: frame.mode, phases, producer, kind, ads: ads2, ticVersion }
  const hhphc = v.str(HHPHC) ?? null
  const pc = previous?.contract
  const contract: TicReading['contract'] =
    pc !== undefined &&
    pc.option === parts.option &&
    pc.optionLabel === parts.optionLabel &&
    pc.subscribedVA === parts.subscribedVA &&
    pc.cutoffVA === parts.cutoffVA &&
    pc.subscribedA === parts.subscribedA &&
    pc.hhphc === hhphc
      ? pc
      : {
          option: parts.option,
          optionLabel: parts.optionLabel,
          subscribedVA: parts.subscribedVA,
          cutoffVA: parts.cutoffVA,
          subscribedA: parts.subscribedA,
          hhphc,
        }
  const distributorIndex = stge?.distributorIndex ?? null
  const pp = previous?.period
  const period: TicReading['period'] =
    pp !== undefined &&
    pp.index === parts.index &&
    pp.label === parts.label &&
    pp.code === parts.code &&
    pp.tempoToday === parts.tempoToday &&
    pp.tempoTomorrow === parts.tempoTomorrow &&
    pp.distributorIndex === distributorIndex
      ? pp
      : {
          index: parts.index,
          label: parts.label,
          code: parts.code,
          tempoToday: parts.tempoToday,
          tempoTomorrow: parts.tempoTomorrow,
          distributorIndex,
        }
  const msg1 = tidyText(v.str(MSG1))
  const msg2 = tidyText(v.str(MSG2))
  const pmsg = previous?.messages
  const messages: TicReading['messages'] =
    pmsg !== undefined && pmsg.msg1 === msg1 && pmsg.msg2 === msg2 ? pmsg : { msg1, msg2 }
  const exportWh = v.int(EAIT)
  const reactiveVArh = v.perPhase(ERQ)
  const pe = previous?.energy
  const energy: TicReading['energy'] =
    pe !== undefined &&
    pe.importWh === parts.importWh &&
    pe.importByIndexWh === parts.importByIndexWh &&
    pe.distributorByIndexWh === parts.distributorByIndexWh &&
    pe.exportWh === exportWh &&
    pe.reactiveVArh === reactiveVArh
      ? pe
      : {
          importWh: parts.importWh,
          importByIndexWh: parts.importByIndexWh,
          distributorByIndexWh: parts.distributorByIndexWh,
          exportWh,
          reactiveVArh,
        }
  const pcur = previous?.current
  const current: TicReading['current'] =
    pcur !== undefined &&
    pcur.rmsA === parts.rmsA &&
    pcur.maxA === parts.maxA &&
    pcur.overrunA === parts.overrunA
      ? pcur
      : { rmsA: parts.rmsA, maxA: parts.maxA, overrunA: parts.overrunA }
  const pv = previous?.voltage
  const voltage: TicReading['voltage'] =
    pv !== undefined &&
    pv.rmsV === parts.rmsV &&
    pv.meanV === parts.meanV &&
    pv.missingPhases === missingPhases
      ? pv
      : { rmsV: parts.rmsV, meanV: parts.meanV, missingPhases }
  const dayNumber = v.int(NJOURF)
  const nextDayNumber = v.int(NJOURF1)
  const nextDayProfile = parseDayProfile(v.str(PJOURF1))
  const peakDayProfile = parseDayProfile(v.str(PPOINTE))
  const pcal = previous?.calendar
  const calendar: TicReading['calendar'] =
    pcal !== undefined &&
    pcal.dayNumber === dayNumber &&
    pcal.nextDayNumber === nextDayNumber &&
    pcal.nextDayProfile === nextDayProfile &&
    pcal.peakDayProfile === peakDayProfile &&
    pcal.mobilePeaks === mobilePeaks
      ? pcal
      : { dayNumber, nextDayNumber, nextDayProfile, peakDayProfile, mobilePeaks }
  const reading: TicReading = {
    meter,
    contract,
    period,
    energy,
    power: {
      apparentVA: parts.apparentVA,
      apparentVAByPhase: parts.apparentVAByPhase,
      injectedVA: v.int(SINSTI),
      maxTodayVA: v.timed(SMAXSN) ?? v.timed(SMAXN),
      maxYesterdayVA: v.timed(SMAXSN1) ?? v.timed(SMAXN1),
      maxInjectedTodayVA: v.timed(SMAXIN),
      pmax: v.int(PMAX),
      loadCurveW: v.timed(CCASN),
      loadCurveInjectedW: v.timed(CCAIN),
    },
    current,
    voltage,
    relays: parseRelays(v.str(RELAIS)),
    status: stge,
    alerts: parts.alerts,
    messages,
    calendar,
    time: date?.iso ?? null,
    short: frame.short,
  }
  parts.previous = reading
  return reading
}
