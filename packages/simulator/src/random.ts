/**
 * Stateless, seeded pseudo-randomness: every value is a pure function of the seed and a few
 * integer keys, so the household and the calendar can be evaluated at any instant in any order
 * and still give the same answer (no hidden generator state to replay).
 */

/** A 32-bit hash of `seed` and up to four integer keys (murmur3 finaliser mixing). */
export function hash32(seed: number, a: number, b = 0, c = 0, d = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  h = mix(h, a)
  h = mix(h, b)
  h = mix(h, c)
  h = mix(h, d)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

function mix(h: number, k: number): number {
  let x = Math.imul(k | 0, 0xcc9e2d51)
  x = (x << 15) | (x >>> 17)
  x = Math.imul(x, 0x1b873593)
  h ^= x
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

/** A number in [0, 1) from `seed` and keys. */
export function rand01(seed: number, a: number, b = 0, c = 0, d = 0): number {
  return hash32(seed, a, b, c, d) / 4294967296
}

/** A fast sequential generator (mulberry32) for fault injection, where order is natural. */
export function createRng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
