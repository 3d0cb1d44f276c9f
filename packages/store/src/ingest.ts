import { sql } from 'kysely'
import { bucketOf, ROLLUP_RESOLUTIONS } from './buckets.js'
import { RES_MINUTES, registerNum } from './codes.js'
import type { Engine, WriteTx } from './engine.js'
import { copyEnergyCounter, countValue, createEnergyCounter } from './energy-counter.js'
import type { CountStep, EnergyCounter } from './energy-counter.js'
import {
  contractOf,
  eventsBetween,
  hasContract,
  isEnergyRegister,
  registersInto,
  registersOf,
  sameContract,
  sameEventState,
  sampleRow,
  isoMs,
} from './rows.js'
import type { ContractTerms, StoreRecord } from './rows.js'
import {
  blockHour,
  blockKey,
  blockSample,
  sortBlockRegisters,
  sortBlockSamples,
} from './sample-blocks.js'
import type { BlockRegister, BlockSample } from './sample-blocks.js'
import { foldEnergyMinutesSql, foldPowerMinutesSql, rollupConflicts } from './packed-minutes.js'
import type { RowOf } from './schema.js'
import type { TicReading } from '@linkyrpi/tic-core'

/** Options of {@link createIngest}. */
export interface IngestOptions {
  /** A silence longer than this between two samples of a meter is stored as a `gap` event (ms, default 60000). */
  readonly gapMs?: number
  /**
   * Record a `restart` event at the first new frame of each meter after the writer started, when
   * the store already held later frames of it (detail: `from`, the latest stored frame, and `ms`,
   * the gap). Sinks set it: their restart is a process restart (crash, power cut, update), and the
   * event says what was not recorded. Imports leave it off (default false).
   */
  readonly restartEvents?: boolean
  /**
   * Longest time (ms of data time, default 60000) the full latest reading of a meter
   * (`meters.last_reading`) may lag its latest sample. Within it, a batch updates only the meter's
   * narrow columns (`last_seen`, `last_registers`); a change of anything that gives events (period,
   * relays, status, alerts, messages, mode, Tempo) writes the reading at once. 0: every batch.
   */
  readonly latestEveryMs?: number
  /**
   * PostgreSQL: a batch holding several meters is written as this many concurrent transactions
   * (default 1), each with the meters of one lane (a meter is always in the same lane, so no two
   * transactions write the same rows): one computes its rows while the database runs the other's.
   * For a database with cores to spare: on 2 cores shared with NATS, 2 lanes cut the lag a little
   * and cost 40 % more PostgreSQL CPU per frame (docs/storage.md, "Lanes"). SQLite: always 1.
   */
  readonly lanes?: number
  /**
   * PostgreSQL: time (ms, default 100) each batch may spend folding the 1-minute rows of an hour
   * past into their packed rows: the fold goes by ranges of meters sized to it (see docs/storage.md,
   * "Packed minutes").
   */
  readonly foldStepMs?: number
  /**
   * A meter with at least this many new frames in a batch (an import, a catch-up) has its samples
   * and register changes written as one `sample_blocks` row per hour instead of one row per frame
   * and per change (default 64; `Infinity`: never). Fewer frames (a live batch) go to
   * `sample_rows`/`register_rows` as before. See docs/storage.md, "Sample blocks".
   */
  readonly blockMinFrames?: number
  /**
   * PostgreSQL: once the hot tables (`power_hot_rows`, `energy_hot_rows`) have taken this many
   * rows (inserted or updated) since their last vacuum and a fold round has ended since, ingest
   * vacuums them on a connection of its own, without waiting for it (default 50,000; `Infinity`:
   * never). Every row a fold moves is deleted from them, and a server whose autovacuum is off, or
   * lags an import, keeps it as a dead row that every later fold walks: a year imported into
   * this machine's PostgreSQL (autovacuum off) went at 58,819 frames/s instead of 239,176
   * (docs/storage.md, "Packed minutes", "Keeping the hot tables small").
   */
  readonly hotVacuumRows?: number
}

/** Outcome of one batch. */
export interface BatchResult {
  /** New samples stored. */
  readonly stored: number
  /** Frames whose (meter, time) was already stored: a replay or a redelivery. */
  readonly duplicates: number
  /** Frames without a meter id (ADCO/ADSC): they cannot be stored. */
  readonly unstorable: number
}

/** Writes batches of records, one transaction each, keeping what rows need across batches. */
export interface Ingest {
  /**
   * Writes `records` (in arrival order) in one transaction: samples, changed registers, events,
   * contract changes, meters and rollups. Idempotent per (meter, time). On failure nothing is
   * written and the in-memory state is unchanged, so the same batch can be retried.
   */
  write(records: readonly StoreRecord[]): Promise<BatchResult>
}

interface Contract extends ContractTerms {
  readonly validFrom: number
}

/** An energy rollup row being built. */
interface EnergyAgg {
  m: number
  res: number
  reg: number
  bucket: number
  min_wh: number
  max_wh: number
  energy_wh: number
}

/**
 * Merges aggregates of the same key (a register going back to an earlier bucket), for one upsert,
 * in key order (two writers of the same meters then lock rollup rows in the same order).
 */
function mergeEnergy(aggs: readonly EnergyAgg[]): EnergyAgg[] {
  const byKey = new Map<string, EnergyAgg>()
  for (const a of aggs) {
    const k = `${String(a.m)}:${String(a.res)}:${String(a.reg)}:${String(a.bucket)}`
    const e = byKey.get(k)
    if (e === undefined) byKey.set(k, { ...a })
    else {
      e.min_wh = Math.min(e.min_wh, a.min_wh)
      e.max_wh = Math.max(e.max_wh, a.max_wh)
      e.energy_wh += a.energy_wh
    }
  }
  return [...byKey.values()].sort(
    (a, b) => a.m - b.m || a.res - b.res || a.reg - b.reg || a.bucket - b.bucket,
  )
}

/** True when `rows` are in (m, t) order (the usual case: one batch of frames in time order). */
function inKeyOrder(
  rows: readonly { readonly m: number | null; readonly t: number | null }[],
): boolean {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!
    const b = rows[i]!
    if (a.m! > b.m! || (a.m === b.m && a.t! > b.t!)) return false
  }
  return true
}

