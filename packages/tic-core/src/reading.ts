import { parseAds } from './ads.js'
import type { Ads, MeterKind } from './ads.js'
import { parseDayProfile as parseDayProfileRaw } from './day-profile.js'
import type { DayProfileSlot } from './day-profile.js'
import type { TicFrame } from './frame.js'
import type { TicGroup } from './group.js'
import { parseHorodate as parseHorodateRaw } from './horodate.js'
import { parseInteger } from './integer.js'
import { LABELS } from './labels/labels.js'
import type { TicMode } from './mode.js'
import { memoByString } from './memo-last.js'
import { parsePpot } from './ppot.js'
import { parseRelays as parseRelaysRaw } from './relays.js'
import { parseStge } from './stge.js'
import type { Stge } from './stge.js'
import {
  HISTORIQUE_INDEX_LABELS,
  optionFromLabels,
  parseDemain,
  parseOptarif,
  parsePtec,
  periodCodeFromLabel,
  tempoFromLabel,
  tidyText as tidyTextRaw,
} from './tariff.js'
import type { PeriodCode, TariffOption, TempoColour } from './tariff.js'

/** Conditions worth a warning, whatever the mode. */
export type TicAlert =
  /** Subscribed power exceeded: ADPS, ADIRx, or STGE bit 7. */
  | 'overpower'
  /** Overvoltage on a phase (STGE bit 6). */
  | 'overvoltage'
  /** The meter's cut-off device is open (STGE bits 1-3). */
  | 'cutoff-open'
  /** The terminal cover is open (STGE bit 4). */
  | 'cover-open'
  /** The meter clock runs in degraded mode (STGE bit 16 or a lower-case season letter). */
  | 'clock-degraded'
  /** A phase has no potential (PPOT). */
  | 'phase-missing'
  /** An EJP / mobile-peak notice is running (PEJP, STGE bits 28-29). */
  | 'peak-notice'
  /** A mobile peak is in progress (PTEC `PM..`, STGE bits 30-31). */
  | 'peak-active'

/** A value with the time the meter attached to it (standard horodates). */
export interface TimedValue {
  /** The value, in the unit of the field that holds it. */
  readonly value: number
  /** The horodate as ISO 8601 with offset, or null when the season is unknown. */
  readonly at: string | null
}

/**
 * The mode-agnostic reading: one shape whatever the meter speaks. Fields the meter does not send
 * are null. Units are in the names (Wh, VA, W, A, V, VArh). See packages/tic-core/README.md.
 */
