import type { PowerSeries, SamplePoint } from '@linkyrpi/tic-core/stage'
import type { DailySchedule } from './day-profile.js'
import { parisOffsetMs } from '@linkyrpi/tic-core/paris-time'
import { localDayKey, localDayStart, localHour, localMonthKey, nextLocalDay } from './paris-time.js'
import { powerSeries } from './power-series.js'
import { quantile } from './stats.js'

/** Loads the detector recognises. */
export type ApplianceKind = 'water-heater' | 'heating' | 'cooking' | 'other'

/** One detected run of a load: a rising step and its matching falling step. */
export interface Activation {
  readonly kind: ApplianceKind
  /** Start and end, epoch ms (minute resolution). */
  readonly start: number
  readonly end: number
  /** Step size, W (VA taken as W). */
  readonly powerW: number
}

/** A cluster of activations of similar size and duration. */
export interface ApplianceCluster {
  readonly kind: ApplianceKind
  readonly activations: number
  /** Median step size, W, and median duration, minutes. */
  readonly typicalW: number
  readonly typicalMinutes: number
}

/** Energy and cost of one recognised load. */
export interface ApplianceUse {
  readonly kind: ApplianceKind
  readonly activations: number
  readonly energyWh: number
  /** At each day's average €/kWh; null when a day of use is unpriced. */
  readonly eur: number | null
  readonly byMonth: readonly {
    readonly month: string
    readonly energyWh: number
    readonly eur: number | null
  }[]
}

/** Tuning of {@link detectAppliances}. Defaults fit resistive household loads. */
export interface ApplianceOptions {
  /** Off-peak hours (the water heater starts at their start). */
  readonly offPeak: DailySchedule
  /** Instants the meter switched to an off-peak index (period-change events to HC), epoch ms. */
  readonly offPeakStarts?: readonly number[]
  /** Smallest step counted, W (default 800). */
  readonly minStepW?: number
  /** Longest run, minutes (default 360). */
  readonly maxMinutes?: number
  /** €/kWh of a local day (`YYYY-MM-DD`), or null when unpriced. */
  readonly priceOfDay?: (day: string) => number | null
}

/** What {@link detectAppliances} finds. */
export interface ApplianceReport {
  readonly uses: readonly ApplianceUse[]
  readonly clusters: readonly ApplianceCluster[]
  readonly activations: readonly Activation[]
  /** Estimated heating power per minute-point index (W), aligned with the input points. */
  readonly heatingW: Float64Array
}

const MINUTE = 60_000

interface Edge {
  readonly i: number
  readonly w: number
}

/**
 * Finds steps in a one-minute power curve: a change of at least `minStepW` between consecutive
 * minutes, merged with the next minute's change of the same sign (a step in the middle of a minute
 * shows over two minute averages).
 */
function edges(p: Float64Array, minStepW: number): Edge[] {
  const out: Edge[] = []
  for (let i = 1; i < p.length; i++) {
    const d = (p[i] as number) - (p[i - 1] as number)
    if (Math.abs(d) < minStepW / 2) continue
    let w = d
    let j = i
    const next = i + 1 < p.length ? (p[i + 1] as number) - (p[i] as number) : 0
    if (Math.sign(next) === Math.sign(d) && Math.abs(next) >= 150) {
      w += next
      j = i + 1
    }
    if (Math.abs(w) >= minStepW) {
      out.push({ i: d > 0 ? i : j, w })
      i = j
    }
  }
  return out
}

/**
 * Detects recurring loads in a power curve of one-minute points (the store's `1m` rollups):
 * pairs each rising step with the first later falling step of similar size (±30 %) within
 * `maxMinutes`, merges runs of one load interrupted for at most two minutes (a hob thermostat),
 * and recognises each run: a **water heater** is 1.5-3.5 kW for 30 min-6 h starting within
 * 20 min after an off-peak start; **cooking** is 1-4.5 kW for at most 90 min starting at meal times
 * (06-09, 11-14, 18-22 h). **Heating** is not a step load (it follows the weather): it is
 * estimated as the slow floor of the curve (rolling 60-minute minimum, step loads removed) above
 * the household's base (the 2nd percentile of that floor, at most 400 W).
 */
