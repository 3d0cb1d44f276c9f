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
  /**
   * Minutes the load was on between start and end: a cycling load (a hob thermostat) is off
   * between the steps merged into one run, and its energy is `powerW` × these minutes.
   */
  readonly onMinutes: number
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
/** A step's next-minute change merged into it is at least this share of it (else noise). */
const MERGE_SHARE = 0.25

/** A paired rising and falling step: point indexes `a` (on) to `b` (off), step size `w` (W). */
interface Step {
  readonly a: number
  readonly b: number
  readonly w: number
  /** The curve without the load before its rise and after its fall, W. */
  readonly before: number
  readonly after: number
}

/** Steps of one load merged over short gaps, with the steps it is made of. */
interface Run extends Step {
  readonly parts: readonly Step[]
}

interface Edge {
  readonly i: number
  readonly w: number
  /** The curve before and after the step, W. */
  readonly before: number
  readonly after: number
}

/**
 * Finds steps in a one-minute power curve: a change of at least `minStepW` between consecutive
 * minutes, merged with the next minute's change of the same sign when each is at least
 * {@link MERGE_SHARE} of the other (a step in the middle of a minute shows over two minute
 * averages; a smaller change beside it is the rest of the curve moving, such as heating). When
 * the next minute's change is the larger by far, the step is there. The index is the first
 * minute fully past the step when it rises and the first minute it shows in when it falls, so
 * that the minutes between a rise and a fall are the load's full minutes.
 */
function edges(p: Float64Array, minStepW: number): Edge[] {
  const out: Edge[] = []
  for (let i = 1; i < p.length; i++) {
    const d = (p[i] as number) - (p[i - 1] as number)
    if (Math.abs(d) < minStepW / 2) continue
    let w = d
    let j = i
    const next = i + 1 < p.length ? (p[i + 1] as number) - (p[i] as number) : 0
    if (Math.sign(next) === Math.sign(d)) {
      const small = Math.min(Math.abs(d), Math.abs(next))
      const big = Math.max(Math.abs(d), Math.abs(next))
      if (small >= 150 && small >= MERGE_SHARE * big) {
        w += next
        j = i + 1
      } else if (Math.abs(next) > Math.abs(d)) continue
    }
    if (Math.abs(w) >= minStepW) {
      out.push({ i: d > 0 ? j : i, w, before: p[i - 1] as number, after: p[j] as number })
      i = j
    }
  }
  return out
}