export interface TicReading {
  readonly meter: {
    /** ADS (ADCO in historique, ADSC in standard): 12 characters, the meter's serial. */
    readonly id: string | null
    /** The 14-digit delivery point (standard only; never the meter serial). */
    readonly prm: string | null
    readonly mode: TicMode
    /** 1 or 3, decided robustly over several frames; null before any evidence. */
    readonly phases: 1 | 3 | null
    /** True when the installation injects (standard producer labels or STGE bit 8). */
    readonly producer: boolean
    readonly kind: MeterKind
    /** The ADS decoded (manufacturer, year, model). */
    readonly ads: Ads | null
    /** VTIC (standard), null in historique. */
    readonly ticVersion: string | null
  }
  readonly contract: {
    readonly option: TariffOption | null
    /** OPTARIF as sent (historique) or NGTF tidied (standard). */
    readonly optionLabel: string | null
    /** Subscribed apparent power in VA: PREF × 1000, or ISOUSC × 200 V (× 3 on three-phase). */
    readonly subscribedVA: number | null
    /** Cut-off apparent power in VA (PCOUP × 1000, standard only). */
    readonly cutoffVA: number | null
    /** Subscribed current in A (ISOUSC, historique only). */
    readonly subscribedA: number | null
    /** HHPHC schedule letter (historique). */
    readonly hhphc: string | null
  }
  readonly period: {
    /** Supplier index counting now (1-10), the same numbering in both modes. */
    readonly index: number | null
    /** The period's name as the meter says it: PTEC (`HP..`) or LTARF tidied (`HEURE PLEINE`). */
    readonly label: string | null
    readonly code: PeriodCode | null
    readonly tempoToday: TempoColour | null
    readonly tempoTomorrow: TempoColour | null
    /** Distributor index counting now (1-4, standard only). */
    readonly distributorIndex: number | null
  }
  readonly energy: {
    /**
     * Total energy withdrawn in Wh: EAST (standard), or the sum of every index of the contract
     * (historique: the option's indexes). Null when the total is not known in full (an index
     * refused or missing): never a partial sum.
     */
    readonly importWh: number | null
    /** Energy per supplier index in Wh, keyed by index number (1-10). */
    readonly importByIndexWh: Readonly<Record<number, number>>
    /** Energy withdrawn per distributor index in Wh, keyed 1-4 (standard only). */
    readonly distributorByIndexWh: Readonly<Record<number, number>> | null
    /** Total energy injected in Wh (EAIT, producers). */
    readonly exportWh: number | null
    /** Reactive energy per quadrant in VArh, [Q1, Q2, Q3, Q4] (producers). */
    readonly reactiveVArh: readonly (number | null)[] | null
  }
  readonly power: {
    /** Apparent power withdrawn in VA (PAPP / SINSTS); null on a CBEMM without PAPP. */
    readonly apparentVA: number | null
    /** Apparent power per phase in VA (standard three-phase), else null. */
    readonly apparentVAByPhase: readonly (number | null)[] | null
    /** Apparent power injected in VA (SINSTI), producers only. */
    readonly injectedVA: number | null
    /** Today's maximum withdrawn apparent power (SMAXSN) in VA with its time. */
    readonly maxTodayVA: TimedValue | null
    /** Yesterday's maximum (SMAXSN-1) in VA. */
    readonly maxYesterdayVA: TimedValue | null
    /** Today's maximum injected apparent power (SMAXIN) in VA. */
    readonly maxInjectedTodayVA: TimedValue | null
    /** Historique three-phase PMAX: W on CBETM, VA (yesterday's max) on Linky. */
    readonly pmax: number | null
    /** Last complete load-curve point, withdrawn active power in W (CCASN). */
    readonly loadCurveW: TimedValue | null
    /** Last complete load-curve point, injected active power in W (CCAIN). */
    readonly loadCurveInjectedW: TimedValue | null
  }
  readonly current: {
    /** RMS current per phase in A (IINST/IINSTx, IRMSx): one entry, or three. */
    readonly rmsA: readonly (number | null)[] | null
    /** Maximum current per phase in A (IMAX/IMAXx, historique). */
    readonly maxA: readonly (number | null)[] | null
    /** Current of phases in overrun in A (ADPS / ADIRx), null entries for phases not in overrun. */
    readonly overrunA: readonly (number | null)[] | null
  }
  readonly voltage: {
    /** RMS voltage per phase in V (URMSx; TENSION on some old meters). */
    readonly rmsV: readonly (number | null)[] | null
    /** Mean voltage per phase in V over the regulatory interval (UMOYx). */
    readonly meanV: readonly (number | null)[] | null
    /** Phases without potential (PPOT, historique three-phase): [p1, p2, p3], true = missing. */
    readonly missingPhases: readonly boolean[] | null
  }
  /** The 8 relays (relay 1 first, true = closed), or null when not sent. */
  readonly relays: readonly boolean[] | null
  /** STGE decoded, or null. */
  readonly status: Stge | null
  readonly alerts: readonly TicAlert[]
  readonly messages: {
    /** MSG1 tidied, or null. */
    readonly msg1: string | null
    /** MSG2 tidied, or null. */
    readonly msg2: string | null
  }
  readonly calendar: {
    /** Today's / tomorrow's day number in the supplier calendar (NJOURF, NJOURF+1). */
    readonly dayNumber: number | null
    readonly nextDayNumber: number | null
    /** Tomorrow's profile (PJOURF+1). */
    readonly nextDayProfile: readonly DayProfileSlot[] | null
    /** The next mobile-peak day profile (PPOINTE). */
    readonly peakDayProfile: readonly DayProfileSlot[] | null
    /** Announced mobile peaks (DPMx/FPMx): number, start and end local times. */
    readonly mobilePeaks: readonly { readonly n: 1 | 2 | 3; readonly start: string | null; readonly end: string | null }[]
  }
  /** The meter clock (DATE) as ISO 8601 with offset, or null (historique has no clock). */
  readonly time: string | null
  /** True when built from a three-phase short frame: other fields come from the last long frame. */
  readonly short: boolean
}

