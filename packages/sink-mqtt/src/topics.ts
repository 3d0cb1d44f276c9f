/** The topics of one meter under the prefix. */
export interface MeterTopics {
  /** `<prefix>/<meter>/state`: the flat state JSON (retained). */
  readonly state: string
  /** `<prefix>/<meter>/availability`: `online` / `offline` (retained; `offline` is the last will). */
  readonly availability: string
  /** `<prefix>/<meter>/event`: one JSON message per event (not retained). */
  readonly event: string
}

/** A meter id fit for a topic level: the ADS as sent (12 digits; letters and digits only). */
const METER_ID = /^[0-9A-Za-z]{1,32}$/

/** True when `meter` can be used as one topic level as it is. */
export function isTopicSafeMeter(meter: string): boolean {
  return METER_ID.test(meter)
}

/** The topics of `meter` under `prefix` (both already checked). */
export function meterTopics(prefix: string, meter: string): MeterTopics {
  const base = `${prefix}/${meter}`
  return { state: `${base}/state`, availability: `${base}/availability`, event: `${base}/event` }
}

/**
 * Problems of a topic prefix (`linkyrpi`, `home/linky`): no wildcard (`+`, `#`), no empty level,
 * no leading or trailing `/`, no `$` at the start (broker topics), letters, digits, `_`, `-`, `/` only.
 */
export function prefixProblems(prefix: string): string[] {
  const out: string[] = []
  if (prefix.length === 0) return ['must not be empty']
  if (/[+#]/.test(prefix)) out.push("must not contain the wildcards '+' or '#'")
  if (prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//'))
    out.push('must not start or end with / or have an empty level')
  if (prefix.startsWith('$')) out.push("must not start with '$'")
  if (!/^[A-Za-z0-9_\-/$]+$/.test(prefix))
    out.push("may only contain letters, digits, '_', '-' and '/'")
  return out
}