export function detectAppliances(
  points: readonly SamplePoint[] | PowerSeries,
  options: ApplianceOptions,
): ApplianceReport {
  const minStepW = options.minStepW ?? 800
  const maxMinutes = options.maxMinutes ?? 360
  const series = Array.isArray(points) ? powerSeries(points) : (points as PowerSeries)
  const t = series.t
  const n = t.length
  // A point without power (NaN) holds the previous one's.
  const p = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = series.avgVA[i] as number
    p[i] = v === v ? v : i > 0 ? (p[i - 1] as number) : 0
  }
  const es = edges(p, minStepW)
  const used = new Uint8Array(es.length)
  const runs: { a: number; b: number; w: number }[] = []
  for (let k = 0; k < es.length; k++) {
    const up = es[k] as Edge
    if (up.w <= 0 || used[k] === 1) continue
    for (let m = k + 1; m < es.length; m++) {
      const down = es[m] as Edge
      if ((t[down.i] as number) - (t[up.i] as number) > maxMinutes * MINUTE) break
      if (down.w >= 0 || used[m] === 1) continue
      if (-down.w >= 0.7 * up.w && -down.w <= 1.3 * up.w) {
        used[k] = 1
        used[m] = 1
        runs.push({ a: up.i, b: down.i, w: (up.w - down.w) / 2 })
        break
      }
    }
  }
  runs.sort((x, y) => x.a - y.a)
  // Merge runs of one load separated by at most two minutes (thermostat cycling).
  const merged: { a: number; b: number; w: number }[] = []
  for (const r of runs) {
    const last = merged[merged.length - 1]
    if (
      last !== undefined &&
      (t[r.a] as number) - (t[last.b] as number) <= 2 * MINUTE &&
      Math.abs(r.w - last.w) <= 0.3 * last.w
    ) {
      merged[merged.length - 1] = { a: last.a, b: Math.max(last.b, r.b), w: (last.w + r.w) / 2 }
    } else merged.push(r)
  }
  const starts = options.offPeakStarts ?? []
  const nearOffPeakStart = (ms: number): boolean => {
    for (const s of starts) if (ms >= s - 5 * MINUTE && ms <= s + 20 * MINUTE) return true
    const minute = Math.floor(((ms + parisOffsetMs(ms)) % 86_400_000) / MINUTE)
    for (const [s] of options.offPeak)
      if ((minute - s + 1440) % 1440 <= 20 || (s - minute + 1440) % 1440 <= 5) return true
    return false
  }
  const activations: Activation[] = merged.map((r) => {
    const start = t[r.a] as number
    const end = t[r.b] as number
    const minutes = (end - start) / MINUTE
    const h = localHour(start)
    let kind: ApplianceKind = 'other'
    if (r.w >= 1500 && r.w <= 3500 && minutes >= 30 && nearOffPeakStart(start))
      kind = 'water-heater'
    else if (
      r.w >= 1000 &&
      r.w <= 4500 &&
      minutes <= 90 &&
      ((h >= 6 && h < 9) || (h >= 11 && h < 14) || (h >= 18 && h < 22))
    )
      kind = 'cooking'
    return { kind, start, end, powerW: r.w }
  })

  // Heating: the slow floor of the curve without the step loads.
  const rest = p.slice()
  for (const r of merged)
    for (let i = r.a; i < r.b && i < n; i++) rest[i] = Math.max(0, (rest[i] as number) - r.w)
  // The level of the slow loads: the curve smoothed over 9 minutes first, since the minimum of a
  // noisy curve sits below its level. The base load is read on the unsmoothed floor, whose low
  // points are nearer the household's base when heating runs all month.
  const floor = rollingMin(movingAverage(rest, SMOOTH_POINTS), 60)
  const base = Math.max(0, Math.min(400, quantile(rollingMin(rest, 60), 0.02) ?? 0))
  const { slot, profile } = baseProfile(floor, t, base)
  const heatingW = new Float64Array(n)
  for (let i = 0; i < n; i++)
    heatingW[i] = Math.max(0, (floor[i] as number) - (profile[slot[i] as number] as number))

  const priceOf = options.priceOfDay ?? (() => null)
  const byKind = new Map<
    ApplianceKind,
    {
      n: number
      wh: number
      months: Map<string, { wh: number; eur: number | null }>
      eurOk: boolean
    }
  >()
  const add = (kind: ApplianceKind, at: number, wh: number, count: number): void => {
    let k = byKind.get(kind)
    if (k === undefined) {
      k = { n: 0, wh: 0, months: new Map(), eurOk: true }
      byKind.set(kind, k)
    }
    k.n += count
    k.wh += wh
    const month = localMonthKey(at)
    const m = k.months.get(month) ?? { wh: 0, eur: 0 }
    const price = priceOf(localDayKey(at))
    m.wh += wh
    m.eur = m.eur === null || price === null ? null : m.eur + (wh / 1000) * price
    k.months.set(month, m)
  }
  for (const a of activations) add(a.kind, a.start, (a.powerW * (a.end - a.start)) / 3_600_000, 1)
  // Heating energy per minute-point (a point stands for the time until the next one, at most a
  // minute), summed per local day first: day keys are computed once a day, not once a point.
  let heatingRuns = 0
  let on = false
  let dayFrom = 0
  let dayTo = -1
  let dayWh = 0
  for (let i = 0; i < n; i++) {
    const ti = t[i] as number
    if (ti >= dayTo) {
      if (dayWh > 0) add('heating', dayFrom, dayWh, 0)
      dayWh = 0
      dayFrom = localDayStart(ti)
      dayTo = nextLocalDay(dayFrom)
    }
    const dt = i + 1 < n ? Math.min(MINUTE, (t[i + 1] as number) - ti) : MINUTE
    const w = heatingW[i] as number
    const isOn = w >= 300
    if (isOn && !on) heatingRuns++
    on = isOn
    if (w > 0) dayWh += (w * dt) / 3_600_000
  }
  if (dayWh > 0) add('heating', dayFrom, dayWh, 0)
  const heat = byKind.get('heating')
  if (heat !== undefined) heat.n = heatingRuns
  const order: ApplianceKind[] = ['water-heater', 'heating', 'cooking', 'other']
  const uses = order
    .filter((k) => byKind.has(k))
    .map((kind): ApplianceUse => {
      const k = byKind.get(kind)!
      const byMonth = [...k.months.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([month, m]) => ({ month, energyWh: m.wh, eur: m.eur }))
      const eur = byMonth.some((m) => m.eur === null)
        ? null
        : byMonth.reduce((s, m) => s + (m.eur ?? 0), 0)
      return { kind, activations: k.n, energyWh: k.wh, eur, byMonth }
    })
  return { uses, clusters: cluster(activations), activations, heatingW }
}

