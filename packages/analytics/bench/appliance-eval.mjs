// Precision/recall of the appliance detector against the simulator's ground truth (--truth).
// Used by analytics.bench.mjs; exported for reuse.
import { readFileSync } from 'node:fs'
import * as analytics from '../dist/index.js'

const MIN = 60_000
const HOUR = 3_600_000

/** Reads a --truth JSON-lines file into [{t, wh: water-heater W, heat: heating W, cook: cooking W}]. */
export function readTruth(path) {
  const out = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.length === 0) continue
    const r = JSON.parse(line)
    out.push({
      t: Date.parse(r.at),
      wh: r.byApplianceW['water-heater'],
      heat: r.byApplianceW.heating,
      cook: r.byApplianceW.cooking,
    })
  }
  return out
}

/** Starts of runs where `key` > 0 in the truth. */
function truthRuns(truth, key) {
  const starts = []
  let on = false
  for (const r of truth) {
    const now = r[key] > 0
    if (now && !on) starts.push(r.t)
    on = now
  }
  return starts
}

/**
 * Uses of `key` in the truth: runs (`key` > 0) merged when the next starts at most `gapMs` after
 * the previous ends. A hob or an oven cycles its element (the simulator's dinner hob: two minutes
 * on, one off); scoring each cycle would count one meal as a dozen uses.
 */
function truthUses(truth, key, gapMs) {
  const uses = []
  let on = false
  let lastOn = -Infinity
  for (const r of truth) {
    const now = r[key] > 0
    if (now && !on && r.t - lastOn > gapMs) uses.push(r.t)
    if (now) lastOn = r.t
    on = now
  }
  return uses
}

/** Detected activations merged into uses the same way: one starting within `gapMs` of the previous end joins it. */
function detectedUses(activations, gapMs) {
  const uses = []
  let end = -Infinity
  for (const a of [...activations].sort((x, y) => x.start - y.start)) {
    if (a.start - end > gapMs) uses.push(a.start)
    end = Math.max(end, a.end)
  }
  return uses
}

function matchStarts(detected, truth, tolMs) {
  const used = new Set()
  let tp = 0
  for (const d of detected) {
    const k = truth.findIndex((s, i) => !used.has(i) && Math.abs(s - d) <= tolMs)
    if (k >= 0) {
      used.add(k)
      tp++
    }
  }
  return {
    tp,
    precision: detected.length === 0 ? null : tp / detected.length,
    recall: truth.length === 0 ? null : tp / truth.length,
    detected: detected.length,
    truth: truth.length,
  }
}

/** Hourly presence (mean > thresholdW) of heating: detected vs truth. */
function hourly(points, heatingW, truth, thresholdW) {
  const det = new Map()
  points.forEach((p, i) => {
    const h = Math.floor(p.t / HOUR)
    const e = det.get(h) ?? [0, 0]
    e[0] += heatingW[i]
    e[1]++
    det.set(h, e)
  })
  const tru = new Map()
  for (const r of truth) {
    const h = Math.floor(r.t / HOUR)
    const e = tru.get(h) ?? [0, 0]
    e[0] += r.heat
    e[1]++
    tru.set(h, e)
  }
  let tp = 0
  let fp = 0
  let fn = 0
  for (const [h, [s, n]] of tru) {
    const t = s / n > thresholdW
    const d0 = det.get(h)
    const d = d0 !== undefined && d0[0] / d0[1] > thresholdW
    if (t && d) tp++
    else if (d) fp++
    else if (t) fn++
  }
  return {
    tp,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    detected: tp + fp,
    truth: tp + fn,
  }
}

/**
 * Runs the detector on `points` ('1m' rollups) and scores it against the truth file. `lib` is the
 * analytics module to score (default this build; another build compares before/after in one run).
 */
export function evaluate(points, truthPath, offPeak = '22:00-06:00', lib = analytics) {
  const truth = readTruth(truthPath)
  const r = lib.detectAppliances(points, { offPeak: lib.parseSchedule(offPeak) })
  const of = (kind) => r.activations.filter((a) => a.kind === kind).map((a) => a.start)
  return {
    waterHeater: matchStarts(of('water-heater'), truthRuns(truth, 'wh'), 10 * MIN),
    // Per use (a meal), not per element cycle: see truthUses.
    cooking: matchStarts(
      detectedUses(
        r.activations.filter((a) => a.kind === 'cooking'),
        10 * MIN,
      ),
      truthUses(truth, 'cook', 10 * MIN),
      15 * MIN,
    ),
    heating: hourly(points, r.heatingW, truth, 300),
    energyWh: Object.fromEntries(r.uses.map((u) => [u.kind, Math.round(u.energyWh)])),
    truthWh: {
      'water-heater': Math.round(truth.reduce((s, x) => s + x.wh, 0) / 60),
      heating: Math.round(truth.reduce((s, x) => s + x.heat, 0) / 60),
      cooking: Math.round(truth.reduce((s, x) => s + x.cook, 0) / 60),
    },
  }
}
