/**
 * Row mapping: every column comes from tic-core's mode-agnostic `TicReading` (plus the receive
 * time), so both TIC modes and both engines share one mapping.
 */
import type { TicAlert, TicReading } from '@linkyrpi/tic-core'
import { periodNum } from './codes.js'
import type { RowOf } from './schema.js'

/** What the store keeps of a frame: its reading and its receive time (epoch ms). */
export interface StoreRecord {
  readonly reading: TicReading
  readonly receivedAt: number
}

/**
 * The key time of a sample: the meter clock (DATE) when the frame has one with a known season,
 * else the receive time (historique has no clock). With `clockMs` null when there is no clock.
 */
export function sampleTime(record: StoreRecord): {
  readonly t: number
  readonly clockMs: number | null
} {
  const iso = record.reading.time
  if (iso !== null) {
    const ms = isoMs(iso)
    if (Number.isFinite(ms)) return { t: ms, clockMs: ms }
  }
  return { t: record.receivedAt, clockMs: null }
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48
const two = (s: string, i: number): number => {
  const a = digit(s, i)
  const b = digit(s, i + 1)
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN
}

/**
 * `Date.parse` of an ISO time, epoch ms (NaN when invalid). The meter clock's form
 * (`2024-02-10T12:13:55+01:00`, tic-core's `Horodate.iso`) is read digit by digit: a third of
 * what `Date.parse` costs, on the import's hot path (one per frame). Anything else, and days past
 * the 28th (whose validity depends on the month), go to `Date.parse`.
 */
export function isoMs(iso: string): number {
  // Consecutive frames mostly share the minute: only the seconds to read then.
  if (iso.length === 25 && iso.startsWith(lastMinute) && iso.endsWith(lastOffset)) {
    const second = two(iso, 17)
    if (second <= 59) return lastMinuteMs + second * 1000
  }
  if (
    iso.length !== 25 ||
    iso.charCodeAt(4) !== 45 || // -
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 || // T
    iso.charCodeAt(13) !== 58 || // :
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(22) !== 58 ||
    (iso.charCodeAt(19) !== 43 && iso.charCodeAt(19) !== 45) // + or -
  )
    return Date.parse(iso)
  const year = two(iso, 0) * 100 + two(iso, 2)
  const month = two(iso, 5)
  const day = two(iso, 8)
  const hour = two(iso, 11)
  const minute = two(iso, 14)
  const second = two(iso, 17)
  const offH = two(iso, 20)
  const offM = two(iso, 23)
  if (
    !(month >= 1 && month <= 12 && day >= 1 && day <= 28) ||
    !(hour <= 23 && minute <= 59 && second <= 59 && offH <= 23 && offM <= 59) ||
    !(year >= 1000)
  )
    return Date.parse(iso)
  const offset = (offH * 60 + offM) * 60_000
  const local = Date.UTC(year, month - 1, day, hour, minute, second)
  const ms = iso.charCodeAt(19) === 43 ? local - offset : local + offset
  lastMinute = iso.slice(0, 17)
  lastOffset = iso.slice(19)
  lastMinuteMs = ms - second * 1000
  return ms
}

// The minute (`2024-02-10T12:13:`), offset (`+01:00`) and minute start (epoch ms) of the last
// time isoMs parsed in full.
let lastMinute = '\u0000'
let lastOffset = '\u0000'
let lastMinuteMs = 0

const at = (xs: readonly (number | null)[] | null, i: number): number | null => xs?.[i] ?? null

/** The `sample_rows` row of a reading, for the meter numbered `m` (`clockMs`: the meter clock or null). */
export function sampleRow(
  m: number,
  t: number,
  clockMs: number | null,
  record: StoreRecord,
): RowOf<'sample_rows'> {
  const r = record.reading
  const p = r.power.apparentVAByPhase
  const i = r.current.rmsA
  const u = r.voltage.rmsV
  return {
    m,
    t,
    rx: record.receivedAt - t,
    flags: (clockMs === null ? 0 : 1) | (r.short ? 2 : 0),
    va: r.power.apparentVA,
    va1: at(p, 0),
    va2: at(p, 1),
    va3: at(p, 2),
    injected_va: r.power.injectedVA,
    i1: at(i, 0),
    i2: at(i, 1),
    i3: at(i, 2),
    u1: at(u, 0),
    u2: at(u, 1),
    u3: at(u, 2),
    period_index: r.period.index,
    period_code: periodNum(r.period.code),
    import_wh: r.energy.importWh,
    export_wh: r.energy.exportWh,
  }
}

/** Register names of supplier indexes 1-10: `s01`…`s10`. */
export function supplierRegister(index: number): string {
  return `s${String(index).padStart(2, '0')}`
}

const SUPPLIER = Array.from({ length: 11 }, (_, i) => supplierRegister(i))
const DISTRIBUTOR = Array.from({ length: 5 }, (_, i) => `d${String(i)}`)

/** Registers that get energy rollups (the reactive ones only go to `registers`). */
export function isEnergyRegister(name: string): boolean {
  return name.charCodeAt(0) !== 113 // 'q'
}

/**
 * Every index register of a reading, flattened as name, value, name, value… (Wh, VArh for
 * `q1`…`q4`): one array per frame instead of one per register (hot path of ingest).
 */
export function registersOf(r: TicReading): (string | number)[] {
  const out: (string | number)[] = []
  out.length = registersInto(r, out)
  return out
}

/**
 * {@link registersOf} into `out` (reused from frame to frame: no allocation on the hot path of
 * ingest); returns the number of entries written (twice the number of registers).
 */
export function registersInto(r: TicReading, out: (string | number)[]): number {
  let n = 0
  const s = r.energy.importByIndexWh
  // Indexes by number (TicReading: supplier 1-10, distributor 1-4): element reads, where a
  // `for … in` over integer keys builds their strings for every frame.
  for (let k = 0; k < SUPPLIER.length; k++) {
    const v = s[k]
    if (v !== undefined) {
      out[n++] = SUPPLIER[k]!
      out[n++] = v
    }
  }
  const d = r.energy.distributorByIndexWh
  if (d !== null)
    for (let k = 0; k < DISTRIBUTOR.length; k++) {
      const v = d[k]
      if (v !== undefined) {
        out[n++] = DISTRIBUTOR[k]!
        out[n++] = v
      }
    }
  if (r.energy.importWh !== null) {
    out[n++] = 'import'
    out[n++] = r.energy.importWh
  }
  if (r.energy.exportWh !== null) {
    out[n++] = 'export'
    out[n++] = r.energy.exportWh
  }
  const q = r.energy.reactiveVArh
  if (q !== null) {
    for (let k = 0; k < q.length; k++) {
      const v = q[k]
      if (v !== null && v !== undefined) {
        out[n++] = REACTIVE[k + 1] ?? `q${String(k + 1)}`
        out[n++] = v
      }
    }
  }
  return n
}

const REACTIVE = Array.from({ length: 5 }, (_, i) => `q${String(i)}`)

/** The contract terms of a reading; null when the frame carries none (short frames). */
export interface ContractTerms {
  readonly option: string | null
  readonly optionLabel: string | null
  readonly subscribedVA: number | null
  readonly cutoffVA: number | null
  readonly hhphc: string | null
}

/** Contract terms of a reading, or null when it has none. */
export function contractOf(r: TicReading): ContractTerms | null {
  if (r.short) return null
  const c = r.contract
  if (c.optionLabel === null && c.subscribedVA === null) return null
  return {
    option: c.option,
    optionLabel: c.optionLabel,
    subscribedVA: c.subscribedVA,
    cutoffVA: c.cutoffVA,
    hhphc: c.hhphc,
  }
}

/** True when a reading carries the same contract terms as `c` (no allocation: hot path). */
export function hasContract(r: TicReading, c: ContractTerms): boolean {
  const k = r.contract
  return (
    k.option === c.option &&
    k.optionLabel === c.optionLabel &&
    k.subscribedVA === c.subscribedVA &&
    k.cutoffVA === c.cutoffVA &&
    k.hhphc === c.hhphc
  )
}

/** True when two sets of terms are the same contract. */
export function sameContract(a: ContractTerms, b: ContractTerms): boolean {
  return (
    a.option === b.option &&
    a.optionLabel === b.optionLabel &&
    a.subscribedVA === b.subscribedVA &&
    a.cutoffVA === b.cutoffVA &&
    a.hhphc === b.hhphc
  )
}

/** An event found by comparing a reading with the previous one. */
export interface EventRow {
  readonly kind: string
  readonly detail: Readonly<Record<string, unknown>>
}

const NO_EVENTS: readonly EventRow[] = Object.freeze([])

// STGE bits that only repeat what other events say, left out of `status-change`: cover open (4),
// overvoltage (6), overpower (7), supplier/distributor index (10-15), clock degraded (16), TIC mode
// (17), Tempo colours (24-27) and mobile peaks (28-31). The cut-off reason (1-3) stays: the
// `cutoff-open` alert does not say why.
const STGE_FLAG_MASK =
  ~((1 << 4) | (1 << 6) | (1 << 7) | (0x3f << 10) | (0x3 << 16) | (0xf << 24) | (0xf << 28)) >>> 0

const sameArray = <T>(a: readonly T[] | null, b: readonly T[] | null): boolean =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]))

