import { bucketOf, ROLLUP_RESOLUTIONS } from './buckets.js'
import type { BulkRow, Engine, WriteTx } from './engine.js'
import { copyEnergyCounter, countValue, createEnergyCounter } from './energy-counter.js'
import type { CountStep, EnergyCounter } from './energy-counter.js'
import { contractOf, eventsBetween, hasContract, isEnergyRegister, registersOf, sameContract, sampleRow, sampleTime } from './rows.js'
import type { ContractTerms, StoreRecord } from './rows.js'
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

/** [meter, res, register, bucket, min_wh, max_wh, energy_wh]: an energy rollup row being built. */
type EnergyAgg = [string, string, string, number, number, number, number]

/** Merges aggregates of the same key (a register going back to an earlier bucket), for one upsert. */
function mergeEnergy(aggs: readonly EnergyAgg[]): EnergyAgg[] {
  const byKey = new Map<string, EnergyAgg>()
  for (const a of aggs) {
    const k = `${a[0]}\u0000${a[1]}\u0000${a[2]}\u0000${String(a[3])}`
    const e = byKey.get(k)
    if (e === undefined) byKey.set(k, [...a])
    else {
      e[4] = Math.min(e[4], a[4])
      e[5] = Math.max(e[5], a[5])
      e[6] += a[6]
    }
  }
  return [...byKey.values()]
}

interface MeterState {
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

/** Meters loaded per statement (SQLite allows 32,766 parameters; three per meter for samples). */
const LOAD_CHUNK = 500

const copySecond = (s: SecondKeys | null): SecondKeys | null =>
  s === null ? null : { clockMs: s.clockMs, n: s.n, t: s.t.slice(0, s.n), receivedAt: s.receivedAt.slice(0, s.n), readings: s.readings.slice(0, s.n) }

interface StoredMeterRow {
  first_seen: number
  last_seen: number
  last_reading: string
}

interface ContractRow {
  valid_from: number
  option: string | null
  option_label: string | null
  subscribed_va: number | null
  cutoff_va: number | null
  hhphc: string | null
}

interface PowerAgg {
  meter: string
  res: string
  bucket: number
  n: number
  vaN: number
  vaSum: number | null
  vaMin: number | null
  vaMax: number | null
  vapN: number
  va1: number | null
  va2: number | null
  va3: number | null
  injN: number
  inj: number | null
  uN: number
  u1: number | null
  u2: number | null
  u3: number | null
  uMin: number | null
  uMax: number | null
}

const add = (a: number | null, b: number | null): number | null => (b === null ? a : (a ?? 0) + b)
const lo = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b))
const hi = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))