/**
 * Detects recurring loads in a power curve of one-minute points (the store's `1m` rollups):
 * pairs each rising step with the first later falling step of similar size (±30 %) within
 * `maxMinutes`, merges runs of one load interrupted for at most two minutes (a hob thermostat:
 * its energy counts the on-minutes only), and recognises each run: a **water heater** is 1.5-3.5 kW
 * for 30 min-6 h starting within 20 min after an off-peak start; **cooking** is 1-4.5 kW for at
 * most 90 min starting at meal times (06-09, 11-14, 18-22 h). A load still on when the data ends,
 * or already on when it starts (in off-peak hours: the water heater), is a run cut there.
 * **Heating** is not a step load (it follows the weather): it is estimated as the slow floor of
 * the curve (step loads removed, averaged over 9 minutes, then a 60-minute morphological opening:
 * peaks narrower than an hour go, a heating plateau keeps its width) above the household's base
 * load: flat (the 2nd percentile of the floor, at most {@link BASE_MAX_W}) in a heating season;
 * outside it, per quarter of an hour, learnt on the days without heating, plus each day's own
 * level (see {@link baseLevel}).
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
  /** Time of point index `i`; the end of the data for `i` = n. */
  const at = (i: number): number => (i < n ? (t[i] as number) : (t[n - 1] as number) + MINUTE)
  const es = edges(p, minStepW)
  const used = new Uint8Array(es.length)
  const runs: Step[] = []
  const within = (a: number, b: number): boolean =>
    (t[b] as number) - (t[a] as number) <= maxMinutes * MINUTE
  /** The curve stays at or above `level` on points [a, b) (callers: half a step above its foot). */
  const staysAbove = (a: number, b: number, level: number): boolean => {
    for (let i = a; i < b; i++) if ((p[i] as number) < level) return false
    return true
  }
  for (let k = 0; k < es.length; k++) {
    const up = es[k] as Edge
    if (up.w <= 0 || used[k] === 1) continue
    for (let m = k + 1; m < es.length; m++) {
      const down = es[m] as Edge
      if (!within(up.i, down.i)) break
      if (down.w >= 0 || used[m] === 1) continue
      if (-down.w >= 0.7 * up.w && -down.w <= 1.3 * up.w) {
        used[k] = 1
        used[m] = 1
        runs.push({
          a: up.i,
          b: down.i,
          w: (up.w - down.w) / 2,
          before: up.before,
          after: down.after,
        })
        break
      }
    }
    // A load still on when the data ends (tonight's water heater): a run up to the end.
    if (
      used[k] === 0 &&
      n > 0 &&
      within(up.i, n - 1) &&
      staysAbove(up.i, n, up.before + up.w / 2)
    ) {
      used[k] = 1
      runs.push({ a: up.i, b: n, w: up.w, before: up.before, after: up.before })
    }
  }
  // A load already on when the data starts: a run from the start.
  for (let m = 0; m < es.length; m++) {
    const down = es[m] as Edge
    if (!within(0, down.i)) break
    if (down.w < 0 && used[m] === 0 && staysAbove(0, down.i, down.after - down.w / 2)) {
      used[m] = 1
      runs.push({ a: 0, b: down.i, w: -down.w, before: down.after, after: down.after })
    }
  }
  runs.sort((x, y) => x.a - y.a)
  // Merge runs of one load separated by at most two minutes (thermostat cycling); the merged run
  // keeps its parts, since the load is off between them.
  const merged: Run[] = []
  for (const r of runs) {
    const last = merged[merged.length - 1]
    if (
      last !== undefined &&
      at(r.a) - at(last.b) <= 2 * MINUTE &&
      Math.abs(r.w - last.w) <= 0.3 * last.w
    ) {
      merged[merged.length - 1] = {
        a: last.a,
        b: Math.max(last.b, r.b),
        w: (last.w + r.w) / 2,
        before: last.before,
        after: r.after,
        parts: [...last.parts, r],
      }
    } else merged.push({ ...r, parts: [r] })
  }
  const starts = options.offPeakStarts ?? []
  const nearOffPeakStart = (ms: number): boolean => {
    for (const s of starts) if (ms >= s - 5 * MINUTE && ms <= s + 20 * MINUTE) return true
    const minute = Math.floor(((ms + parisOffsetMs(ms)) % 86_400_000) / MINUTE)
    for (const [s] of options.offPeak)
      if ((minute - s + 1440) % 1440 <= 20 || (s - minute + 1440) % 1440 <= 5) return true
    return false
  }
  const inOffPeak = (ms: number): boolean => {
    const minute = Math.floor(((ms + parisOffsetMs(ms)) % 86_400_000) / MINUTE)
    return options.offPeak.some(([s, e]) => minute >= s && minute < e)
  }
  const activations: Activation[] = merged.map((r) => {
    const start = at(r.a)
    const end = at(r.b)
    const minutes = (end - start) / MINUTE
    const h = localHour(start)
    // A run cut by the start or the end of the data is longer than it shows.
    const cutAtStart = r.a === 0
    const cutAtEnd = r.b === n
    let kind: ApplianceKind = 'other'
    if (
      r.w >= 1500 &&
      r.w <= 3500 &&
      (minutes >= 30 || cutAtEnd || cutAtStart) &&
      (cutAtStart ? inOffPeak(start) : nearOffPeakStart(start))
    )
      kind = 'water-heater'
    else if (
      r.w >= 1000 &&
      r.w <= 4500 &&
      minutes <= 90 &&
      ((h >= 6 && h < 9) || (h >= 11 && h < 14) || (h >= 18 && h < 22))
    )
      kind = 'cooking'
    let onMs = 0
    for (const q of r.parts) onMs += at(q.b) - at(q.a)
    return { kind, start, end, powerW: r.w, onMinutes: onMs / MINUTE }
  })

  // Heating: the slow floor of the curve without the step loads.
  const rest = p.slice()
  for (const r of merged)
    for (const q of r.parts)
      for (let i = q.a; i < q.b && i < n; i++) {
        // The first and last minutes may hold part of the load only (switched mid-minute).
        const edge =
          i === q.a ? (p[i] as number) - q.before : i === q.b - 1 ? (p[i] as number) - q.after : q.w
        rest[i] = Math.max(0, (rest[i] as number) - Math.min(q.w, Math.max(0, edge)))
      }
  // The level of the slow loads: the curve smoothed over 9 minutes first, since the minimum of a
  // noisy curve sits below its level. The base load is read on the unsmoothed floor, whose low
  // points are nearer the household's base when heating runs all month.
  const floor = opening(movingAverage(rest, SMOOTH_POINTS), 60)
  const base = Math.max(0, Math.min(BASE_MAX_W, quantile(rollingMin(rest, 60), 0.02) ?? 0))
  const level = baseLevel(floor, t, base)
  const heatingW = new Float64Array(n)
  for (let i = 0; i < n; i++) heatingW[i] = Math.max(0, (floor[i] as number) - (level[i] as number))

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
  for (const a of activations) add(a.kind, a.start, (a.powerW * a.onMinutes) / 60, 1)
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
/**
 * Largest flat base load (W): in a heating season the floor's low points are heating, not the
 * household's base load, which the window then cannot show; a standby with the fridge is taken
 * as at most this.
 */