interface MeterState {
  /** The meter's number in the compact tables (`meter_nums`). */
  num: number
  /** Energy aggregates of the batch being written, by register and resolution. */
  energy: Map<string, (EnergyAgg | undefined)[]>
  /** The previous record seen in this run. */
  prev: { t: number; reading: TicReading } | null
  /** The latest stored reading when the meter was first seen in this run. */
  stored: { t: number; reading: TicReading } | null
  contract: Contract | null
  /** Last written value of each register in this run. */
  registers: Map<string, number>
  /** Keys given in the meter clock second of the latest frame (see `keyTime`). */
  second: SecondKeys | null
  /** Where energy counting of each register stands (increments, resets). */
  counter: EnergyCounter
  /** A frame newer than `stored` was written in this run (the `restart` event is behind us). */
  resumed: boolean
  /** The reading in `meters.last_reading` (null: none stored yet in this run or before). */
  saved: TicReading | null
  /** Data time of `saved` (epoch ms). */
  savedAt: number
  /** The latest hour (epoch ms) known to be in rows mode, its marker stored (see `placeSamples`). */
  markerHour: number
  /** The latest key given to a frame of the batch being written (-Infinity: none yet). */
  batchLast: number
  /** The keys given in the batch being written, once one came out of order; else null. */
  batchKeys: Set<number> | null
  /** Samples of the meter in the batch being written. */
  batchCount: number
}

/** The frames keyed within one meter clock second: their key times, receive times and readings. */
interface SecondKeys {
  clockMs: number
  /** Entries in use (the arrays are reused from one second to the next, not shrunk). */
  n: number
  t: number[]
  receivedAt: number[]
  /** Null for a sample found in the database (its reading is not kept). */
  readings: (TicReading | null)[]
}

/** A meter-hour of a batch and where its samples go (see `placeSamples`). */
interface BlockGroup {
  readonly m: number
  readonly hour: number
  readonly key: number
  readonly owner: MeterState
  /** Positions of its samples in the batch's sample list. */
  readonly idx: number[]
  /** rows: `sample_rows`; new: a new block; merge: into the stored block. */
  mode: 'rows' | 'new' | 'merge'
  /** The stored block's samples and register changes (merge). */
  stored: { samples: BlockSample[]; registers: BlockRegister[] } | null
  /** Register changes of its new samples. */
  regs: BlockRegister[] | null
}

/** Outcome of `placeSamples`: which samples are new, and the meter-hours (null: all rows). */
interface Placement {
  readonly inserted: boolean[]
  readonly groups: Map<number, BlockGroup> | null
  /** The block-mode meter-hour of each sample (undefined: rows mode); null when there is none. */
  readonly blockOf: (BlockGroup | undefined)[] | null
}

/** Meters loaded per statement (SQLite allows 32,766 parameters; three per meter for samples). */
const LOAD_CHUNK = 500

const copySecond = (s: SecondKeys | null): SecondKeys | null =>
  s === null
    ? null
    : {
        clockMs: s.clockMs,
        n: s.n,
        t: s.t.slice(0, s.n),
        receivedAt: s.receivedAt.slice(0, s.n),
        readings: s.readings.slice(0, s.n),
      }

interface StoredMeterRow {
  first_seen: number
  last_seen: number
  last_reading: string
  last_reading_at: number | null
  last_registers: string | null
}

interface ContractRow {
  valid_from: number
  option: string | null
  option_label: string | null
  subscribed_va: number | null
  cutoff_va: number | null
  hhphc: string | null
}

/** A power rollup row being built (the columns of `power_rows`). */
type PowerRow = {
  [K in keyof RowOf<'power_rows'>]: K extends
    'm' | 'res' | 'bucket' | 'n' | 'va_n' | 'vap_n' | 'inj_n' | 'u_n'
    ? number
    : number | null
}

const add = (a: number | null, b: number | null): number | null => (b === null ? a : (a ?? 0) + b)
const lo = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b)
const hi = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b)

/**
 * Adds a new sample to the power rollups of its buckets. `lastAgg` keeps the row of each
 * resolution last added to: consecutive samples mostly fall in the same buckets (no key to build).
 */
function addPower(
  power: Map<string, PowerRow>,
  lastAgg: (PowerRow | undefined)[],
  s: RowOf<'sample_rows'>,
  resolutions: number,
): void {
  const m = s.m!
  const t = s.t!
  const { va, va1, injected_va: inj, u1, u2, u3 } = s
  const uLo = lo(lo(u1, u2), u3)
  const uHi = hi(hi(u1, u2), u3)
  for (let ri = 0; ri < resolutions; ri++) {
    const name = ROLLUP_RESOLUTIONS[ri]!
    const bucket = bucketOf(name, t)
    let a = lastAgg[ri]
    if (a === undefined || a.bucket !== bucket || a.m !== m) {
      const k = `${String(m)}:${name}:${String(bucket)}`
      a = power.get(k)
      if (a === undefined) {
        const res = RES_MINUTES[name]
        a = {
          m,
          res,
          bucket,
          n: 0,
          va_n: 0,
          va_sum: null,
          va_min: null,
          va_max: null,
          vap_n: 0,
          va1_sum: null,
          va2_sum: null,
          va3_sum: null,
          inj_n: 0,
          inj_sum: null,
          u_n: 0,
          u1_sum: null,
          u2_sum: null,
          u3_sum: null,
          u_min: null,
          u_max: null,
        }
        power.set(k, a)
      }
      lastAgg[ri] = a
    }
    a.n++
    if (va !== null) {
      a.va_n++
      a.va_sum = (a.va_sum ?? 0) + va
      a.va_min = lo(a.va_min, va)
      a.va_max = hi(a.va_max, va)
    }
    if (va1 !== null) {
      a.vap_n++
      a.va1_sum = add(a.va1_sum, va1)
      a.va2_sum = add(a.va2_sum, s.va2)
      a.va3_sum = add(a.va3_sum, s.va3)
    }
    if (inj !== null) {
      a.inj_n++
      a.inj_sum = (a.inj_sum ?? 0) + inj
    }
    if (u1 !== null) {
      a.u_n++
      a.u1_sum = add(a.u1_sum, u1)
      a.u2_sum = add(a.u2_sum, u2)
      a.u3_sum = add(a.u3_sum, u3)
      a.u_min = lo(a.u_min, uLo)
      a.u_max = hi(a.u_max, uHi)
    }
  }
}

/**
 * Inserts sample rows in key order (m, t) and returns, in the given order, which were new. Two
 * writers of the same meters then take the key locks in the same order and cannot deadlock on them.
 */
async function insertSamples(
  tx: WriteTx,
  samples: readonly RowOf<'sample_rows'>[],
): Promise<boolean[]> {
  const conflict = 'on conflict (m, t) do nothing'
  if (inKeyOrder(samples)) return tx.insert('sample_rows', samples, conflict)
  const order = samples
    .map((_, i) => i)
    .sort((a, b) => samples[a]!.m! - samples[b]!.m! || samples[a]!.t! - samples[b]!.t!)
  const sortedInserted = await tx.insert(
    'sample_rows',
    order.map((i) => samples[i]!),
    conflict,
  )
  const out = new Array<boolean>(samples.length)
  for (let k = 0; k < order.length; k++) out[order[k]!] = sortedInserted[k]!
  return out
}

