import type { TicGroup } from './group.js'
import { createHorodateCache } from './horodate-cache.js'
import { parseInteger } from './integer.js'
import type { TimedValue } from './reading-types.js'

/** The labels a reading is built from, each with a slot number (its index here). */
const USED = [
  'ADCO',
  'ADSC',
  'PRM',
  'VTIC',
  'OPTARIF',
  'ISOUSC',
  'HHPHC',
  'PTEC',
  'DEMAIN',
  'PEJP',
  'BASE',
  'HCHC',
  'HCHP',
  'EJPHN',
  'EJPHPM',
  'BBRHCJB',
  'BBRHPJB',
  'BBRHCJW',
  'BBRHPJW',
  'BBRHCJR',
  'BBRHPJR',
  'ADPS',
  'ADIR1',
  'ADIR2',
  'ADIR3',
  'PAPP',
  'IINST',
  'IINST1',
  'IINST2',
  'IINST3',
  'IMAX',
  'IMAX1',
  'IMAX2',
  'IMAX3',
  'PMAX',
  'PPOT',
  'TENSION',
  'NGTF',
  'LTARF',
  'PREF',
  'PCOUP',
  'NTARF',
  'EAST',
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
  'EASD01',
  'EASD02',
  'EASD03',
  'EASD04',
  'EAIT',
  'ERQ1',
  'ERQ2',
  'ERQ3',
  'ERQ4',
  'IRMS1',
  'IRMS2',
  'IRMS3',
  'URMS1',
  'URMS2',
  'URMS3',
  'UMOY1',
  'UMOY2',
  'UMOY3',
  'SINSTS',
  'SINSTS1',
  'SINSTS2',
  'SINSTS3',
  'SINST1',
  'SINSTI',
  'SMAXSN',
  'SMAXN',
  'SMAXSN-1',
  'SMAXN-1',
  'SMAXIN',
  'CCASN',
  'CCAIN',
  'STGE',
  'DATE',
  'RELAIS',
  'MSG1',
  'MSG2',
  'NJOURF',
  'NJOURF+1',
  'PJOURF+1',
  'PPOINTE',
  'DPM1',
  'DPM2',
  'DPM3',
  'FPM1',
  'FPM2',
  'FPM3',
] as const

/** Every label the reading uses, in slot order. */
export const USED_LABELS: readonly string[] = USED

/** A label the reading uses. */
export type UsedLabel = (typeof USED)[number]

const SLOTS = new Map<string, number>(USED.map((l, i) => [l, i]))

/** Number of slots of a {@link SlotGroups}. */
export const SLOT_COUNT = USED.length

/** The slot of a label the reading uses, or undefined for any other label (one Map lookup). */
export function slotOfLabel(label: string): number | undefined {
  return SLOTS.get(label)
}

/** The slot of a label the reading uses (module constants of the mappings). */
export function slot(label: UsedLabel): number {
  return SLOTS.get(label)!
}

/** The groups in force, by slot: one array per frame state, no Map. */
export type SlotGroups = (TicGroup | undefined)[]

/** An empty {@link SlotGroups}. */
export function emptySlots(): SlotGroups {
  return new Array<TicGroup | undefined>(SLOT_COUNT).fill(undefined)
}

const phaseSets: (readonly number[])[] = []

/** Registers a list of per-phase labels; the id is passed to {@link ReadingValues.perPhase}. */
export function phaseSet(labels: readonly UsedLabel[]): number {
  phaseSets.push(labels.map(slot))
  return phaseSets.length - 1
}

/**
 * Read access to the groups in force for one reading, with the parsed numbers cached per slot:
 * most values are the same strings as in the previous frame, parsed once. Results shared
 * between readings are immutable.
 */
export class ReadingValues {
  /** The groups in force for the reading being built. */
  groups: SlotGroups = emptySlots()
  /** This builder's horodate parser: its cache follows this meter's clock (horodate-cache.ts). */
  readonly horodate = createHorodateCache()
  private readonly intRaw: (string | undefined)[] = new Array<string | undefined>(SLOT_COUNT).fill(
    undefined,
  )
  private readonly intValue: (number | null)[] = new Array<number | null>(SLOT_COUNT).fill(null)
  private readonly timedGroup: (TicGroup | undefined)[] = new Array<TicGroup | undefined>(
    SLOT_COUNT,
  ).fill(undefined)
  private readonly timedValue: (TimedValue | null)[] = new Array<TimedValue | null>(
    SLOT_COUNT,
  ).fill(null)
  private readonly phaseLast: ((number | null)[] | undefined)[] = []
  private readonly phaseResult: ((number | null)[] | null)[] = []

  /** The group of a slot, or undefined. */
  group(s: number): TicGroup | undefined {
    return this.groups[s]
  }

  /** The raw value of a slot, or undefined. */
  str(s: number): string | undefined {
    return this.groups[s]?.value
  }

  /** The value of a slot as a non-negative integer, or null (see parseInteger). */
  int(s: number): number | null {
    const raw = this.groups[s]?.value
    if (raw === undefined) return null
    if (raw === this.intRaw[s]) return this.intValue[s]!
    const n = parseInteger(raw)
    this.intRaw[s] = raw
    this.intValue[s] = n
    return n
  }

  /** The value of a slot with its horodate's instant, or null. */
  timed(s: number): TimedValue | null {
    const g = this.groups[s]
    if (g === undefined) return null
    if (g === this.timedGroup[s]) return this.timedValue[s]!
    const n = parseInteger(g.value)
    const t = n === null ? null : { value: n, at: this.horodate(g.horodate)?.iso ?? null }
    this.timedGroup[s] = g
    this.timedValue[s] = t
    return t
  }

  /** The integers of a {@link phaseSet}, or null when none is present. */
  perPhase(set: number): readonly (number | null)[] | null {
    const slots = phaseSets[set]!
    let last = this.phaseLast[set]
    if (last === undefined) {
      last = new Array<number | null>(slots.length).fill(null)
      this.phaseLast[set] = last
      this.phaseResult[set] = null
    }
    let changed = false
    let any = false
    for (let i = 0; i < slots.length; i++) {
      const n = this.int(slots[i]!)
      if (n !== null) any = true
      if (last[i] !== n) {
        last[i] = n
        changed = true
      }
    }
    if (!changed) return this.phaseResult[set]!
    const result = any ? last.slice() : null
    this.phaseResult[set] = result
    return result
  }
}
