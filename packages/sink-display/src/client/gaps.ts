import type uPlot from 'uplot'

/**
 * uPlot columns with a null inserted after every step longer than `factor` times the usual one
 * (the median step): uPlot breaks the line there instead of bridging a stretch without data.
 */
export function breakGaps(
  xs: readonly number[],
  cols: readonly (readonly (number | null)[])[],
  factor = 3,
): uPlot.AlignedData {
  const steps = xs
    .slice(1)
    .map((x, i) => x - xs[i]!)
    .sort((a, b) => a - b)
  const limit = factor * (steps[Math.floor(steps.length / 2)] ?? Infinity)
  const outX: number[] = []
  const outCols: (number | null)[][] = cols.map(() => [])
  xs.forEach((x, i) => {
    if (i > 0 && x - xs[i - 1]! > limit) {
      outX.push(xs[i - 1]! + limit / 2)
      for (const c of outCols) c.push(null)
    }
    outX.push(x)
    cols.forEach((c, k) => outCols[k]!.push(c[i] ?? null))
  })
  return [outX, ...outCols] as uPlot.AlignedData
}