/** The energy registers of a reading, `[register, Wh, …]`: what counting resumes from. */
function energyRegistersOf(r: TicReading): (string | number)[] {
  const regs = registersOf(r)
  const out: (string | number)[] = []
  for (let k = 0; k < regs.length; k += 2)
    if (isEnergyRegister(regs[k] as string)) out.push(regs[k]!, regs[k + 1]!)
  return out
}

/**
 * Splits records into `lanes` lists by meter id (a stable hash), keeping arrival order in each;
 * empty lanes are left out. Records without a meter id go to the first lane.
 */
function splitByMeter(records: readonly StoreRecord[], lanes: number): StoreRecord[][] {
  const out: StoreRecord[][] = Array.from({ length: lanes }, () => [])
  for (const r of records) {
    const id = r.reading.meter.id
    let h = 0
    if (id !== null) for (let k = 0; k < id.length; k++) h = (h * 31 + id.charCodeAt(k)) | 0
    out[(h >>> 0) % lanes]!.push(r)
  }
  const used = out.filter((l) => l.length > 0)
  return used.length === 0 ? [[]] : used
}

/** Creates the batch writer over an engine. */
export function createIngest(engine: Engine, options: IngestOptions = {}): Ingest {
  const counted: CountStep = { wh: 0, resetFrom: -1, resetFromT: 0 }
  const gapMs = options.gapMs ?? 60_000
  const restartEvents = options.restartEvents ?? false
  const latestEveryMs = options.latestEveryMs ?? 60_000
  const lanes = engine.kind === 'postgres' ? Math.max(1, options.lanes ?? 1) : 1
  const meters = new Map<string, MeterState>()
  // PostgreSQL stores the 1-minute rollups packed per hour (migration 2026_12_04_000300): they
  // are written as rows, like SQLite's, then an hour is folded into its packed row once the
  // writer's data is an hour past it (one fold per hour, not an array merge per batch).
  const packMinutes = engine.kind === 'postgres'
  // PostgreSQL derives the 1-hour and 1-day rollups from the minutes when it folds them
  // (migration 2026_12_04_000600): per frame one power row and one row per changed register to
  // upsert instead of three each, since with thousands of meters a batch holds about one frame
  // per meter and nothing amortises them. Readers add the minutes not folded yet.
  const resolutions = packMinutes ? 1 : ROLLUP_RESOLUTIONS.length
  /** Buckets before this hour start (epoch ms) are folded; -Infinity until the first fold. */
  let foldedBefore = -Infinity
  /** The fold under way: its cut, the next meter number to fold, the highest meter number. */
  let round: { cut: number; next: number; last: number } | null = null
  /**
   * 1-minute rows written to the hot tables for buckets before `foldedBefore` (late frames, or an
   * import of a meter's history older than what the writer folded already) since the last round
   * started: past {@link LATE_FOLD_ROWS} a round starts without waiting for the next hour.
   */
  let lateHotRows = 0
  /** Meter numbers folded per step (adapted to `foldStepMs`). */
  let foldChunk = FOLD_CHUNK_MIN
  const foldStepMs = options.foldStepMs ?? 100
  const blockMinFrames = options.blockMinFrames ?? 64
  const hotVacuumRows = options.hotVacuumRows ?? 50_000
  /** Rows upserted into the hot tables since their last vacuum started. */
  let hotRowsWritten = 0
  /** True once a fold round ended since the last vacuum started: its deletes are vacuumable. */
  let foldedSinceVacuum = false
  /** The vacuum under way, if any (never awaited by a batch). */
  let vacuuming: Promise<void> | null = null

  /**
   * Vacuums the hot tables when due (see `IngestOptions.hotVacuumRows`): outside any transaction
   * (VACUUM cannot run in one), on a pooled connection, while the next batches go on (VACUUM
   * takes no lock that blocks inserts, updates or deletes; `skip_locked` passes over a table
   * autovacuum or another writer's vacuum holds). A failure is not the batch's: the rows stay
   * dead until the next vacuum, and every answer is the same.
   */
  function vacuumHotTables(): void {
    if (!packMinutes || vacuuming !== null || !foldedSinceVacuum) return
    if (hotRowsWritten < hotVacuumRows) return
    hotRowsWritten = 0
    foldedSinceVacuum = false
    vacuuming = sql`vacuum (skip_locked) power_hot_rows, energy_hot_rows`
      .execute(engine.db)
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        vacuuming = null
      })
  }

  /**
   * Where the samples of a batch go, and which are new (docs/storage.md, "Sample blocks"). Each
   * meter-hour is either in rows mode (a marker row in `sample_blocks`, the samples in
   * `sample_rows`) or in block mode (one `sample_blocks` row holding them all). A meter with at
   * least `blockMinFrames` frames in the batch gets blocks for the hours that have no rows yet;
   * the others get rows, after making sure their hour's marker exists: the unique key of
   * `sample_blocks` orders a rows writer and a block writer of the same meter-hour (PostgreSQL:
   * the second waits for the first to commit, then finds its row).
   */
  async function placeSamples(
    tx: WriteTx,
    samples: readonly RowOf<'sample_rows'>[],
    owners: readonly MeterState[],
  ): Promise<Placement> {
    // A live batch: every meter has few frames, in an hour whose marker it wrote. Rows, at once.
    let live = true
    for (let i = 0; i < samples.length && live; i++) {
      const o = owners[i]!
      live = o.batchCount < blockMinFrames && o.markerHour === blockHour(samples[i]!.t!)
    }
    if (live) return { inserted: await insertSamples(tx, samples), groups: null, blockOf: null }
    const groups = new Map<number, BlockGroup>()
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!
      const hour = blockHour(s.t!)
      const key = blockKey(s.m!, hour)
      let g = groups.get(key)
      if (g === undefined) {
        g = {
          m: s.m!,
          hour,
          key,
          owner: owners[i]!,
          idx: [],
          mode: 'rows',
          stored: null,
          regs: null,
        }
        groups.set(key, g)
      }
      g.idx.push(i)
    }
    const markers: BlockGroup[] = []
    const lookup: BlockGroup[] = []
    for (const g of groups.values()) {
      if (g.owner.batchCount >= blockMinFrames) lookup.push(g)
      else if (g.owner.markerHour !== g.hour) markers.push(g)
    }
    // Markers first (a live batch: the meters' new hours), then whatever already has a row.
    for (let k = 0; k < markers.length; k += 500) {
      const chunk = markers.slice(k, k + 500)
      const made = await tx.query<{ m: number; hour: number }>(
        `insert into sample_blocks (m, hour, n) values ${chunk.map(() => '(?, ?, 0)').join(', ')} on conflict (m, hour) do nothing returning m, hour`,
        chunk.flatMap((g) => [g.m, g.hour]),
      )
      const fresh = new Set<number>()
      for (const r of made) fresh.add(blockKey(Number(r.m), Number(r.hour)))
      for (const g of chunk) if (!fresh.has(g.key)) lookup.push(g)
    }
    const forUpdate = engine.kind === 'postgres' ? ' for update' : ''
    for (let k = 0; k < lookup.length; k += 200) {
      const chunk = lookup.slice(k, k + 200)
      const found = await tx.query<{
        m: number
        hour: number
        n: number
        samples: string | null
        registers: string | null
      }>(
        `select m, hour, n, samples, registers from sample_blocks where ${chunk.map(() => '(m = ? and hour = ?)').join(' or ')}${forUpdate}`,
        chunk.flatMap((g) => [g.m, g.hour]),
      )
      const byKey = new Map<number, (typeof found)[number]>()
      for (const r of found) byKey.set(blockKey(Number(r.m), Number(r.hour)), r)
      for (const g of chunk) {
        const r = byKey.get(g.key)
        if (r === undefined) {
          // Only a group wanting a block looks up a meter-hour it did not find a marker for.
          if (g.owner.batchCount < blockMinFrames)
            throw Object.assign(new Error('a sample_blocks marker vanished during the batch'), {
              code: '40001',
            })
          g.mode = 'new'
        } else if (Number(r.n) === 0) g.mode = 'rows'
        else {
          g.mode = 'merge'
          g.stored = {
            samples: JSON.parse(r.samples!) as BlockSample[],
            registers: JSON.parse(r.registers ?? '[]') as BlockRegister[],
          }
        }
      }
    }
    const inserted = new Array<boolean>(samples.length)
    const rowIdx: number[] = []
    let blockOf: BlockGroup[] | null = null
    for (const g of groups.values()) {
      if (g.mode === 'rows') {
        for (const i of g.idx) rowIdx.push(i)
        // Applied with the batch's other state when the transaction commits.
        g.owner.markerHour = Math.max(g.owner.markerHour, g.hour)
        continue
      }
      blockOf ??= new Array<BlockGroup>(samples.length)
      for (const i of g.idx) blockOf[i] = g
      if (g.stored === null) for (const i of g.idx) inserted[i] = true
      else {
        const have = new Set<number>()
        for (const a of g.stored.samples) have.add(a[0]!)
        for (const i of g.idx) inserted[i] = !have.has(samples[i]!.t! - g.hour)
      }
    }
    if (rowIdx.length > 0) {
      const flags = await insertSamples(
        tx,
        rowIdx.map((i) => samples[i]!),
      )
      for (let k = 0; k < rowIdx.length; k++) inserted[rowIdx[k]!] = flags[k]!
    }
    return { inserted, groups: blockOf === null ? null : groups, blockOf }
  }

  /**
   * Writes the block-mode meter-hours of a batch (new rows, or stored blocks with the new samples
   * merged in) with their register changes (`regs`, given by the batch; the register changes of
   * rows-mode hours go to `register_rows`).
   */
  async function writeBlocks(
    tx: WriteTx,
    placement: Placement,
    samples: readonly RowOf<'sample_rows'>[],
  ): Promise<void> {
    const groups = placement.groups
    if (groups === null) return
    const fresh: RowOf<'sample_blocks'>[] = []
    for (const g of groups.values()) {
      if (g.mode === 'rows') continue
      const added: BlockSample[] = []
      for (const i of g.idx)
        if (placement.inserted[i] === true) added.push(blockSample(samples[i]!, g.hour))
      if (added.length === 0) continue
      const all = sortBlockSamples(g.stored === null ? added : g.stored.samples.concat(added))
      const regs = sortBlockRegisters(
        g.stored === null ? (g.regs ?? []) : g.stored.registers.concat(g.regs ?? []),
      )
      const row = {
        m: g.m,
        hour: g.hour,
        n: all.length,
        samples: JSON.stringify(all),
        registers: JSON.stringify(regs),
      }
      if (g.stored === null) fresh.push(row)
      else
        await tx.query(
          'update sample_blocks set n = ?, samples = ?, registers = ? where m = ? and hour = ?',
          [row.n, row.samples, row.registers, row.m, row.hour],
        )
    }
    // PostgreSQL: a concurrent writer that stored the same meter-hour since the lookup makes this
    // fail with a unique violation, and the engine runs the transaction again (it then merges).
    if (fresh.length > 0) await tx.insert('sample_blocks', fresh, '')
  }
  const L = engine.least.bind(engine)
  const G = engine.greatest.bind(engine)
  const { power: powerConflict, energy: energyConflict } = rollupConflicts(L, G)
  // PostgreSQL: the 1-minute rows wait for their fold in tables of their own (no `res` column), so
  // that the fold never deletes from power_rows/energy_rows (migration 2026_12_04_000700).
  const hotPowerConflict = powerConflict
    .replace(/power_rows\./g, 'power_hot_rows.')
    .replace('(m, res, bucket)', '(m, bucket)')
  const hotEnergyConflict = energyConflict
    .replace(/energy_rows\./g, 'energy_hot_rows.')
    .replace('(m, res, reg, bucket)', '(m, reg, bucket)')
  // One row per meter of the batch; the newer reading wins (an import of older data keeps the newer one).
  // A row without its full reading (`last_reading_at` null) keeps the stored one.
  const newerReading =
    'excluded.last_reading_at is not null and excluded.last_reading_at >= coalesce(meters.last_reading_at, meters.last_seen)'
  const meterConflict =
    'on conflict (id) do update set ' +
    [
      'prm = case when excluded.last_seen >= meters.last_seen then coalesce(excluded.prm, meters.prm) else meters.prm end',
      'kind = case when excluded.last_seen >= meters.last_seen then excluded.kind else meters.kind end',
      'manufacturer = case when excluded.last_seen >= meters.last_seen then excluded.manufacturer else meters.manufacturer end',
      'mode = case when excluded.last_seen >= meters.last_seen then excluded.mode else meters.mode end',
      'phases = case when excluded.last_seen >= meters.last_seen then coalesce(excluded.phases, meters.phases) else meters.phases end',
      'producer = case when excluded.last_seen >= meters.last_seen then excluded.producer else meters.producer end',
      `last_reading = case when ${newerReading} then excluded.last_reading else meters.last_reading end`,
      `last_reading_at = case when ${newerReading} then excluded.last_reading_at else meters.last_reading_at end`,
      'last_registers = case when excluded.last_seen >= meters.last_seen then excluded.last_registers else meters.last_registers end',
      `first_seen = ${L('meters.first_seen', 'excluded.first_seen')}`,
      `last_seen = ${G('meters.last_seen', 'excluded.last_seen')}`,
    ].join(', ')

  /**
   * The stored state of meters not seen yet in this run: their latest reading, current contract
   * and the keys of their latest clock second. A few statements per 500 meters, not per meter: a
   * server starting with a thousand meters in its first batch loads them at once.
   */
  async function loadAll(tx: WriteTx, ids: readonly string[]): Promise<Map<string, MeterState>> {
    const out = new Map<string, MeterState>()
    for (let k = 0; k < ids.length; k += LOAD_CHUNK) {
      const chunk = ids.slice(k, k + LOAD_CHUNK)
      const list = chunk.map(() => '?').join(', ')
      // A number for each new meter; a concurrent writer's insert of the same id waits or does nothing.
      await tx.query(
        `insert into meter_nums (id) values ${chunk.map(() => '(?)').join(', ')} on conflict (id) do nothing`,
        chunk,
      )
      const nums = await tx.query<{ num: number; id: string }>(
        `select num, id from meter_nums where id in (${list})`,
        chunk,
      )
      for (const { num, id } of nums) {
        out.set(id, {
          num: Number(num),
          prev: null,
          stored: null,
          contract: null,
          registers: new Map(),
          energy: new Map(),
          second: null,
          counter: createEnergyCounter(),
          resumed: false,
          saved: null,
          savedAt: -Infinity,
          markerHour: -Infinity,
          batchLast: -Infinity,
          batchKeys: null,
          batchCount: 0,
        })
      }
      const stored = await tx.query<StoredMeterRow & { id: string }>(
        `select id, first_seen, last_seen, last_reading, last_reading_at, last_registers from meters where id in (${list})`,
        chunk,
      )
      for (const m of stored) {
        const st = out.get(m.id)!
        const reading = JSON.parse(m.last_reading) as TicReading
        // The reading may be up to `latestEveryMs` older than the latest sample, but nothing that
        // gives events changed since (see `latestEveryMs`): the previous reading for events.
        st.stored = { t: Number(m.last_seen), reading }
        st.saved = reading
        st.savedAt = Number(m.last_reading_at ?? m.last_seen)
        // Counting resumes from the latest stored values: the energy used while not recording counts.
        st.counter = createEnergyCounter(
          Number(m.first_seen),
          Number(m.last_seen),
          m.last_registers === null
            ? energyRegistersOf(reading)
            : (JSON.parse(m.last_registers) as (string | number)[]),
        )
      }
      const contracts = await tx.query<ContractRow & { meter: string }>(
        `select meter, valid_from, option, option_label, subscribed_va, cutoff_va, hhphc from contracts where meter in (${list}) and valid_to is null order by valid_from`,
        chunk,
      )
      // Ordered by valid_from: the last open row of a meter is its current contract.
      for (const c of contracts) {
        out.get(c.meter)!.contract = {
          validFrom: Number(c.valid_from),
          option: c.option,
          optionLabel: c.option_label,
          subscribedVA: c.subscribed_va,
          cutoffVA: c.cutoff_va,
          hhphc: c.hhphc,
        }
      }
      if (stored.length === 0) continue
      // The samples of each meter's latest clock second, for frames sharing it (see keyTime).
      const ranges = stored.map(
        (m) => [out.get(m.id)!.num, Math.floor(Number(m.last_seen) / 1000) * 1000] as const,
      )
      const rows = await tx.query<{ m: number; t: number; rx: number; flags: number }>(
        `select m, t, rx, flags from sample_rows where ${ranges.map(() => '(m = ? and t >= ? and t < ?)').join(' or ')} order by m, t`,
        ranges.flatMap(([m, s]) => [m, s, s + 1000]),
      )
      const byNum = new Map<number, MeterState>()
      for (const st of out.values()) byNum.set(st.num, st)
      for (const r of rows) {
        // Samples keyed by the meter clock: `t` is that clock second plus 0-999 ms (see keyTime).
        if ((Number(r.flags) & 1) === 0) continue
        const t = Number(r.t)
        const clockMs = Math.floor(t / 1000) * 1000
        const st = byNum.get(Number(r.m))!
        if (st.second === null) st.second = { clockMs, n: 0, t: [], receivedAt: [], readings: [] }
        st.second.t.push(t)
        st.second.receivedAt.push(t + Number(r.rx))
        st.second.readings.push(null)
        st.second.n++
      }
      // A latest second in a block (see placeSamples): its samples are there, not in sample_rows.
      const inBlocks = ranges.filter(([m]) => byNum.get(m)!.second === null)
      if (inBlocks.length === 0) continue
      const blocks = await tx.query<{ m: number; hour: number; samples: string }>(
        `select m, hour, samples from sample_blocks where n > 0 and (${inBlocks.map(() => '(m = ? and hour = ?)').join(' or ')})`,
        inBlocks.flatMap(([m, s]) => [m, blockHour(s)]),
      )
      const secondOf = new Map(inBlocks)
      for (const b of blocks) {
        const m = Number(b.m)
        const hour = Number(b.hour)
        const s = secondOf.get(m)!
        const st = byNum.get(m)!
        for (const a of JSON.parse(b.samples) as BlockSample[]) {
          const t = hour + a[0]!
          if (t < s || t >= s + 1000 || (a[2]! & 1) === 0) continue
          st.second ??= { clockMs: s, n: 0, t: [], receivedAt: [], readings: [] }
          st.second.t.push(t)
          st.second.receivedAt.push(t + a[1]!)
          st.second.readings.push(null)
          st.second.n++
        }
      }
    }
    return out
  }

  /**
   * The key time of a frame: its `sampleTime`, except for frames sharing one meter clock second
   * (a meter at 9600 Bd may send two frames within one): the second one is keyed 1 ms after the
   * first, and so on. A frame with the receive time and reading of one already keyed in that
   * second is a redelivery and gets its key. Keys follow the order of the frames, so a replay
   * finds the same keys. Updates `st.second`.
   */
  function keyTime(st: MeterState, record: StoreRecord): number {
    // sampleTime, without an object per frame (the clock goes to `keyClockMs`).
    const iso = record.reading.time
    const ms = iso === null ? NaN : isoMs(iso)
    if (!Number.isFinite(ms)) {
      keyClockMs = null
      return record.receivedAt
    }
    const clockMs = ms
    keyClockMs = clockMs
    const sec = st.second
    if (sec === null || sec.clockMs !== clockMs) {
      if (sec === null)
        st.second = {
          clockMs,
          n: 1,
          t: [clockMs],
          receivedAt: [record.receivedAt],
          readings: [record.reading],
        }
      else {
        sec.clockMs = clockMs
        sec.n = 1
        sec.t[0] = clockMs
        sec.receivedAt[0] = record.receivedAt
        sec.readings[0] = record.reading
      }
      return clockMs
    }
    let json: string | undefined
    for (let k = 0; k < sec.n; k++) {
      if (sec.receivedAt[k] !== record.receivedAt) continue
      const r = sec.readings[k]!
      if (
        r === null ||
        r === record.reading ||
        JSON.stringify(r) === (json ??= JSON.stringify(record.reading))
      )
        return sec.t[k]!
    }
    const t = sec.t[sec.n - 1]! + 1
    // A thousand frames in one second cannot come from a meter: keep the last key (a duplicate).
    if (t >= clockMs + 1000) return t - 1
    sec.t[sec.n] = t
    sec.receivedAt[sec.n] = record.receivedAt
    sec.readings[sec.n] = record.reading
    sec.n++
    return t
  }
  /** The registers of the frame being written (see registersInto). */
  const regs: (string | number)[] = []
  /** The meter clock (epoch ms) of the frame `keyTime` keyed last; null without one. */
  let keyClockMs: number | null = null

  /**
   * Writes the records of one lane (meters no other lane of the batch has) in one transaction;
   * also returns the hour before which 1-minute rows may be folded (see `foldCut`).
   */
  async function writeLane(
    records: readonly StoreRecord[],
    foldHere: boolean,
  ): Promise<BatchResult & { fold: number; late: number }> {
    return engine
      .transaction(async (tx) => {
        // Working copies: committed to `meters` only after the transaction succeeds.
        const work = new Map<string, MeterState>()
        const samples: RowOf<'sample_rows'>[] = []
        /** The meter of each sample. */
        const owners: MeterState[] = []
        const registers: RowOf<'register_rows'>[] = []
        const events: RowOf<'events'>[] = []
        const energy: EnergyAgg[] = []
        const latest = new Map<string, { first: number; last: number; reading: TicReading }>()
        // Contract rows this batch opens, in order, written by one statement per 1,000 after the
        // frames (a server's first batch opens one per meter); `openedBy`: each meter's latest.
        const opened: OpenedContract[] = []
        const openedBy = new Map<string, OpenedContract>()
        let unstorable = 0
        let duplicates = 0
        // Pass 1: sample rows (first of each (meter, time) in the batch), inserted first so that the
        // rest follows only from frames that are new: a replay or redelivery adds no row at all.
        const n = records.length
        const ids: (string | null)[] = new Array<string | null>(n)
        const times = new Float64Array(n)
        const rowOf = new Int32Array(n)
        const unknown = new Set<string>()
        for (let i = 0; i < n; i++) {
          const id = records[i]!.reading.meter.id
          if (id !== null && !meters.has(id)) unknown.add(id)
        }
        const loaded = unknown.size === 0 ? null : await loadAll(tx, [...unknown])
        for (let i = 0; i < n; i++) {
          const record = records[i]!
          const id = record.reading.meter.id
          ids[i] = id
          if (id === null) {
            unstorable++
            rowOf[i] = -1
            continue
          }
          let st = work.get(id)
          if (st === undefined) {
            const base = meters.get(id) ?? loaded!.get(id)!
            st = {
              ...base,
              prev: base.prev === null ? null : { ...base.prev },
              registers: new Map(base.registers),
              energy: new Map(),
              second: copySecond(base.second),
              counter: copyEnergyCounter(base.counter),
              batchLast: -Infinity,
              batchKeys: null,
              batchCount: 0,
            }
            work.set(id, st)
          }
          const t = keyTime(st, record)
          times[i] = t
          // A key later than the meter's previous one in the batch is new to it (the usual case);
          // else the keys seen so far are looked up.
          let again = false
          if (t > st.batchLast) st.batchLast = t
          else {
            if (st.batchKeys === null) {
              st.batchKeys = new Set()
              for (let k = 0; k < samples.length; k++)
                if (owners[k] === st) st.batchKeys.add(samples[k]!.t!)
            }
            again = st.batchKeys.has(t)
          }
          if (again) {
            duplicates++
            rowOf[i] = -1
          } else {
            st.batchKeys?.add(t)
            rowOf[i] = samples.length
            samples.push(sampleRow(st.num, t, keyClockMs, record))
            owners.push(st)
            st.batchCount++
          }
        }
        const placement = await placeSamples(tx, samples, owners)
        const inserted = placement.inserted
        // Pass 2: registers, events, contracts and meters, in arrival order.
        for (let i = 0; i < n; i++) {
          const id = ids[i]!
          if (id === null) continue
          const t = times[i]!
          const row = rowOf[i]!
          const isNew = row >= 0 && inserted[row] === true
          const r = records[i]!.reading
          const st = work.get(id)!
          // Previous reading: this run's, else the stored one if older (a replay of old frames finds none).
          const prev = st.prev ?? (st.stored !== null && st.stored.t < t ? st.stored : null)
          if (restartEvents && isNew && !st.resumed && st.stored !== null && st.stored.t < t) {
            st.resumed = true
            events.push({
              meter: id,
              t,
              kind: 'restart',
              detail: JSON.stringify({ from: st.stored.t, ms: t - st.stored.t }),
            })
          }
          if (prev !== null && isNew) {
            const found = eventsBetween(prev.reading, prev.t, r, t, gapMs)
            for (let k = 0; k < found.length; k++)
              events.push({
                meter: id,
                t,
                kind: found[k]!.kind,
                detail: JSON.stringify(found[k]!.detail),
              })
          }
          if (st.prev === null) st.prev = { t, reading: r }
          else {
            st.prev.t = t
            st.prev.reading = r
          }
          const nr = registersInto(r, regs)
          // The block of a new sample in block mode takes its register changes (see placeSamples).
          const block = isNew ? placement.blockOf?.[row] : undefined
          let resets: { register: string; from: number; to: number; fromT: number }[] | null = null
          for (let k = 0; k < nr; k += 2) {
            const name = regs[k] as string
            const value = regs[k + 1] as number
            if (st.registers.get(name) === value) continue
            st.registers.set(name, value)
            if (!isNew) continue
            const reg = registerNum(name)
            if (block === undefined) registers.push({ m: st.num, reg, t, value })
            else (block.regs ??= []).push([reg, t - block.hour, value])
            if (!isEnergyRegister(name)) continue
            countValue(st.counter, name, t, value, counted)
            if (counted.resetFrom >= 0)
              (resets ??= []).push({
                register: name,
                from: counted.resetFrom,
                to: value,
                fromT: counted.resetFromT,
              })
            const wh = counted.wh
            // Consecutive changes of a register mostly fall in the same buckets: no key to build then.
            let aggs = st.energy.get(name)
            if (aggs === undefined) {
              aggs = []
              st.energy.set(name, aggs)
            }
            for (let ri = 0; ri < resolutions; ri++) {
              const res = ROLLUP_RESOLUTIONS[ri]!
              const bucket = bucketOf(res, t)
              const e = aggs[ri]
              if (e !== undefined && e.bucket === bucket) {
                if (value < e.min_wh) e.min_wh = value
                if (value > e.max_wh) e.max_wh = value
                e.energy_wh += wh
              } else {
                const fresh: EnergyAgg = {
                  m: st.num,
                  res: RES_MINUTES[res],
                  reg,
                  bucket,
                  min_wh: value,
                  max_wh: value,
                  energy_wh: wh,
                }
                aggs[ri] = fresh
                energy.push(fresh)
              }
            }
          }
          // An index went down: counting goes on from the new value (docs/storage.md, "Events").
          if (resets !== null)
            events.push({
              meter: id,
              t,
              kind: 'register-reset',
              detail: JSON.stringify({ registers: resets }),
            })
          const terms =
            st.contract !== null && !r.short && hasContract(r, st.contract) ? null : contractOf(r)
          if (terms !== null) {
            const c = st.contract
            const open = (): void => {
              const row = { meter: id, validFrom: t, validTo: null, terms }
              opened.push(row)
              openedBy.set(id, row)
              st.contract = { ...terms, validFrom: t }
            }
            if (c === null) open()
            else if (!sameContract(c, terms) && t > c.validFrom) {
              // A contract opened by this batch is closed before it is written; a stored one now.
              const o = openedBy.get(id)
              if (o !== undefined && o.validFrom === c.validFrom) o.validTo = t
              else
                await tx.query(
                  'update contracts set valid_to = ? where meter = ? and valid_from = ?',
                  [t, id, c.validFrom],
                )
              open()
              events.push({
                meter: id,
                t,
                kind: 'contract-change',
                detail: JSON.stringify({ from: c, to: terms }),
              })
            }
          }
          const l = latest.get(id)
          if (l === undefined) latest.set(id, { first: t, last: t, reading: r })
          else {
            l.first = Math.min(l.first, t)
            if (t >= l.last) {
              l.last = t
              l.reading = r
            }
          }
        }

        let stored = 0
        const power = new Map<string, PowerRow>()
        const lastAgg: (PowerRow | undefined)[] = []
        for (let i = 0; i < samples.length; i++) {
          if (inserted[i] !== true) {
            duplicates++
            continue
          }
          stored++
          addPower(power, lastAgg, samples[i]!, resolutions)
        }
        // PostgreSQL's register_rows has no unique key (migration 2026_12_04_000400): its rows are
        // new by construction (registers of samples this transaction inserted), even when retried.
        await writeBlocks(tx, placement, samples)
        await tx.insertNew(
          'register_rows',
          registers,
          packMinutes ? '' : 'on conflict (m, reg, t) do nothing',
        )
        await insertContracts(tx, opened)
        await tx.upsert('events', events, 'on conflict (meter, t, kind) do nothing')
        const powerRows = [...power.values()].sort(
          (a, b) => a.m - b.m || a.res - b.res || a.bucket - b.bucket,
        )
        const energyRows = mergeEnergy(energy)
        // PostgreSQL writes only 1-minute rows (`resolutions` 1), into the hot tables.
        if (packMinutes) {
          await tx.upsert('power_hot_rows', powerRows, hotPowerConflict)
          await tx.upsert('energy_hot_rows', energyRows, hotEnergyConflict)
        } else {
          await tx.upsert('power_rows', powerRows, powerConflict)
          await tx.upsert('energy_rows', energyRows, energyConflict)
        }
        const fold = packMinutes ? foldCut(powerRows) : -Infinity
        const late = packMinutes ? lateMinutes(powerRows, foldedBefore) : 0
        // One lane: the fold step in the same transaction (one commit per batch, as an import has).
        const folded = foldHere && packMinutes ? await foldStep(tx, fold, late) : null
        const meterRows: RowOf<'meters'>[] = []
        for (const [id, l] of latest) {
          const m = l.reading.meter
          // The full reading when it is due (see `latestEveryMs`); else only the narrow columns,
          // and the conflict clause keeps the stored reading.
          const st = work.get(id)!
          const due =
            st.saved === null ||
            (l.last >= st.savedAt &&
              (l.last - st.savedAt >= latestEveryMs || !sameEventState(st.saved, l.reading)))
          if (due) {
            st.saved = l.reading
            st.savedAt = l.last
          }
          meterRows.push({
            id,
            prm: m.prm,
            kind: m.kind,
            manufacturer: m.ads?.manufacturer ?? null,
            mode: m.mode,
            phases: m.phases,
            producer: m.producer ? 1 : 0,
            first_seen: l.first,
            last_seen: l.last,
            last_reading: due ? JSON.stringify(l.reading) : '',
            last_reading_at: due ? l.last : null,
            last_registers: JSON.stringify(energyRegistersOf(l.reading)),
          })
        }
        meterRows.sort((a, b) => (a.id! < b.id! ? -1 : 1))
        await tx.upsert('meters', meterRows, meterConflict)
        return {
          stored,
          duplicates,
          unstorable,
          fold,
          late,
          commit: () => {
            work.forEach((st, id) => meters.set(id, st))
            if (packMinutes) hotRowsWritten += powerRows.length + energyRows.length
            lateHotRows += late
            folded?.()
          },
        }
      })
      .then(({ commit, ...result }) => {
        commit()
        return result
      })
  }

  /**
   * The hourly fold, spread over batches: once the data is an hour past an hour, each batch folds
   * the minutes of the next range of meter numbers, sized to take about `foldStepMs`, in a
   * transaction of the batch when it has one lane, else of its own after the lanes'. With thousands of meters an hour's fold takes
   * seconds; spread, no batch waits more than about `foldStepMs` for it. Should a step fail, the
   * next batch runs it again (its rows stay in the hot tables, which the readers add).
   */
  async function foldStep(tx: WriteTx, cut: number, late: number): Promise<(() => void) | null> {
    let r = round
    const starts = r === null
    if (r === null) {
      // A round once the data is an hour past the last one, or once late minutes piled up (they
      // would otherwise wait for the next hour of newer data, which an import may never bring).
      if (cut <= foldedBefore && lateHotRows + late < LATE_FOLD_ROWS) return null
      cut = Math.max(cut, foldedBefore)
      const [last] = await tx.query<{ n: number }>(
        'select coalesce(max(num), 0) as n from meter_nums',
        [],
      )
      r = { cut, next: 0, last: Number(last!.n) }
      // Each round starts small: a pace learnt on an empty fold would size one range for all.
      foldChunk = FOLD_CHUNK_MIN
    }
    const step = r
    const from = step.next
    const to = from + foldChunk
    const t0 = performance.now()
    await foldMinutes(tx, step.cut, from, to, powerConflict, energyConflict)
    const ms = performance.now() - t0
    // Applied once the transaction commits.
    return () => {
      // The round folds every late minute written so far (this batch's included: same transaction,
      // or committed before the round's own transaction).
      if (starts) lateHotRows = 0
      // The next range: as many meters as this one's pace folds in `foldStepMs`, at most twice as
      // many (a range of meters with few minutes is no measure of the next).
      foldChunk = Math.min(
        2 * foldChunk,
        Math.max(FOLD_CHUNK_MIN, Math.round((foldChunk * foldStepMs) / Math.max(1, ms))),
      )
      step.next = to
      round = to > step.last ? null : step
      if (round === null) {
        foldedBefore = step.cut
        foldedSinceVacuum = true
      }
    }
  }

  async function write(records: readonly StoreRecord[]): Promise<BatchResult> {
    const parts = lanes > 1 ? splitByMeter(records, lanes) : [records]
    // Every lane settles before anything is thrown: no transaction is left running. A lane that
    // committed keeps its rows and state; the batch written again finds them stored (duplicates).
    const settled = await Promise.allSettled(parts.map((p) => writeLane(p, parts.length === 1)))
    let stored = 0
    let duplicates = 0
    let unstorable = 0
    let fold = -Infinity
    for (const r of settled) {
      if (r.status === 'rejected') throw r.reason
      stored += r.value.stored
      duplicates += r.value.duplicates
      unstorable += r.value.unstorable
      if (r.value.fold > fold) fold = r.value.fold
    }
    if (packMinutes && parts.length > 1) {
      // The lanes' late minutes are counted already (their transactions committed).
      const folded = await engine.transaction((tx) => foldStep(tx, fold, 0))
      folded?.()
    }
    vacuumHotTables()
    return { stored, duplicates, unstorable }
  }

  return { write }
}

