import type { ModeParts } from './reading-parts.js'
import { phaseSet, slot } from './reading-values.js'
import type { ReadingValues, UsedLabel } from './reading-values.js'
import { HISTORIQUE_INDEX_LABELS, parseDemain, parseOptarif, parsePtec } from './tariff.js'
import type { TariffOption } from './tariff.js'

type IndexList = readonly (readonly [slot: number, index: number])[]
const ALL_INDEXES: IndexList = Object.entries(HISTORIQUE_INDEX_LABELS).map(
  ([l, n]) => [slot(l as UsedLabel), n] as const,
)
const indexes = (...labels: UsedLabel[]): IndexList =>
  labels.map((l) => [slot(l), HISTORIQUE_INDEX_LABELS[l]!] as const)
/** The historique index labels sent with each option (tic-spec.md §4.1 emission rules, §10). */
const OPTION_INDEXES: Readonly<Partial<Record<TariffOption, IndexList>>> = {
  base: indexes('BASE'),
  hc: indexes('HCHC', 'HCHP'),
  ejp: indexes('EJPHN', 'EJPHPM'),
  tempo: indexes('BBRHCJB', 'BBRHPJB', 'BBRHCJW', 'BBRHPJW', 'BBRHCJR', 'BBRHPJR'),
}
const OPTION_OF_INDEX = new Map<number, IndexList>()
for (const list of Object.values(OPTION_INDEXES))
  for (const [s] of list) OPTION_OF_INDEX.set(s, list)

const OPTARIF = slot('OPTARIF')
const ISOUSC = slot('ISOUSC')
const PTEC = slot('PTEC')
const DEMAIN = slot('DEMAIN')
const PEJP = slot('PEJP')
const PAPP = slot('PAPP')
const OVERRUN = [slot('ADPS'), slot('ADIR1'), slot('ADIR2'), slot('ADIR3')]
const IINST = phaseSet(['IINST'])
const IINST_TRI = phaseSet(['IINST1', 'IINST2', 'IINST3'])
const IMAX = phaseSet(['IMAX'])
const IMAX_TRI = phaseSet(['IMAX1', 'IMAX2', 'IMAX3'])
const ADPS = phaseSet(['ADPS'])
const ADIR = phaseSet(['ADIR1', 'ADIR2', 'ADIR3'])
const TENSION = phaseSet(['TENSION'])

/**
 * The index labels of the contract: those of OPTARIF's option, else (OPTARIF missing or unknown)
 * those of the one option whose index labels the frame carries; null when that cannot be told.
 */
function contractIndexes(option: TariffOption | null, v: ReadingValues): IndexList | null {
  const known = option === null ? undefined : OPTION_INDEXES[option]
  if (known !== undefined) return known
  let found: IndexList | null = null
  for (const [s] of ALL_INDEXES) {
    if (v.group(s) === undefined) continue
    const list = OPTION_OF_INDEX.get(s)!
    if (found !== null && found !== list) return null
    found = list
  }
  return found
}

/** Fills the historique fields of a reading (tic-spec.md §4): contract, period, energy, power, current, voltage. */
export function mapHistorique(v: ReadingValues, tri: boolean, out: ModeParts): void {
  const optionLabel = v.str(OPTARIF) ?? null
  out.optionLabel = optionLabel
  out.option = parseOptarif(optionLabel ?? undefined)
  const isousc = v.int(ISOUSC)
  out.subscribedVA = isousc === null ? null : isousc * 200 * (tri ? 3 : 1)
  out.cutoffVA = null
  out.subscribedA = isousc
  const ptec = v.str(PTEC)
  const period = parsePtec(ptec)
  out.index = period?.index ?? null
  out.label = ptec ?? null
  const code = period?.code ?? null
  out.code = code
  out.tempoToday = period?.tempoColour ?? null
  out.tempoTomorrow = parseDemain(v.str(DEMAIN))
  const byIndex = out.byIndex
  byIndex.begin()
  const list = contractIndexes(out.option, v)
  out.importWh = null
  if (list === null) {
    // The contract's indexes cannot be told (no OPTARIF, several options' labels): each index
    // is reported, the total is not.
    for (const [s, n] of ALL_INDEXES) {
      const wh = v.int(s)
      if (wh !== null) byIndex.add(n, wh)
    }
  } else {
    // The full total over the contract's indexes, or null: never a partial sum, which would
    // look like a drop of the index.
    let sum = 0
    let full = true
    for (let i = 0; i < list.length; i++) {
      const [s, n] = list[i]!
      const wh = v.int(s)
      if (wh === null) full = false
      else {
        byIndex.add(n, wh)
        sum += wh
      }
    }
    out.importWh = full ? sum : null
  }
  out.importByIndexWh = byIndex.end()
  out.distributorByIndexWh = null
  for (const s of OVERRUN) {
    if (v.group(s) !== undefined) {
      out.alert('overpower')
      break
    }
  }
  if (v.group(PEJP) !== undefined && code !== 'pm') out.alert('peak-notice')
  if (code === 'pm') out.alert('peak-active')
  out.apparentVA = v.int(PAPP)
  out.apparentVAByPhase = null
  out.rmsA = v.perPhase(tri ? IINST_TRI : IINST)
  out.maxA = v.perPhase(tri ? IMAX_TRI : IMAX)
  out.overrunA = v.perPhase(tri ? ADIR : ADPS)
  out.rmsV = v.perPhase(TENSION)
  out.meanV = null
}
