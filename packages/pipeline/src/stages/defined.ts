/**
 * Drops keys whose value is undefined: zod outputs `key: undefined` for an absent optional key,
 * and the stage packages read options with `exactOptionalPropertyTypes`-style checks.
 */
export function defined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