const HOUR_MS = 3_600_000

/** A contract row opened by a batch (`validTo` set when the same batch closes it). */
interface OpenedContract {
  readonly meter: string
  readonly validFrom: number
  validTo: number | null
  readonly terms: ContractTerms
}

/**
 * Inserts contract rows in bulk, in key order (PostgreSQL: one `unnest` statement sent without
 * waiting for it; a server's first batch opens one per meter, and 1,000-row statements of 8 text
 * parameters each took 96-143 ms of a 5,000-meter batch's 730).
 */
async function insertContracts(tx: WriteTx, rows: readonly OpenedContract[]): Promise<void> {
  if (rows.length === 0) return
  const out = rows.map((r): RowOf<'contracts'> => ({
    meter: r.meter,
    valid_from: r.validFrom,
    valid_to: r.validTo,
    option: r.terms.option,
    option_label: r.terms.optionLabel,
    subscribed_va: r.terms.subscribedVA,
    cutoff_va: r.terms.cutoffVA,
    hhphc: r.terms.hhphc,
  }))
  out.sort((a, b) =>
    a.meter! < b.meter! ? -1 : a.meter! > b.meter! ? 1 : a.valid_from! - b.valid_from!,
  )
  await tx.upsert('contracts', out, 'on conflict (meter, valid_from) do nothing')
}
/** Fewest meter numbers per fold step, and the first step of each round. */
const FOLD_CHUNK_MIN = 100

