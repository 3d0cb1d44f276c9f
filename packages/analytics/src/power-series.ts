import type { PowerSeries, SamplePoint } from '@linkyrpi/tic-core/stage'

/** Columns of `points`' bucket starts (epoch ms) and average powers (VA, NaN for null). */
export function powerSeries(points: readonly SamplePoint[]): PowerSeries {
  const t = new Float64Array(points.length)
  const avgVA = new Float64Array(points.length)
  points.forEach((p, i) => {
    t[i] = p.t
    avgVA[i] = p.avgVA ?? NaN
  })
  return { t, avgVA }
}