/** Options of {@link createReadingBuilder}. */
export interface ReadingBuilderOptions {
  /** Consecutive frames of contrary evidence needed to change phases or producer (default 3). */
  readonly hysteresisFrames?: number
}

/** Builds readings frame after frame, keeping what a single frame cannot tell. */
export interface ReadingBuilder {
  /** The reading after `frame`. */
  update(frame: TicFrame): TicReading
  /**
   * Takes `frame` into account (identity, classification, values in force) without building the
   * reading: for callers that need the reading only now and then.
   */
  observe(frame: TicFrame): void
  /** What the builder knows of the meter so far. */
  readonly meter: {
    readonly id: string | null
    readonly mode: TicMode | null
    readonly phases: 1 | 3 | null
    readonly producer: boolean
    readonly kind: MeterKind
  }
  /** Forgets everything (a new meter). */
  reset(): void
}

const TRI_EVIDENCE = new Set(['IINST1', 'IINST2', 'IINST3', 'IMAX1', 'IMAX2', 'IMAX3', 'PMAX', 'PPOT', 'ADIR1', 'ADIR2', 'ADIR3'])
const MONO_EVIDENCE = new Set(['IINST', 'IMAX', 'ADPS'])
// Pure parsers memoised on their input: most fields repeat frame after frame.
const parseDayProfile = memoByString(parseDayProfileRaw, 16)
const parseHorodate = memoByString(parseHorodateRaw, 64)
const parseRelays = memoByString(parseRelaysRaw, 16)
const tidyText = memoByString(tidyTextRaw, 64)

const EMPTY: readonly TicGroup[] = []

type IndexList = readonly (readonly [label: string, index: number])[]
const ALL_INDEXES: IndexList = Object.entries(HISTORIQUE_INDEX_LABELS)
/** The historique index labels sent with each option (tic-spec.md §4.1 emission rules, §10). */
const OPTION_INDEXES: Readonly<Partial<Record<TariffOption, IndexList>>> = {
  base: [['BASE', 1]],
  hc: [['HCHC', 1], ['HCHP', 2]],
  ejp: [['EJPHN', 1], ['EJPHPM', 2]],
  tempo: ALL_INDEXES.filter(([l]) => l.startsWith('BBRH')),
}
const OPTION_OF_INDEX = new Map<string, IndexList>()
for (const list of Object.values(OPTION_INDEXES)) for (const [l] of list) OPTION_OF_INDEX.set(l, list)

/**
 * The index labels of the contract: those of OPTARIF's option, else (OPTARIF missing or unknown)
 * those of the one option whose index labels the frame carries; null when that cannot be told.
 */
function contractIndexes(option: TariffOption | null, v: Map<string, TicGroup>): IndexList | null {
  const known = option === null ? undefined : OPTION_INDEXES[option]
  if (known !== undefined) return known
  let found: IndexList | null = null
  for (const [l] of ALL_INDEXES) {
    if (!v.has(l)) continue
    const list = OPTION_OF_INDEX.get(l)!
    if (found !== null && found !== list) return null
    found = list
  }
  return found
}

// What a label says about the installation, as bits: one Map lookup per group.
const K_ID = 1
const K_TRI = 2
const K_MONO = 4
const K_STD_TRI = 8
const K_PRODUCER = 16
const K_IRMS1 = 32
const K_CONSUMER = 64

