/** A daily maximum as the meter keeps it (SMAXSN): today's so far, and yesterday's. */
export interface DailyMax {
  day: number
  value: number
  at: number
  prevValue: number
  prevAt: number
}

/** A fresh maximum for local day `day`. */
export function newMax(day: number, at: number): DailyMax {
  return { day, value: 0, at, prevValue: 0, prevAt: at - 86_400_000 }
}

/** Records `value` seen at `at` on local day `day`; a new day moves today's maximum to yesterday. */
export function observeMax(m: DailyMax, day: number, value: number, at: number): void {
  if (day !== m.day) {
    m.prevValue = m.value
    m.prevAt = m.at
    m.day = day
    m.value = 0
    m.at = at
  }
  if (value > m.value) {
    m.value = value
    m.at = at
  }
}
