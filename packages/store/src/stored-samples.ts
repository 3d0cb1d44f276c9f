/**
 * Every stored sample of a meter over a time range, read from the tables (`sample_rows` and
 * `sample_blocks`) window by window, in bounded memory: the rows of the `samples` view without its
 * cost (a query on the view with a `t` range unpacks every block of the meter, `t` being inside the
 * JSON; docs/storage.md, "Sample blocks").
 */
import type { PeriodCode } from '@linkyrpi/tic-core'
import { PERIOD_CODES } from './codes.js'
import type { ReadEngine } from './read-engine.js'
import { BLOCK_SAMPLE_FIELDS } from './schema.js'
import type { SamplesTable } from './schema.js'
import { BLOCK_MS, BLOCK_POSITIONS as P, blockHour } from './sample-blocks.js'
import type { BlockSample } from './sample-blocks.js'

/**
 * A stored sample: the columns of the `samples` view (but `meter`), with its values (VIEW_SELECTS
 * of migration 2026_12_04_000200), every bigint as a JS number. Times in epoch ms, powers in VA,
 * currents in A, voltages in V, energies in Wh.
 */
export type StoredSample = Omit<SamplesTable, 'meter' | 'period_code' | 'short'> & {
  /** Code of the current tariff period (`base`, `hc`, …), as the view's text. */
  readonly period_code: PeriodCode | null
  /** 1 for a short frame (flag bit 2), else 0. */
  readonly short: 0 | 1
}

/** Options of {@link storedSamples}. */
export interface StoredSamplesOptions {
  /**
   * Time read per query (ms): a positive multiple of an hour ({@link BLOCK_MS}); the windows start
   * on UTC hours, so that each block is read by one window. Default 3 hours (about 5,400 to
   * 10,800 samples at one frame per 1 to 2 s): the memory the generator holds at most.
   */
  readonly windowMs?: number
}

/** Default {@link StoredSamplesOptions.windowMs}: 3 hours. */
export const STORED_SAMPLES_WINDOW_MS = 3 * BLOCK_MS

/** The `sample_rows` columns read, at their block sample positions (`t` where a block has `dt`). */
const ROW_COLUMNS = BLOCK_SAMPLE_FIELDS.map((c) => (c === 'dt' ? 't' : c)).join(', ')

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/**
 * The view's values of a sample given as its time `t` (epoch ms) and its array in block form
 * (positions of {@link BLOCK_SAMPLE_FIELDS}; `dt` unused here):
 * a block sample, or a `sample_rows` row read as {@link ROW_COLUMNS}.
 */
function sampleOf(t: number, a: readonly unknown[]): StoredSample {
  const flags = Number(a[P.flags])
  return {
    t,
    received_at: t + Number(a[P.rx]),
    clock_ms: (flags & 1) !== 0 ? t - (t % 1000) : null,
    va: num(a[P.va]),
    va1: num(a[P.va1]),
    va2: num(a[P.va2]),
    va3: num(a[P.va3]),
    injected_va: num(a[P.injected_va]),
    i1: num(a[P.i1]),
    i2: num(a[P.i2]),
    i3: num(a[P.i3]),
    u1: num(a[P.u1]),
    u2: num(a[P.u2]),
    u3: num(a[P.u3]),
    period_index: num(a[P.period_index]),
    period_code:
      a[P.period_code] === null || a[P.period_code] === undefined
        ? null
        : (PERIOD_CODES[Number(a[P.period_code])] ?? null),
    import_wh: num(a[P.import_wh]),
    export_wh: num(a[P.export_wh]),
    short: (flags & 2) !== 0 ? 1 : 0,
  }
}

/**
 * Every stored sample of `meter` (its id) with `from` ≤ `t` < `to` (epoch ms), in `t` order, with
 * the values the `samples` view gives ({@link StoredSample}). Reads the tables directly, one
 * window of hours at a time ({@link StoredSamplesOptions.windowMs}): the `sample_rows` of the
 * window on their key and the blocks of its hours (`sample_blocks`, one per meter-hour), merged in
 * time order (a meter-hour is in one or the other). An empty window makes the next one start at
 * the meter's next stored hour (found on the keys), so a range mostly without data costs few
 * queries. Nothing is yielded for an unknown meter or an empty range. Each window is its own
 * statements: samples written while the generator runs are seen or not, as for any paging.
 * A `windowMs` that is not a positive multiple of an hour throws a RangeError (at the first `next()`).
 */
export async function* storedSamples(
  engine: ReadEngine,
  meter: string,
  from: number,
  to: number,
  options: StoredSamplesOptions = {},
): AsyncGenerator<StoredSample> {
  const windowMs = options.windowMs ?? STORED_SAMPLES_WINDOW_MS
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0 || windowMs % BLOCK_MS !== 0)
    throw new RangeError(`windowMs must be a positive multiple of ${String(BLOCK_MS)} ms`)
  if (!(from < to)) return
  const [k] = await engine.selectRows('select num from meter_nums where id = ?', [meter])
  if (k === undefined) return
  const m = Number(k[0])
  /** The hour start of the meter's first stored sample at or after `at` and before `to`, or null. */
  const nextHour = async (at: number): Promise<number | null> => {
    const [rows, blocks] = await Promise.all([
      engine.selectRows('select min(t) from sample_rows where m = ? and t >= ? and t < ?', [
        m,
        at,
        to,
      ]),
      engine.selectRows(
        'select min(hour) from sample_blocks where m = ? and hour >= ? and hour < ? and n > 0',
        [m, blockHour(at), to],
      ),
    ])
    const r = num(rows[0]?.[0])
    const b = num(blocks[0]?.[0])
    return r === null ? b : b === null ? blockHour(r) : Math.min(blockHour(r), b)
  }
  let start: number | null = blockHour(from)
  let empty = true
  while (start !== null && start < to) {
    if (empty) {
      start = await nextHour(Math.max(start, from))
      if (start === null) return
    }
    const end: number = start + windowMs
    const [rows, blocks] = await Promise.all([
      engine.selectRows(
        `select ${ROW_COLUMNS} from sample_rows where m = ? and t >= ? and t < ? order by t`,
        [m, Math.max(start, from), Math.min(end, to)],
      ),
      engine.selectRows(
        'select hour, samples from sample_blocks where m = ? and hour >= ? and hour < ? and n > 0 order by hour',
        [m, start, Math.min(end, to)],
      ),
    ])
    const fromBlocks: StoredSample[] = []
    for (const b of blocks) {
      const hour = Number(b[0])
      for (const a of JSON.parse(String(b[1])) as BlockSample[]) {
        const t = hour + a[0]!
        if (t >= from && t < to) fromBlocks.push(sampleOf(t, a))
      }
    }
    empty = rows.length === 0 && fromBlocks.length === 0
    // Each meter-hour is in one table or the other: merge two lists in time order.
    let j = 0
    for (const r of rows) {
      const t = Number(r[0])
      while (j < fromBlocks.length && fromBlocks[j]!.t < t) yield fromBlocks[j++]!
      yield sampleOf(t, r)
    }
    while (j < fromBlocks.length) yield fromBlocks[j++]!
    start = end
  }
}