/** True when a frame rejected a group whose label could be read (its value is carried over). */
function rejectsLabel(frame: TicFrame): boolean {
  for (const r of frame.rejected) if (r.label !== undefined) return true
  return false
}
const OVERRUN_LABELS = ['ADIR1', 'ADIR2', 'ADIR3', 'ADPS']
const STANDARD_TRI = new Set(LABELS.filter((l) => l.mode === 'standard' && l.phases === 'tri').map((l) => l.label))
const PRODUCER_LABELS: ReadonlySet<string> = new Set(['EAIT', 'ERQ1', 'ERQ2', 'ERQ3', 'ERQ4', 'SINSTI', 'SMAXIN', 'SMAXIN-1', 'CCAIN', 'CCAIN-1'])
const LABEL_KIND = new Map<string, number>()
function addKind(labels: Iterable<string>, bit: number): void {
  for (const l of labels) LABEL_KIND.set(l, (LABEL_KIND.get(l) ?? 0) | bit)
}
addKind(['ADCO', 'ADSC'], K_ID)
addKind(TRI_EVIDENCE, K_TRI)
addKind(MONO_EVIDENCE, K_MONO)
addKind(STANDARD_TRI, K_STD_TRI)
addKind(PRODUCER_LABELS, K_PRODUCER)
addKind(['IRMS1'], K_IRMS1)
addKind(['EAST', 'STGE'], K_CONSUMER)

class Hysteresis<T> {
  value: T | null = null
  private candidate: T | null = null
  private count = 0
  constructor(private readonly frames: number) {}
  observe(evidence: T | null): void {
    if (evidence === null) return
    if (this.value === null || evidence === this.value) {
      this.value = evidence
      this.count = 0
      this.candidate = null
      return
    }
    if (evidence === this.candidate) this.count++
    else {
      this.candidate = evidence
      this.count = 1
    }
    if (this.count >= this.frames) {
      this.value = evidence
      this.count = 0
      this.candidate = null
    }
  }
}

/**
 * Creates a reading builder. It keeps the last long frame's values across three-phase short
 * frames, carries a value over one frame when its group was rejected, and changes phases or
 * producer only after `hysteresisFrames` consecutive frames agree (tic-spec.md §9.2, §11.16).
 */
