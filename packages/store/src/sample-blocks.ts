/**
 * Sample blocks (docs/storage.md, "Sample blocks"): the samples and register changes of one
 * meter-hour packed in one `sample_blocks` row, as JSON that SQL can unpack (`json_each`,
 * `json_array_elements`). An import writes one row per meter-hour instead of one per frame and
 * one per register change.
 */
import { BLOCK_SAMPLE_FIELDS } from './schema.js'
import type { RowOf } from './schema.js'

/** Length of the hour a block covers (ms). */
export const BLOCK_MS = 3_600_000

/** The hour start (epoch ms) of the block holding time `t` (epoch ms). */
export const blockHour = (t: number): number => t - (((t % BLOCK_MS) + BLOCK_MS) % BLOCK_MS)

/**
 * A number naming a meter-hour (meter number `m`, hour start `hour`), exact for meter numbers
 * below 9 × 10⁹ and hours before the year 2084.
 */
export const blockKey = (m: number, hour: number): number => m * 1_000_000 + hour / BLOCK_MS

/** A sample of a block: its array form, position 0 the time from the hour start (ms). */
export type BlockSample = (number | null)[]

/** A register change of a block: `[register number, t − hour (ms), value]`. */
export type BlockRegister = [number, number, number]

/**
 * The array form of a `sample_rows` row in the block of `hour`: the columns at their
 * `BLOCK_SAMPLE_FIELDS` positions (schema.ts), `dt` = `t − hour`, trailing nulls left out.
 */
export function blockSample(s: RowOf<'sample_rows'>, hour: number): BlockSample {
  // Common shapes built at their length: with JSON.stringify, 0.70-0.74 against 0.97-1.03 µs a
  // sample for the whole array shrunk afterwards (200,000 single-phase samples, node 20).
  if (
    s.injected_va === null &&
    s.va1 === null &&
    s.va2 === null &&
    s.va3 === null &&
    s.i2 === null &&
    s.i3 === null &&
    s.u2 === null &&
    s.u3 === null
  ) {
    if (s.export_wh === null)
      return s.import_wh === null
        ? [s.t! - hour, s.rx!, s.flags!, s.va, s.i1, s.u1, s.period_index, s.period_code]
        : [
            s.t! - hour,
            s.rx!,
            s.flags!,
            s.va,
            s.i1,
            s.u1,
            s.period_index,
            s.period_code,
            s.import_wh,
          ]
    return [
      s.t! - hour,
      s.rx!,
      s.flags!,
      s.va,
      s.i1,
      s.u1,
      s.period_index,
      s.period_code,
      s.import_wh,
      s.export_wh,
    ]
  }
  const a: BlockSample = [
    s.t! - hour,
    s.rx!,
    s.flags!,
    s.va,
    s.i1,
    s.u1,
    s.period_index,
    s.period_code,
    s.import_wh,
    s.export_wh,
    s.injected_va,
    s.va1,
    s.va2,
    s.va3,
    s.i2,
    s.i3,
    s.u2,
    s.u3,
  ]
  let n = a.length
  while (n > 3 && a[n - 1] === null) n--
  if (n < a.length) a.length = n
  return a
}

/** The position of each field in a block sample (see `BLOCK_SAMPLE_FIELDS`, schema.ts). */
export const BLOCK_POSITIONS = Object.freeze(
  Object.fromEntries(BLOCK_SAMPLE_FIELDS.map((c, i) => [c, i])),
) as Readonly<Record<(typeof BLOCK_SAMPLE_FIELDS)[number], number>>

const P = BLOCK_POSITIONS
const v = (a: BlockSample, k: number): number | null => a[k] ?? null

/** The `sample_rows` row of a block sample (meter number `m`, block `hour`). */
export function sampleOfBlock(m: number, hour: number, a: BlockSample): RowOf<'sample_rows'> {
  return {
    m,
    t: hour + a[P.dt]!,
    rx: a[P.rx]!,
    flags: a[P.flags]!,
    va: v(a, P.va),
    i1: v(a, P.i1),
    u1: v(a, P.u1),
    period_index: v(a, P.period_index),
    period_code: v(a, P.period_code),
    import_wh: v(a, P.import_wh),
    export_wh: v(a, P.export_wh),
    injected_va: v(a, P.injected_va),
    va1: v(a, P.va1),
    va2: v(a, P.va2),
    va3: v(a, P.va3),
    i2: v(a, P.i2),
    i3: v(a, P.i3),
    u2: v(a, P.u2),
    u3: v(a, P.u3),
  }
}

/** Block samples in time order (a stable sort; usually already sorted: checked first). */
export function sortBlockSamples(a: BlockSample[]): BlockSample[] {
  for (let i = 1; i < a.length; i++) if (a[i - 1]![0]! > a[i]![0]!) return a.sort(byDt)
  return a
}

/** Register changes in time order (stable). */
export function sortBlockRegisters(a: BlockRegister[]): BlockRegister[] {
  for (let i = 1; i < a.length; i++)
    if (a[i - 1]![1] > a[i]![1]) return a.sort((x, y) => x[1] - y[1])
  return a
}

const byDt = (x: BlockSample, y: BlockSample): number => x[0]! - y[0]!