/**
 * Late 1-minute rows a writer lets pile up in the hot tables (buckets before what it folded) before
 * it folds them without waiting for newer data: a few late frames wait for the next hour's round,
 * an import of an older history (thousands of minutes a batch) is folded as it goes.
 */
const LATE_FOLD_ROWS = 1000

/** The batch's 1-minute power rows of buckets before `foldedBefore` (late for the fold). */
function lateMinutes(
  powerRows: readonly { readonly res: number; readonly bucket: number }[],
  foldedBefore: number,
): number {
  let n = 0
  for (const r of powerRows) if (r.res === 1 && r.bucket < foldedBefore) n++
  return n
}

/** The hour start before which 1-minute rows are folded: the hour before the batch's latest minute. */
function foldCut(powerRows: readonly { readonly res: number; readonly bucket: number }[]): number {
  let latest = -Infinity
  for (const r of powerRows) if (r.res === 1 && r.bucket > latest) latest = r.bucket
  return latest === -Infinity ? -Infinity : Math.floor(latest / HOUR_MS) * HOUR_MS - HOUR_MS
}

/**
 * PostgreSQL: moves the 1-minute rows of buckets before `before` (an hour start, epoch ms) of the
 * meters numbered [`fromNum`, `toNum`) from
 * the hot tables (`power_hot_rows`, `energy_hot_rows`) into their packed rows (`power_minutes`, `energy_minutes`), merged with what an earlier fold put
 * there, and adds them to their 1-hour and 1-day rows (`powerConflict`, `energyConflict`: the
 * upserts' `on conflict` clauses).
 */