export function createReadingBuilder(options: ReadingBuilderOptions = {}): ReadingBuilder {
  const frames = options.hysteresisFrames ?? 3
  // Two maps used in turn (no allocation per frame): the values in force and the previous ones.
  let values = new Map<string, TicGroup>()
  let spare = new Map<string, TicGroup>()
  let phases = new Hysteresis<1 | 3>(frames)
  let producer = new Hysteresis<boolean>(frames)
  let lastMode: TicMode | null = null
  let lastId: string | null = null
  let stge: Stge | null = null
  let ads: Ads | null = null
  let lastGroups: readonly TicGroup[] = EMPTY
  let lastEvidence = { tri: false, mono: false, prod: false, consumerEvidence: false }

  function reset(): void {
    values.clear()
    spare.clear()
    phases = new Hysteresis<1 | 3>(frames)
    producer = new Hysteresis<boolean>(frames)
    lastMode = null
    lastId = null
    stge = null
    ads = null
    lastGroups = EMPTY
  }

  /** Updates the state from one frame; returns the values in force for it. */
  function observe(frame: TicFrame): Map<string, TicGroup> {
    const groups = frame.groups
    // Fast path: the same labels in the same order as the previous frame (the usual case), no
    // rejection, no short frame: the evidence is unchanged, only changed values are stored.
    let same =
      !frame.short && frame.mode === lastMode && groups.length === lastGroups.length && !rejectsLabel(frame)
    for (let i = 0; same && i < groups.length; i++) same = groups[i]!.label === lastGroups[i]!.label
    let next: Map<string, TicGroup>
    let tri: boolean
    let mono: boolean
    let prod: boolean
    let consumerEvidence: boolean
    if (same) {
      for (let i = 0; i < groups.length; i++) {
        const g = groups[i]!
        if (g !== lastGroups[i]) values.set(g.label, g)
      }
      next = values
      ;({ tri, mono, prod, consumerEvidence } = lastEvidence)
      const id = values.get(frame.mode === 'standard' ? 'ADSC' : 'ADCO')?.value ?? null
      if (id !== null && id !== lastId) {
        // Same labels, another meter (two identical meters on one bus?): start afresh.
        reset()
        return observe(frame)
      }
    } else {
      let id: string | null = null
      tri = frame.short
      mono = false
      prod = false
      let irms1 = false
      consumerEvidence = false
      const standard = frame.mode === 'standard'
      for (let i = 0; i < groups.length; i++) {
        const l = groups[i]!.label
        const k = LABEL_KIND.get(l)
        if (k === undefined) continue
        if ((k & K_ID) !== 0) id = groups[i]!.value
        if ((k & K_TRI) !== 0 || (standard && (k & K_STD_TRI) !== 0)) tri = true
        else if ((k & K_MONO) !== 0) mono = true
        else if (standard) {
          if ((k & K_PRODUCER) !== 0) prod = true
          else if ((k & K_IRMS1) !== 0) irms1 = true
        }
        if (standard && (k & K_CONSUMER) !== 0) consumerEvidence = true
      }
      if (standard && !tri && irms1) mono = true
      if (id !== null && lastId !== null && id !== lastId) reset()
      if (lastMode !== null && lastMode !== frame.mode) values.clear()
      lastMode = frame.mode
      if (id !== null && id !== lastId) {
        lastId = id
        ads = parseAds(id)
      }
      if (frame.short) {
        next = new Map(values)
        for (const l of OVERRUN_LABELS) next.delete(l)
      } else {
        next = spare
        next.clear()
        // A value whose group was rejected in this frame stays as it was (one corrupted group
        // must not blank a field); labels simply absent are gone (ADPS after an overrun).
        for (const r of frame.rejected) {
          if (r.label !== undefined) {
            const prev = values.get(r.label)
            if (prev !== undefined) next.set(r.label, prev)
          }
        }
      }
      for (let i = 0; i < groups.length; i++) next.set(groups[i]!.label, groups[i]!)
      if (!frame.short) {
        spare = values
        values = next
      }
      lastEvidence = { tri, mono, prod, consumerEvidence }
    }
    lastGroups = frame.short || rejectsLabel(frame) ? EMPTY : groups
    const standard = frame.mode === 'standard'

    if (phases.value === null && ads?.phases != null && !tri && !mono) phases.observe(ads.phases)
    phases.observe(tri ? 3 : mono ? 1 : null)
    const stgeRaw = next.get('STGE')?.value
    if (stgeRaw !== stge?.raw) stge = parseStge(stgeRaw)
    if (stge?.producer === true) prod = true
    if (!standard) producer.observe(groups.length > 0 ? false : null)
    else if (consumerEvidence) producer.observe(prod)
    return next
  }

  function update(frame: TicFrame): TicReading {
    const next = observe(frame)
    return build(next, frame, stge, ads, phases.value, producer.value === true)
  }

  return {
    update,
    observe(frame) {
      observe(frame)
    },
    get meter() {
      return { id: lastId, mode: lastMode, phases: phases.value, producer: producer.value === true, kind: ads?.kind ?? 'unknown' }
    },
    reset,
  }
}

