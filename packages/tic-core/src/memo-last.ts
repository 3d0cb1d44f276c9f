/**
 * Wraps a pure function of one string so that repeated inputs (the same PJOURF+1, NGTF or
 * horodate frame after frame) reuse the previous result. Bounded: at most `size` entries.
 * Results are shared: they must be treated as immutable (readings are readonly).
 */
export function memoByString<T>(
  fn: (raw: string | undefined) => T,
  size = 64,
): (raw: string | undefined) => T {
  const cache = new Map<string, T>()
  let undefinedResult: { value: T } | undefined
  // The last inputs and their results, tried before the map: a field repeats the same string
  // object frame after frame, and comparing it with itself costs nothing.
  const recentRaw: (string | undefined)[] = [undefined, undefined, undefined, undefined]
  const recentValue: T[] = []
  let next = 0
  return (raw) => {
    if (raw === undefined) return (undefinedResult ??= { value: fn(undefined) }).value
    for (let i = 0; i < 4; i++) if (recentRaw[i] === raw) return recentValue[i]!
    let value = cache.get(raw)
    if (value === undefined && !cache.has(raw)) {
      value = fn(raw)
      if (cache.size >= size) cache.clear()
      cache.set(raw, value)
    }
    recentRaw[next] = raw
    recentValue[next] = value as T
    next = (next + 1) & 3
    return value as T
  }
}