async function foldMinutes(
  tx: WriteTx,
  before: number,
  fromNum: number,
  toNum: number,
  powerConflict: string,
  energyConflict: string,
): Promise<void> {
  // The moved rows (a CTE) have no index: joined to the 60-minute grid by a nested loop, a fold
  // of many rows costs seconds (a hash join costs milliseconds); and the cost that forbidding it
  // gives the plan would make PostgreSQL compile it (JIT, ~1 s each time). A merge join keys on
  // (meter, register, hour) only and filters the minute: 60 × 60 comparisons per meter-hour
  // (2,000 meters' hour: 5.3-7.5 s against 2.4-2.5 s hashed on the whole key, EXPLAIN ANALYZE).
  await tx.query('set local enable_nestloop = off', [])
  await tx.query('set local enable_mergejoin = off', [])
  await tx.query('set local jit = off', [])
  const meters = ' and m >= ? and m < ?'
  await tx.query(foldPowerMinutesSql('move', '?', powerConflict, 'hot', meters), [
    before,
    fromNum,
    toNum,
  ])
  await tx.query(foldEnergyMinutesSql('move', '?', energyConflict, 'hot', meters), [
    before,
    fromNum,
    toNum,
  ])
  await tx.query('reset enable_nestloop', [])
  await tx.query('reset enable_mergejoin', [])
  await tx.query('reset jit', [])
}
