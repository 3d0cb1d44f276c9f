/** The p-quantile (0-1) of values by linear interpolation; null for no value. Does not mutate. */
export function quantile(values: ArrayLike<number>, p: number): number | null {
  if (values.length === 0) return null
  // A typed array sorts numbers natively: a year of minutes is 10x faster than with a comparator.
  const sorted = Float64Array.from(values).sort()
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, p))
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (pos - lo)
}