/** Groups activations by kind, step size (500 W classes) and duration (×2 classes). */
function cluster(activations: readonly Activation[]): ApplianceCluster[] {
  const groups = new Map<string, Activation[]>()
  for (const a of activations) {
    const minutes = Math.max(1, (a.end - a.start) / MINUTE)
    const key = `${a.kind}|${Math.round(a.powerW / 500)}|${Math.round(Math.log2(minutes))}`
    const g = groups.get(key)
    if (g === undefined) groups.set(key, [a])
    else g.push(a)
  }
  return [...groups.values()]
    .map((g) => ({
      kind: (g[0] as Activation).kind,
      activations: g.length,
      typicalW:
        quantile(
          g.map((a) => a.powerW),
          0.5,
        ) ?? 0,
      typicalMinutes:
        quantile(
          g.map((a) => (a.end - a.start) / MINUTE),
          0.5,
        ) ?? 0,
    }))
    .sort((a, b) => b.activations - a.activations)
}

/** A day whose floor stays within this much of the base load has no heating (W). */
const HEATING_FREE_W = 400
/** Days without heating needed to learn the base load per hour of day. */
const HEATING_FREE_DAYS = 3
/** Quantile, over the days without heating, of the floor in a slot taken as that slot's base. */
const BASE_SLOT_QUANTILE = 0.1
/** Points of the moving average applied before the heating floor (minutes). */
const SMOOTH_POINTS = 9