function build(
  v: Map<string, TicGroup>,
  frame: TicFrame,
  stge: Stge | null,
  ads: Ads | null,
  phases: 1 | 3 | null,
  producer: boolean,
): TicReading {
  const str = (l: string): string | undefined => v.get(l)?.value
  const int = (l: string): number | null => parseInteger(str(l))
  const timed = (l: string): TimedValue | null => {
    const g = v.get(l)
    const n = parseInteger(g?.value)
    if (g === undefined || n === null) return null
    return { value: n, at: parseHorodate(g.horodate)?.iso ?? null }
  }
  const perPhase = (labels: readonly string[]): (number | null)[] | null => {
    const out = labels.map(int)
    return out.every((x) => x === null) ? null : out
  }
  const hist = frame.mode === 'historique'
  const tri = phases === 3
  const alerts = new Set<TicAlert>()
  const id = str(hist ? 'ADCO' : 'ADSC') ?? str('ADCO') ?? str('ADSC') ?? null

  // Contract, period, energy.
  let option: TariffOption | null
  let optionLabel: string | null
  let subscribedVA: number | null
  let index: number | null
  let label: string | null
  let code: PeriodCode | null
  let tempoToday: TempoColour | null
  let tempoTomorrow: TempoColour | null
  let importWh: number | null = null
  const byIndex: Record<number, number> = {}
  let distributor: Record<number, number> | null = null
  if (hist) {
    optionLabel = str('OPTARIF') ?? null
    option = parseOptarif(optionLabel ?? undefined)
    const isousc = int('ISOUSC')
    subscribedVA = isousc === null ? null : isousc * 200 * (tri ? 3 : 1)
    const ptec = str('PTEC')
    const period = parsePtec(ptec)
    index = period?.index ?? null
    label = ptec ?? null
    code = period?.code ?? null
    tempoToday = period?.tempoColour ?? null
    tempoTomorrow = parseDemain(str('DEMAIN'))
    const indexes = contractIndexes(option, v)
    if (indexes === null) {
      // The contract's indexes cannot be told (no OPTARIF, several options' labels): each index
      // is reported, the total is not.
      for (const [l, n] of ALL_INDEXES) {
        const wh = int(l)
        if (wh !== null) byIndex[n] = wh
      }
    } else {
      // The full total over the contract's indexes, or null: never a partial sum, which would
      // look like a drop of the index.
      let sum = 0
      let full = true
      for (const [l, n] of indexes) {
        const wh = int(l)
        if (wh === null) full = false
        else {
          byIndex[n] = wh
          sum += wh
        }
      }
      importWh = full ? sum : null
    }
    if (str('ADPS') !== undefined || str('ADIR1') !== undefined || str('ADIR2') !== undefined || str('ADIR3') !== undefined) {
      alerts.add('overpower')
    }
    if (str('PEJP') !== undefined && code !== 'pm') alerts.add('peak-notice')
    if (code === 'pm') alerts.add('peak-active')
  } else {
    const ngtf = tidyText(str('NGTF'))
    const ltarf = tidyText(str('LTARF'))
    optionLabel = ngtf
    option = stge !== null && stge.tempoToday !== null ? 'tempo' : optionFromLabels(ngtf, ltarf)
    const pref = int('PREF')
    subscribedVA = pref === null ? null : pref * 1000
    index = int('NTARF') ?? stge?.supplierIndex ?? null
    label = ltarf
    code = periodCodeFromLabel(ltarf)
    if (code === null && option === 'base') code = 'base'
    tempoToday = stge?.tempoToday ?? tempoFromLabel(ltarf)
    tempoTomorrow = stge?.tempoTomorrow ?? null
    importWh = int('EAST')
    for (let i = 1; i <= 10; i++) {
      const wh = int(`EASF${String(i).padStart(2, '0')}`)
      if (wh !== null) byIndex[i] = wh
    }
    for (let i = 1; i <= 4; i++) {
      const wh = int(`EASD0${String(i)}`)
      if (wh !== null) (distributor ??= {})[i] = wh
    }
  }
  if (stge !== null) {
    if (stge.overpower) alerts.add('overpower')
    if (stge.overvoltage) alerts.add('overvoltage')
    if (stge.cutoff !== 'closed') alerts.add('cutoff-open')
    if (stge.coverOpen) alerts.add('cover-open')
    if (stge.clockDegraded) alerts.add('clock-degraded')
    if (stge.mobilePeakNotice !== 0) alerts.add('peak-notice')
    if (stge.mobilePeakActive !== 0) alerts.add('peak-active')
  }
  const date = parseHorodate(v.get('DATE')?.horodate)
  if (date?.degraded === true) alerts.add('clock-degraded')

  // Power, current, voltage.
  const apparentVA = hist ? int('PAPP') : (int('SINSTS') ?? int('SINST1'))
  const rmsA = hist
    ? tri
      ? perPhase(['IINST1', 'IINST2', 'IINST3'])
      : perPhase(['IINST'])
    : tri
      ? perPhase(['IRMS1', 'IRMS2', 'IRMS3'])
      : perPhase(['IRMS1'])
  const maxA = hist ? (tri ? perPhase(['IMAX1', 'IMAX2', 'IMAX3']) : perPhase(['IMAX'])) : null
  const overrunA = hist ? (tri ? perPhase(['ADIR1', 'ADIR2', 'ADIR3']) : perPhase(['ADPS'])) : null
  const ppot = parsePpot(str('PPOT'))
  const missingPhases = ppot === null ? null : [...ppot.missingPhases]
  if (missingPhases?.some(Boolean) === true) alerts.add('phase-missing')
  const mobilePeaks: { n: 1 | 2 | 3; start: string | null; end: string | null }[] = []
  for (const n of [1, 2, 3] as const) {
    const d = v.get(`DPM${String(n)}`)
    const f = v.get(`FPM${String(n)}`)
    if (d !== undefined || f !== undefined) {
      mobilePeaks.push({ n, start: parseHorodate(d?.horodate)?.local ?? null, end: parseHorodate(f?.horodate)?.local ?? null })
    }
  }
  const ads2 = ads ?? parseAds(id ?? undefined)
  return {
    meter: {
      id,
      prm: str('PRM') ?? null,
      mode: frame.mode,
      phases,
      producer,
      kind: ads2?.kind ?? 'unknown',
      ads: ads2,
      ticVersion: str('VTIC') ?? null,
    },
    contract: {
      option,
      optionLabel,
      subscribedVA,
      cutoffVA: hist ? null : (() => {
        const p = int('PCOUP')
        return p === null ? null : p * 1000
      })(),
      subscribedA: hist ? int('ISOUSC') : null,
      hhphc: str('HHPHC') ?? null,
    },
    period: {
      index,
      label,
      code,
      tempoToday,
      tempoTomorrow,
      distributorIndex: stge?.distributorIndex ?? null,
    },
    energy: {
      importWh,
      importByIndexWh: byIndex,
      distributorByIndexWh: distributor,
      exportWh: int('EAIT'),
      reactiveVArh: perPhase(['ERQ1', 'ERQ2', 'ERQ3', 'ERQ4']),
    },
    power: {
      apparentVA,
      apparentVAByPhase: hist ? null : perPhase(['SINSTS1', 'SINSTS2', 'SINSTS3']),
      injectedVA: int('SINSTI'),
      maxTodayVA: timed('SMAXSN') ?? timed('SMAXN'),
      maxYesterdayVA: timed('SMAXSN-1') ?? timed('SMAXN-1'),
      maxInjectedTodayVA: timed('SMAXIN'),
      pmax: int('PMAX'),
      loadCurveW: timed('CCASN'),
      loadCurveInjectedW: timed('CCAIN'),
    },
    current: { rmsA, maxA, overrunA },
    voltage: {
      rmsV: hist ? perPhase(['TENSION']) : tri ? perPhase(['URMS1', 'URMS2', 'URMS3']) : perPhase(['URMS1']),
      meanV: hist ? null : tri ? perPhase(['UMOY1', 'UMOY2', 'UMOY3']) : perPhase(['UMOY1']),
      missingPhases,
    },
    relays: parseRelays(str('RELAIS')),
    status: stge,
    alerts: [...alerts],
    messages: { msg1: tidyText(str('MSG1')), msg2: tidyText(str('MSG2')) },
    calendar: {
      dayNumber: int('NJOURF'),
      nextDayNumber: int('NJOURF+1'),
      nextDayProfile: parseDayProfile(str('PJOURF+1')),
      peakDayProfile: parseDayProfile(str('PPOINTE')),
      mobilePeaks,
    },
    time: date?.iso ?? null,
    short: frame.short,
  }
}
