import { describe, expect, it } from 'vitest'
import { createHorodateCache } from './horodate-cache.js'
import { formatHorodate, parseHorodate } from './horodate.js'

describe('createHorodateCache', () => {
  it("gives parseHorodate's result for each second, across minutes, DST and a degraded clock", () => {
    const parse = createHorodateCache()
    // 2024-10-27 01:00 UTC: summer time ends, local 03:00 becomes 02:00.
    const from = Date.UTC(2024, 9, 27, 0, 58, 30)
    for (let t = from; t < from + 5 * 60_000; t += 7_000) {
      for (const raw of [formatHorodate(t), formatHorodate(t, { degraded: true })]) {
        expect(parse(raw)).toEqual(parseHorodate(raw))
      }
    }
    for (const raw of [undefined, '', 'H240115136000', 'H24011513300', ' 230213060005']) {
      expect(parse(raw)).toEqual(parseHorodate(raw))
    }
  })

  it('keeps one state per cache: two meters read side by side each get their own results', () => {
    const a = createHorodateCache()
    const b = createHorodateCache()
    const winter = Date.UTC(2024, 0, 15, 12, 30, 0)
    const summer = Date.UTC(2024, 6, 15, 12, 30, 0)
    for (let s = 0; s < 120; s += 3) {
      const ra = formatHorodate(winter + s * 1000)
      const rb = formatHorodate(summer + s * 1000)
      expect(a(ra)).toEqual(parseHorodate(ra))
      expect(b(rb)).toEqual(parseHorodate(rb))
    }
  })
})