/** Creates the batch writer over an engine. */
export function createIngest(engine: Engine, options: IngestOptions = {}): Ingest {
  const counted: CountStep = { wh: 0, resetFrom: -1, resetFromT: 0 }
  const gapMs = options.gapMs ?? 60_000
  const restartEvents = options.restartEvents ?? false
  const meters = new Map<string, MeterState>()
  const L = engine.least.bind(engine)
  const G = engine.greatest.bind(engine)
  const sumSql = (c: string): string =>
    `${c} = case when power_rollups.${c} is null and excluded.${c} is null then null else coalesce(power_rollups.${c}, 0) + coalesce(excluded.${c}, 0) end`
  const powerConflict =
    'on conflict (meter, res, bucket) do update set ' +
    [
      ...['n', 'va_n', 'vap_n', 'inj_n', 'u_n'].map((c) => `${c} = power_rollups.${c} + excluded.${c}`),
      ...['va_sum', 'va1_sum', 'va2_sum', 'va3_sum', 'inj_sum', 'u1_sum', 'u2_sum', 'u3_sum'].map(sumSql),
      `va_min = ${L('power_rollups.va_min', 'excluded.va_min')}`,
      `va_max = ${G('power_rollups.va_max', 'excluded.va_max')}`,
      `u_min = ${L('power_rollups.u_min', 'excluded.u_min')}`,
      `u_max = ${G('power_rollups.u_max', 'excluded.u_max')}`,
    ].join(', ')
  const energyConflict =
    'on conflict (meter, res, register, bucket) do update set ' +
    `min_wh = ${L('energy_rollups.min_wh', 'excluded.min_wh')}, max_wh = ${G('energy_rollups.max_wh', 'excluded.max_wh')}, ` +
    'energy_wh = energy_rollups.energy_wh + excluded.energy_wh'
  // One row per meter of the batch; the newer reading wins (an import of older data keeps the newer one).
  const meterConflict =
    'on conflict (id) do update set ' +
    [
      'prm = case when excluded.last_seen >= meters.last_seen then coalesce(excluded.prm, meters.prm) else meters.prm end',
      'kind = case when excluded.last_seen >= meters.last_seen then excluded.kind else meters.kind end',
      'manufacturer = case when excluded.last_seen >= meters.last_seen then excluded.manufacturer else meters.manufacturer end',
      'mode = case when excluded.last_seen >= meters.last_seen then excluded.mode else meters.mode end',
      'phases = case when excluded.last_seen >= meters.last_seen then coalesce(excluded.phases, meters.phases) else meters.phases end',
      'producer = case when excluded.last_seen >= meters.last_seen then excluded.producer else meters.producer end',
      'last_reading = case when excluded.last_seen >= meters.last_seen then excluded.last_reading else meters.last_reading end',
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
    for (const id of ids) {
      out.set(id, { prev: null, stored: null, contract: null, registers: new Map(), energy: new Map(), second: null, counter: createEnergyCounter(), resumed: false })
    }
    for (let k = 0; k < ids.length; k += LOAD_CHUNK) {
      const chunk = ids.slice(k, k + LOAD_CHUNK)
      const list = chunk.map(() => '?').join(', ')
      const stored = await tx.query<StoredMeterRow & { id: string }>(`select id, first_seen, last_seen, last_reading from meters where id in (${list})`, chunk)
      for (const m of stored) {
        const st = out.get(m.id)!
        const reading = JSON.parse(m.last_reading) as TicReading
        st.stored = { t: Number(m.last_seen), reading }
        // Counting resumes from the latest stored values: the energy used while not recording counts.
        const regs = registersOf(reading)
        const energyRegs: (string | number)[] = []
        for (let k = 0; k < regs.length; k += 2) if (isEnergyRegister(regs[k] as string)) energyRegs.push(regs[k]!, regs[k + 1]!)
        st.counter = createEnergyCounter(Number(m.first_seen), Number(m.last_seen), energyRegs)
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
      const ranges = stored.map((m) => [m.id, Math.floor(Number(m.last_seen) / 1000) * 1000] as const)
      const rows = await tx.query<{ meter: string; t: number; received_at: number; clock_ms: number | null }>(
        `select meter, t, received_at, clock_ms from samples where ${ranges.map(() => '(meter = ? and t >= ? and t < ?)').join(' or ')} order by meter, t`,
        ranges.flatMap(([id, s]) => [id, s, s + 1000]),
      )
      for (const r of rows) {
        const clockMs = Math.floor(Number(r.t) / 1000) * 1000
        if (r.clock_ms === null || Number(r.clock_ms) !== clockMs) continue
        const st = out.get(r.meter)!
        if (st.second === null) st.second = { clockMs, n: 0, t: [], receivedAt: [], readings: [] }
        st.second.t.push(Number(r.t))
        st.second.receivedAt.push(Number(r.received_at))
        st.second.readings.push(null)
        st.second.n++
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
  function keyTime(st: MeterState, record: StoreRecord): { t: number; clockMs: number | null } {
    const key = sampleTime(record)
    const clockMs = key.clockMs
    if (clockMs === null) return key
    const sec = st.second
    if (sec === null || sec.clockMs !== clockMs) {
      if (sec === null) st.second = { clockMs, n: 1, t: [clockMs], receivedAt: [record.receivedAt], readings: [record.reading] }
      else {
        sec.clockMs = clockMs
        sec.n = 1
        sec.t[0] = clockMs
        sec.receivedAt[0] = record.receivedAt
        sec.readings[0] = record.reading
      }
      return key
    }
    let json: string | undefined
    for (let k = 0; k < sec.n; k++) {
      if (sec.receivedAt[k] !== record.receivedAt) continue
      const r = sec.readings[k]!
      if (r === null || r === record.reading || JSON.stringify(r) === (json ??= JSON.stringify(record.reading))) return { t: sec.t[k]!, clockMs }
    }
    const t = sec.t[sec.n - 1]! + 1
    // A thousand frames in one second cannot come from a meter: keep the last key (a duplicate).
    if (t >= clockMs + 1000) return { t: t - 1, clockMs }
    sec.t[sec.n] = t
    sec.receivedAt[sec.n] = record.receivedAt
    sec.readings[sec.n] = record.reading
    sec.n++
    return { t, clockMs }
  }

  async function write(records: readonly StoreRecord[]): Promise<BatchResult> {
    return engine.transaction(async (tx) => {
      // Working copies: committed to `meters` only after the transaction succeeds.
      const work = new Map<string, MeterState>()
      const samples: BulkRow[] = []
      const registers: BulkRow[] = []
      const events: BulkRow[] = []
      const energy: EnergyAgg[] = []
      const latest = new Map<string, { first: number; last: number; reading: TicReading }>()
      let unstorable = 0
      let duplicates = 0
      // Pass 1: sample rows (first of each (meter, time) in the batch), inserted first so that the
      // rest follows only from frames that are new: a replay or redelivery adds no row at all.
      const n = records.length
      const ids: (string | null)[] = new Array<string | null>(n)
      const times = new Float64Array(n)
      const rowOf = new Int32Array(n)
      const seen = new Map<string, Set<number>>()
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
          }
          work.set(id, st)
        }
        const { t, clockMs } = keyTime(st, record)
        times[i] = t
        let ts = seen.get(id)
        if (ts === undefined) {
          ts = new Set()
          seen.set(id, ts)
        }
        if (ts.has(t)) {
          duplicates++
          rowOf[i] = -1
        } else {
          ts.add(t)
          rowOf[i] = samples.length
          samples.push(sampleRow(id, t, clockMs, record))
        }
      }
      const inserted = await tx.insert('samples', samples, 'on conflict (meter, t) do nothing')
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
          events.push([id, t, 'restart', JSON.stringify({ from: st.stored.t, ms: t - st.stored.t })])
        }
        if (prev !== null && isNew) {
          const found = eventsBetween(prev.reading, prev.t, r, t, gapMs)
          for (let k = 0; k < found.length; k++) events.push([id, t, found[k]!.kind, JSON.stringify(found[k]!.detail)])
        }
        if (st.prev === null) st.prev = { t, reading: r }
        else {
          st.prev.t = t
          st.prev.reading = r
        }
        const regs = registersOf(r)
        let resets: { register: string; from: number; to: number; fromT: number }[] | null = null
        for (let k = 0; k < regs.length; k += 2) {
          const name = regs[k] as string
          const value = regs[k + 1] as number
          if (st.registers.get(name) === value) continue
          st.registers.set(name, value)
          if (!isNew) continue
          registers.push([id, name, t, value])
          if (!isEnergyRegister(name)) continue
          countValue(st.counter, name, t, value, counted)
          if (counted.resetFrom >= 0) (resets ??= []).push({ register: name, from: counted.resetFrom, to: value, fromT: counted.resetFromT })
          const wh = counted.wh
          // Consecutive changes of a register mostly fall in the same buckets: no key to build then.
          let aggs = st.energy.get(name)
          if (aggs === undefined) {
            aggs = []
            st.energy.set(name, aggs)
          }
          for (let ri = 0; ri < ROLLUP_RESOLUTIONS.length; ri++) {
            const res = ROLLUP_RESOLUTIONS[ri]!
            const bucket = bucketOf(res, t)
            const e = aggs[ri]
            if (e !== undefined && e[3] === bucket) {
              if (value < e[4]) e[4] = value
              if (value > e[5]) e[5] = value
              e[6] += wh
            } else {
              const fresh: EnergyAgg = [id, res, name, bucket, value, value, wh]
              aggs[ri] = fresh
              energy.push(fresh)
            }
          }
        }
        // An index went down: counting goes on from the new value (docs/storage.md, "Events").
        if (resets !== null) events.push([id, t, 'register-reset', JSON.stringify({ registers: resets })])
        const terms = st.contract !== null && !r.short && hasContract(r, st.contract) ? null : contractOf(r)
        if (terms !== null) {
          const c = st.contract
          if (c === null) {
            await tx.query(
              'insert into contracts (meter, valid_from, valid_to, option, option_label, subscribed_va, cutoff_va, hhphc) values (?, ?, null, ?, ?, ?, ?, ?) on conflict (meter, valid_from) do nothing',
              [id, t, terms.option, terms.optionLabel, terms.subscribedVA, terms.cutoffVA, terms.hhphc],
            )
            st.contract = { ...terms, validFrom: t }
          } else if (!sameContract(c, terms) && t > c.validFrom) {
            await tx.query('update contracts set valid_to = ? where meter = ? and valid_from = ?', [t, id, c.validFrom])
            await tx.query(
              'insert into contracts (meter, valid_from, valid_to, option, option_label, subscribed_va, cutoff_va, hhphc) values (?, ?, null, ?, ?, ?, ?, ?) on conflict (meter, valid_from) do nothing',
              [id, t, terms.option, terms.optionLabel, terms.subscribedVA, terms.cutoffVA, terms.hhphc],
            )
            events.push([id, t, 'contract-change', JSON.stringify({ from: c, to: terms })])
            st.contract = { ...terms, validFrom: t }
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
      const power = new Map<string, PowerAgg>()
      const lastAgg: (PowerAgg | undefined)[] = []
      for (let i = 0; i < samples.length; i++) {
        if (inserted[i] !== true) {
          duplicates++
          continue
        }
        stored++
        const s = samples[i] as readonly (number | string | null)[]
        const meter = s[0] as string
        const t = s[1] as number
        const va = s[4] as number | null
        const va1 = s[5] as number | null
        const inj = s[8] as number | null
        const u1 = s[12] as number | null
        const u2 = s[13] as number | null
        const u3 = s[14] as number | null
        const uLo = lo(lo(u1, u2), u3)
        const uHi = hi(hi(u1, u2), u3)
        for (let ri = 0; ri < ROLLUP_RESOLUTIONS.length; ri++) {
          const res = ROLLUP_RESOLUTIONS[ri]!
          const bucket = bucketOf(res, t)
          // Consecutive samples mostly fall in the same bucket: skip the map lookup then.
          let a = lastAgg[ri]
          if (a === undefined || a.bucket !== bucket || a.meter !== meter) {
            const k = `${meter}\u0000${res}\u0000${String(bucket)}`
            a = power.get(k)
            lastAgg[ri] = a
          }
          if (a === undefined) {
            a = { meter, res, bucket, n: 0, vaN: 0, vaSum: null, vaMin: null, vaMax: null, vapN: 0, va1: null, va2: null, va3: null, injN: 0, inj: null, uN: 0, u1: null, u2: null, u3: null, uMin: null, uMax: null }
            power.set(`${meter}\u0000${res}\u0000${String(bucket)}`, a)
            lastAgg[ri] = a
          }
          a.n++
          if (va !== null) {
            a.vaN++
            a.vaSum = (a.vaSum ?? 0) + va
            a.vaMin = lo(a.vaMin, va)
            a.vaMax = hi(a.vaMax, va)
          }
          if (va1 !== null) {
            a.vapN++
            a.va1 = add(a.va1, va1)
            a.va2 = add(a.va2, s[6] as number | null)
            a.va3 = add(a.va3, s[7] as number | null)
          }
          if (inj !== null) {
            a.injN++
            a.inj = (a.inj ?? 0) + inj
          }
          if (u1 !== null) {
            a.uN++
            a.u1 = add(a.u1, u1)
            a.u2 = add(a.u2, u2)
            a.u3 = add(a.u3, u3)
            a.uMin = lo(a.uMin, uLo)
            a.uMax = hi(a.uMax, uHi)
          }
        }
      }
      await tx.insertNew('registers', registers, 'on conflict (meter, register, t) do nothing')
      await tx.insert('events', events, 'on conflict (meter, t, kind) do nothing')
      await tx.insert(
        'power_rollups',
        [...power.values()].map((a) => [a.meter, a.res, a.bucket, a.n, a.vaN, a.vaSum, a.vaMin, a.vaMax, a.vapN, a.va1, a.va2, a.va3, a.injN, a.inj, a.uN, a.u1, a.u2, a.u3, a.uMin, a.uMax]),
        powerConflict,
      )
      await tx.insert('energy_rollups', mergeEnergy(energy), energyConflict)
      const meterRows: BulkRow[] = []
      for (const [id, l] of latest) {
        const m = l.reading.meter
        meterRows.push([id, m.prm, m.kind, m.ads?.manufacturer ?? null, m.mode, m.phases, m.producer ? 1 : 0, l.first, l.last, JSON.stringify(l.reading)])
      }
      await tx.insert('meters', meterRows, meterConflict)
      return { stored, duplicates, unstorable, commit: () => work.forEach((st, id) => meters.set(id, st)) }
    }).then(({ commit, ...result }) => {
      commit()
      return result
    })
  }

  return { write }
}