/** Centred moving average over `w` points (shorter at the ends), O(n). */
function movingAverage(x: Float64Array, w: number): Float64Array {
  const n = x.length
  const out = new Float64Array(n)
  const half = Math.floor(w / 2)
  let sum = 0
  let lo = 0
  let hi = -1
  for (let i = 0; i < n; i++) {
    while (hi < Math.min(n - 1, i + half)) sum += x[++hi] as number
    while (lo < i - half) sum -= x[lo++] as number
    out[i] = sum / (hi - lo + 1)
  }
  return out
}

/** Slots of the base-load profile: quarters of an hour (15 min, in ms), 96 a day. */
const SLOT_MS = 15 * MINUTE
const SLOTS = 96

/**
 * The household's base load per quarter of an hour of the local day (W), and each point's slot.
 * The base load is not flat (lights and screens in the evening, a morning routine): on days
 * without any heating (the floor never more than {@link HEATING_FREE_W} above the flat `base`),
 * the floor in each slot is the base load of that slot, and its 10th percentile over those days
 * is used (a light heating on some of those days stays heating), never below `base`. With fewer
 * than {@link HEATING_FREE_DAYS} such days (a heating season: heating every day) the profile
 * stays flat at `base`, since a daily profile would take the heating's own rhythm for base load.
 */
function baseProfile(
  floor: Float64Array,
  t: Float64Array,
  base: number,
): { slot: Uint8Array; profile: Float64Array } {
  const n = floor.length
  const slot = new Uint8Array(n)
  const day = new Float64Array(n)
  const dayMax = new Map<number, number>()
  // The points come in time order: a day's maximum is kept aside while its points follow.
  let d0 = NaN
  let max0 = 0
  for (let i = 0; i < n; i++) {
    const ti = t[i] as number
    const local = ti + parisOffsetMs(ti)
    const d = Math.floor(local / 86_400_000)
    slot[i] = Math.min(SLOTS - 1, Math.floor((local - d * 86_400_000) / SLOT_MS))
    day[i] = d
    if (d !== d0) {
      if (d0 === d0) dayMax.set(d0, max0)
      d0 = d
      max0 = dayMax.get(d) ?? 0
    }
    max0 = Math.max(max0, floor[i] as number)
  }
  if (d0 === d0) dayMax.set(d0, max0)
  const profile = new Float64Array(SLOTS).fill(base)
  const free = new Set(
    [...dayMax].filter(([, max]) => max <= base + HEATING_FREE_W).map(([d]) => d),
  )
  if (free.size < HEATING_FREE_DAYS) return { slot, profile }
  const bySlot: number[][] = Array.from({ length: SLOTS }, () => [])
  for (let i = 0; i < n; i++)
    if (free.has(day[i] as number)) bySlot[slot[i] as number]?.push(floor[i] as number)
  for (let k = 0; k < SLOTS; k++)
    profile[k] = Math.max(base, quantile(bySlot[k] ?? [], BASE_SLOT_QUANTILE) ?? base)
  return { slot, profile }
}

/** Minimum over a centred window of `w` points (monotonic deque, O(n)). */
function rollingMin(x: Float64Array, w: number): Float64Array {
  const n = x.length
  const out = new Float64Array(n)
  const half = Math.floor(w / 2)
  const dq = new Int32Array(n)
  let head = 0
  let tail = 0
  let next = 0
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + half)
    while (next <= hi) {
      while (tail > head && (x[dq[tail - 1] as number] as number) >= (x[next] as number)) tail--
      dq[tail++] = next++
    }
    while ((dq[head] as number) < i - half) head++
    out[i] = x[dq[head] as number] as number
  }
  return out
}
