import type { ModeParts } from './reading-parts.js'
import { phaseSet, slot } from './reading-values.js'
import type { ReadingValues } from './reading-values.js'
import type { Stge } from './stge.js'
import {
  optionFromLabels,
  periodCodeFromLabel,
  tempoFromLabel,
  tidyText as tidyTextRaw,
} from './tariff.js'
import type { PeriodCode, TariffOption, TempoColour } from './tariff.js'
import { memoByString } from './memo-last.js'

const tidyText = memoByString(tidyTextRaw, 64)

const NGTF = slot('NGTF')
const LTARF = slot('LTARF')
const PREF = slot('PREF')
const PCOUP = slot('PCOUP')
const NTARF = slot('NTARF')
const EAST = slot('EAST')
const SINSTS = slot('SINSTS')
const SINST1 = slot('SINST1')
const EASF = (
  [
    'EASF01',
    'EASF02',
    'EASF03',
    'EASF04',
    'EASF05',
    'EASF06',
    'EASF07',
    'EASF08',
    'EASF09',
    'EASF10',
  ] as const
).map(slot)
const EASD = (['EASD01', 'EASD02', 'EASD03', 'EASD04'] as const).map(slot)
const SINSTS_TRI = phaseSet(['SINSTS1', 'SINSTS2', 'SINSTS3'])
const IRMS = phaseSet(['IRMS1'])
const IRMS_TRI = phaseSet(['IRMS1', 'IRMS2', 'IRMS3'])
const URMS = phaseSet(['URMS1'])
const URMS_TRI = phaseSet(['URMS1', 'URMS2', 'URMS3'])
const UMOY = phaseSet(['UMOY1'])
const UMOY_TRI = phaseSet(['UMOY1', 'UMOY2', 'UMOY3'])

/** The period read from NGTF and LTARF, kept for the next frame (they change a few times a day). */
class LabelPeriod {
  ngtf: string | null = null
  ltarf: string | null = null
  option: TariffOption | null = null
  code: PeriodCode | null = null
  tempo: TempoColour | null = null
  set(ngtf: string | null, ltarf: string | null): void {
    this.ngtf = ngtf
    this.ltarf = ltarf
    this.option = optionFromLabels(ngtf, ltarf)
    this.code = periodCodeFromLabel(ltarf)
    this.tempo = tempoFromLabel(ltarf)
  }
}
const last = new LabelPeriod()
last.set(null, null)

/** Fills the standard fields of a reading (tic-spec.md §5): contract, period, energy, power, current, voltage. */
export function mapStandard(
  v: ReadingValues,
  tri: boolean,
  stge: Stge | null,
  out: ModeParts,
): void {
  const ngtf = tidyText(v.str(NGTF))
  const ltarf = tidyText(v.str(LTARF))
  if (ngtf !== last.ngtf || ltarf !== last.ltarf) last.set(ngtf, ltarf)
  out.optionLabel = ngtf
  const option = stge !== null && stge.tempoToday !== null ? 'tempo' : last.option
  out.option = option
  const pref = v.int(PREF)
  out.subscribedVA = pref === null ? null : pref * 1000
  const pcoup = v.int(PCOUP)
  out.cutoffVA = pcoup === null ? null : pcoup * 1000
  out.subscribedA = null
  out.index = v.int(NTARF) ?? stge?.supplierIndex ?? null
  out.label = ltarf
  out.code = last.code === null && option === 'base' ? 'base' : last.code
  out.tempoToday = stge?.tempoToday ?? last.tempo
  out.tempoTomorrow = stge?.tempoTomorrow ?? null
  out.importWh = v.int(EAST)
  out.byIndex.begin()
  for (let i = 0; i < EASF.length; i++) {
    const wh = v.int(EASF[i]!)
    if (wh !== null) out.byIndex.add(i + 1, wh)
  }
  out.importByIndexWh = out.byIndex.end()
  out.byDistributorIndex.begin()
  for (let i = 0; i < EASD.length; i++) {
    const wh = v.int(EASD[i]!)
    if (wh !== null) out.byDistributorIndex.add(i + 1, wh)
  }
  out.distributorByIndexWh = out.byDistributorIndex.endOrNull()
  out.apparentVA = v.int(SINSTS) ?? v.int(SINST1)
  out.apparentVAByPhase = v.perPhase(SINSTS_TRI)
  out.rmsA = v.perPhase(tri ? IRMS_TRI : IRMS)
  out.maxA = null
  out.overrunA = null
  out.rmsV = v.perPhase(tri ? URMS_TRI : URMS)
  out.meanV = v.perPhase(tri ? UMOY_TRI : UMOY)
}
