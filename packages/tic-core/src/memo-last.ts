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
  return (raw) => {
    if (raw === undefined) return (undefinedResult ??= { value: fn(undefined) }).value
    const hit = cache.get(raw)
    if (hit !== undefined || cache.has(raw)) return hit as T
    const value = fn(raw)
    if (cache.size >= size) cache.clear()
    cache.set(raw, value)
    return value
  }
}