const BASE_MAX_W = 200
/** Largest rise of a day's base load above the learnt profile (W). */
const DAY_LEVEL_MAX_W = 100
/** Quantile of a day's rise above the profile taken as its own level. */
const DAY_LEVEL_QUANTILE = 0.2
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
 * The household's base load at each point (W). The base load is not flat (lights and screens in
 * the evening, a morning routine): on days without any heating (the floor never more than
 * {@link HEATING_FREE_W} above the flat `base`), the floor in each quarter of an hour of the local
 * day is the base load of that slot, and its 10th percentile over those days is used (a light
 * heating on some of those days stays heating), never below `base`. Each day then gets its own
 * level above that profile (a household's base load varies from day to day): the 20th percentile
 * of the day's floor above the profile, at most {@link DAY_LEVEL_MAX_W} (a summer day's heating,
 * if any, runs a few hours of the night and morning, less than 80 % of the day). With fewer than
 * {@link HEATING_FREE_DAYS} such days (a heating season: heating every day) the base stays flat
 * at `base`, since a daily profile would take the heating's own rhythm for base load.
 */
function baseLevel(floor: Float64Array, t: Float64Array, base: number): Float64Array {
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
  const level = new Float64Array(n).fill(base)
  const free = new Set(
    [...dayMax].filter(([, max]) => max <= base + HEATING_FREE_W).map(([d]) => d),
  )
  if (free.size < HEATING_FREE_DAYS) return level
  const bySlot: number[][] = Array.from({ length: SLOTS }, () => [])
  for (let i = 0; i < n; i++)
    if (free.has(day[i] as number)) bySlot[slot[i] as number]?.push(floor[i] as number)
  const profile = new Float64Array(SLOTS)
  for (let k = 0; k < SLOTS; k++)
    profile[k] = Math.max(base, quantile(bySlot[k] ?? [], BASE_SLOT_QUANTILE) ?? base)
  // Each day's own level above the profile: a low quantile of the floor's rise above it that day.
  const rises = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const d = day[i] as number
    const above = (floor[i] as number) - (profile[slot[i] as number] as number)
    const r = rises.get(d)
    if (r === undefined) rises.set(d, [above])
    else r.push(above)
  }
  const dayLevel = new Map<number, number>()
  for (const [d, r] of rises)
    dayLevel.set(d, Math.max(0, Math.min(DAY_LEVEL_MAX_W, quantile(r, DAY_LEVEL_QUANTILE) ?? 0)))
  for (let i = 0; i < n; i++)
    level[i] = (profile[slot[i] as number] as number) + (dayLevel.get(day[i] as number) ?? 0)
  return level
}

/**
 * Morphological opening: the rolling maximum of the rolling minimum, both over `w` points. It
 * removes peaks narrower than the window (a fridge's cycle) but keeps a plateau at least as wide
 * as the window at its full width, where the minimum alone cuts half a window off each end.
 */
function opening(x: Float64Array, w: number): Float64Array {
  const low = rollingMin(x, w)
  for (let i = 0; i < low.length; i++) low[i] = -(low[i] as number)
  const out = rollingMin(low, w)
  for (let i = 0; i < out.length; i++) out[i] = -(out[i] as number)
  return out
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