/**
 * True when `r` gives no event after `prev` other than a `gap`: same mode, period, Tempo colour of
 * tomorrow, relays, messages and status register, and no alert in either. The fast path of
 * {@link eventsBetween}; the writer also uses it to know when the stored latest reading may lag.
 */
export function sameEventState(prev: TicReading, r: TicReading): boolean {
  const pp = prev.period
  const np = r.period
  return (
    prev.meter.mode === r.meter.mode &&
    (np.index === null || pp.index === null || np.index === pp.index) &&
    (np.tempoTomorrow === null || np.tempoTomorrow === pp.tempoTomorrow) &&
    prev.alerts.length === 0 &&
    r.alerts.length === 0 &&
    (r.relays === null || prev.relays === null || sameArray(r.relays, prev.relays)) &&
    r.messages.msg1 === prev.messages.msg1 &&
    r.messages.msg2 === prev.messages.msg2 &&
    (r.status === null || prev.status === null || r.status.value === prev.status.value)
  )
}

/**
 * Events between the previous stored reading (`prev`, at `prevT`) and `r` at `t`. Alerts give a
 * `<alert>` event when they appear and `<alert>-end` when they clear (`overpower`, `peak-notice`…).
 */
export function eventsBetween(
  prev: TicReading,
  prevT: number,
  r: TicReading,
  t: number,
  gapMs: number,
): readonly EventRow[] {
  if (prev === r) return NO_EVENTS
  // Most frames change nothing: check cheaply before allocating anything.
  if (t - prevT <= gapMs && sameEventState(prev, r)) return NO_EVENTS
  const pp = prev.period
  const np = r.period
  const out: EventRow[] = []
  if (t - prevT > gapMs) out.push({ kind: 'gap', detail: { from: prevT, ms: t - prevT } })
  if (prev.meter.mode !== r.meter.mode)
    out.push({ kind: 'mode-change', detail: { from: prev.meter.mode, to: r.meter.mode } })
  if (np.index !== null && pp.index !== null && np.index !== pp.index) {
    out.push({
      kind: 'period-change',
      detail: { from: pp.index, to: np.index, fromLabel: pp.label, label: np.label, code: np.code },
    })
  }
  if (np.tempoTomorrow !== null && np.tempoTomorrow !== pp.tempoTomorrow) {
    out.push({ kind: 'tempo-announced', detail: { colour: np.tempoTomorrow } })
  }
  if (prev.alerts.length !== 0 || r.alerts.length !== 0) alertEvents(prev, r, out)
  if (r.relays !== null && prev.relays !== null && !sameArray(r.relays, prev.relays)) {
    out.push({ kind: 'relay-change', detail: { from: prev.relays, to: r.relays } })
  }
  if (r.messages.msg1 !== prev.messages.msg1 || r.messages.msg2 !== prev.messages.msg2) {
    out.push({ kind: 'message', detail: { msg1: r.messages.msg1, msg2: r.messages.msg2 } })
  }
  if (r.status !== null && prev.status !== null && r.status.value !== prev.status.value) {
    const changed = ((r.status.value ^ prev.status.value) & STGE_FLAG_MASK) >>> 0
    if (changed !== 0) {
      out.push({
        kind: 'status-change',
        detail: { from: prev.status.raw, to: r.status.raw, changedBits: changed },
      })
    }
  }
  return out
}

function alertEvents(prev: TicReading, r: TicReading, out: EventRow[]): void {
  const before = new Set<TicAlert>(prev.alerts)
  const now = new Set<TicAlert>(r.alerts)
  for (const a of now) {
    if (!before.has(a)) {
      const detail: Record<string, unknown> = {}
      if (a === 'overpower') {
        detail.apparentVA = r.power.apparentVA
        detail.subscribedVA = r.contract.subscribedVA
        detail.overrunA = r.current.overrunA
        detail.short = r.short
      }
      out.push({ kind: a, detail })
    }
  }
  for (const a of before) if (!now.has(a)) out.push({ kind: `${a}-end`, detail: {} })
}
