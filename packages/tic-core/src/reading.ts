import { parseAds } from './ads.js'
import type { Ads } from './ads.js'
import type { TicFrame } from './frame.js'
import type { TicGroup } from './group.js'
import { LABELS } from './labels/labels.js'
import type { TicMode } from './mode.js'
import { buildReading } from './reading-build.js'
import { ModeParts } from './reading-parts.js'
import type { ReadingBuilder, ReadingBuilderOptions, TicReading } from './reading-types.js'
import {
  emptySlots,
  ReadingValues,
  slot,
  SLOT_COUNT,
  slotOfLabel,
  USED_LABELS,
} from './reading-values.js'
import type { SlotGroups } from './reading-values.js'
import { parseStge } from './stge.js'
import type { Stge } from './stge.js'

export type {
  TicAlert,
  TicReading,
  TimedValue,
  ReadingBuilder,
  ReadingBuilderOptions,
} from './reading-types.js'

const TRI_EVIDENCE = new Set([
  'IINST1',
  'IINST2',
  'IINST3',
  'IMAX1',
  'IMAX2',
  'IMAX3',
  'PMAX',
  'PPOT',
  'ADIR1',
  'ADIR2',
  'ADIR3',
])
const MONO_EVIDENCE = new Set(['IINST', 'IMAX', 'ADPS'])

const EMPTY: readonly TicGroup[] = []

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
const OVERRUN_SLOTS = [slot('ADIR1'), slot('ADIR2'), slot('ADIR3'), slot('ADPS')]
const ADCO = slot('ADCO')
const ADSC = slot('ADSC')
const STGE = slot('STGE')
const STANDARD_TRI = new Set(
  LABELS.filter((l) => l.mode === 'standard' && l.phases === 'tri').map((l) => l.label),
)
const PRODUCER_LABELS: ReadonlySet<string> = new Set([
  'EAIT',
  'ERQ1',
  'ERQ2',
  'ERQ3',
  'ERQ4',
  'SINSTI',
  'SMAXIN',
  'SMAXIN-1',
  'CCAIN',
  'CCAIN-1',
])
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

/**
 * What the reading does with a label, in one lookup: its slot + 1 in the low 8 bits (0: not
 * used), its K_ bits above.
 */
const LABEL_CODE = new Map<string, number>()
for (const [l, k] of LABEL_KIND) LABEL_CODE.set(l, k << 8)
USED_LABELS.forEach((l, s) => LABEL_CODE.set(l, (LABEL_CODE.get(l) ?? 0) | (s + 1)))
if (SLOT_COUNT >= 0xff) throw new Error('reading slots do not fit LABEL_CODE')

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
  let values = emptySlots()
  let spare = emptySlots()
  /** The slot of each group of `lastGroups` (-1: a label the reading does not use). */
  const lastSlots: number[] = []
  const view = new ReadingValues()
  const parts = new ModeParts()
  let phases = new Hysteresis<1 | 3>(frames)
  let producer = new Hysteresis<boolean>(frames)
  let lastMode: TicMode | null = null
  let lastId: string | null = null
  let stge: Stge | null = null
  let ads: Ads | null = null
  let lastGroups: readonly TicGroup[] = EMPTY
  let lastEvidence = { tri: false, mono: false, prod: false, consumerEvidence: false }

  function reset(): void {
    values.fill(undefined)
    spare.fill(undefined)
    phases = new Hysteresis<1 | 3>(frames)
    producer = new Hysteresis<boolean>(frames)
    lastMode = null
    lastId = null
    stge = null
    ads = null
    lastGroups = EMPTY
  }

  /** Updates the state from one frame; returns the values in force for it. */
  function observe(frame: TicFrame): SlotGroups {
    const groups = frame.groups
    // Fast path: the same labels in the same order as the previous frame (the usual case), no
    // rejection, no short frame: the evidence is unchanged, only changed values are stored.
    let same =
      !frame.short &&
      frame.mode === lastMode &&
      groups.length === lastGroups.length &&
      !rejectsLabel(frame)
    for (let i = 0; same && i < groups.length; i++) {
      const g = groups[i]!
      const was = lastGroups[i]!
      same = g === was || g.label === was.label
    }
    let next: SlotGroups
    let tri: boolean
    let mono: boolean
    let prod: boolean
    let consumerEvidence: boolean
    if (same) {
      for (let i = 0; i < groups.length; i++) {
        const g = groups[i]!
        if (g !== lastGroups[i]) {
          const s = lastSlots[i]!
          if (s >= 0) values[s] = g
        }
      }
      next = values
      ;({ tri, mono, prod, consumerEvidence } = lastEvidence)
      const id = values[frame.mode === 'standard' ? ADSC : ADCO]?.value ?? null
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
      lastSlots.length = groups.length
      for (let i = 0; i < groups.length; i++) {
        const code = LABEL_CODE.get(groups[i]!.label) ?? 0
        lastSlots[i] = (code & 0xff) - 1
        const k = code >> 8
        if (k === 0) continue
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
      if (lastMode !== null && lastMode !== frame.mode) values.fill(undefined)
      lastMode = frame.mode
      if (id !== null && id !== lastId) {
        lastId = id
        ads = parseAds(id)
      }
      if (frame.short) {
        next = values.slice()
        for (const s of OVERRUN_SLOTS) next[s] = undefined
      } else {
        next = spare
        next.fill(undefined)
        // A value whose group was rejected in this frame stays as it was (one corrupted group
        // must not blank a field); labels simply absent are gone (ADPS after an overrun).
        for (const r of frame.rejected) {
          const s = r.label === undefined ? undefined : slotOfLabel(r.label)
          if (s !== undefined) next[s] = values[s]
        }
      }
      for (let i = 0; i < groups.length; i++) {
        const s = lastSlots[i]!
        if (s >= 0) next[s] = groups[i]
      }
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
    const stgeRaw = next[STGE]?.value
    if (stgeRaw !== stge?.raw) stge = parseStge(stgeRaw)
    if (stge?.producer === true) prod = true
    if (!standard) producer.observe(groups.length > 0 ? false : null)
    else if (consumerEvidence) producer.observe(prod)
    return next
  }

  function update(frame: TicFrame): TicReading {
    view.groups = observe(frame)
    return buildReading(view, parts, frame, stge, ads, phases.value, producer.value === true)
  }

  return {
    update,
    observe(frame) {
      observe(frame)
    },
    get meter() {
      return {
        id: lastId,
        mode: lastMode,
        phases: phases.value,
        producer: producer.value === true,
        kind: ads?.kind ?? 'unknown',
      }
    },
    reset,
  }
}
