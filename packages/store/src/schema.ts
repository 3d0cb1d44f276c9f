/**
 * The one storage schema, as Kysely table types, shared by PostgreSQL and SQLite. Times are epoch
 * milliseconds (UTC instants) in `bigint` columns; powers in VA, currents in A, voltages in V,
 * energies in Wh. Booleans are integers 0/1 on both engines. See docs/storage.md.
 */
/** `meters`: one row per meter (ADS), with the latest reading for `HistoryStore.latest`. */
export interface MetersTable {
  /** ADS: ADCO (historique) or ADSC (standard), 12 characters. */
  readonly id: string
  readonly prm: string | null
  /** Meter kind from the ADS (`linky`, `cbemm`, …). */
  readonly kind: string
  readonly manufacturer: string | null
  /** TIC mode of the latest frame: `historique` or `standard`. */
  readonly mode: string
  readonly phases: number | null
  /** 1 when the installation injects, else 0. */
  readonly producer: number
  readonly first_seen: number
  readonly last_seen: number
  /**
   * JSON of the latest `TicReading` stored in full, the one at `last_reading_at`: rewritten at most
   * once a minute of data time, and whenever an event-relevant part of the reading changes (see
   * docs/storage.md, "Meters"). Empty only in a row that was never written in full (none is).
   */
  readonly last_reading: string
  /** Time of `last_reading` (epoch ms); null: `last_seen` (rows written before 2026_12_05_000100). */
  readonly last_reading_at: number | null
  /** JSON `[register, Wh, …]` of the energy registers at `last_seen`; null: those of `last_reading`. */
  readonly last_registers: string | null
}

/** `contracts`: one row per contract period; a change closes the row and opens a new one. */
export interface ContractsTable {
  readonly meter: string
  readonly valid_from: number
  /** Null while the contract is current. */
  readonly valid_to: number | null
  readonly option: string | null
  /** OPTARIF as sent (historique) or NGTF, the supplier calendar name (standard). */
  readonly option_label: string | null
  readonly subscribed_va: number | null
  readonly cutoff_va: number | null
  readonly hhphc: string | null
}

/** `samples`: one row per stored frame, keyed by (meter, t). Kept `retentionDays`. */
export interface SamplesTable {
  readonly meter: string
  /** The sample's time: the meter clock (DATE) when it has one, else the receive time. */
  readonly t: number
  readonly received_at: number
  /** The meter clock (DATE) as an instant, null when the meter has none (historique). */
  readonly clock_ms: number | null
  /** Apparent power withdrawn, total and per phase (VA). */
  readonly va: number | null
  readonly va1: number | null
  readonly va2: number | null
  readonly va3: number | null
  /** Apparent power injected (VA). */
  readonly injected_va: number | null
  /** RMS current per phase (A). */
  readonly i1: number | null
  readonly i2: number | null
  readonly i3: number | null
  /** RMS voltage per phase (V). */
  readonly u1: number | null
  readonly u2: number | null
  readonly u3: number | null
  /** Supplier index counting now (1-10) and its period code (`hp`, `hc`, …). */
  readonly period_index: number | null
  readonly period_code: string | null
  /** Total import / export indexes (Wh). */
  readonly import_wh: number | null
  readonly export_wh: number | null
  /** 1 for a three-phase historique short frame. */
  readonly short: number
}

/** `registers`: every index register, one row each time its value changes. Kept `retentionDays`. */
export interface RegistersTable {
  readonly meter: string
  /** `s01`…`s10` supplier, `d1`…`d4` distributor, `import`, `export`, `q1`…`q4` reactive. */
  readonly register: string
  readonly t: number
  /** Wh (VArh for `q*`). */
  readonly value: number
}

/** `events`: period changes, Tempo announcements, overpower, relay changes, gaps… */
export interface EventsTable {
  readonly meter: string
  readonly t: number
  /** Kebab-case kind (see docs/storage.md). */
  readonly kind: string
  /** JSON object. */
  readonly detail: string
}

/** `power_rollups`: power and voltage statistics per 1 min / 1 h / local day. Kept forever. */
export interface PowerRollupsTable {
  readonly meter: string
  /** `1m`, `1h` or `1d` (local day, Europe/Paris). */
  readonly res: string
  /** Bucket start, epoch ms. */
  readonly bucket: number
  /** Samples in the bucket. */
  readonly n: number
  readonly va_n: number
  readonly va_sum: number | null
  readonly va_min: number | null
  readonly va_max: number | null
  /** Samples with per-phase powers, and their sums (VA). */
  readonly vap_n: number
  readonly va1_sum: number | null
  readonly va2_sum: number | null
  readonly va3_sum: number | null
  readonly inj_n: number
  readonly inj_sum: number | null
  /** Samples with voltages, per-phase sums, min and max over all phases (V). */
  readonly u_n: number
  readonly u1_sum: number | null
  readonly u2_sum: number | null
  readonly u3_sum: number | null
  readonly u_min: number | null
  readonly u_max: number | null
}

/**
 * `energy_rollups`: lowest and highest value of each index register per bucket, and the energy
 * counted in the bucket (`energy_wh`): the sum of the register's increments between consecutive
 * values in time order, an index going down counting 0 (a `register-reset` event), so never negative.
 */
export interface EnergyRollupsTable {
  readonly meter: string
  readonly res: string
  readonly register: string
  readonly bucket: number
  readonly min_wh: number
  readonly max_wh: number
  /** Energy counted in the bucket (Wh, VArh for reactive registers), ≥ 0. */
  readonly energy_wh: number
}

/** `meter_nums`: the small integer standing for a meter id in the compact tables (assigned on first write). */
export interface MeterNumsTable {
  readonly num: number
  /** The meter id (ADS), as in `meters.id`. */
  readonly id: string
}

/**
 * `sample_rows`: the compact storage behind the `samples` view, keyed by (`m`, `t`). `rx` is the
 * receive time minus `t` (ms); `flags` bit 0 says the frame had a meter clock (then `clock_ms` is
 * `t` truncated to the second), bit 1 a short frame; `period_code` is a {@link PERIOD_CODES} number.
 */
export interface SampleRowsTable {
  readonly m: number
  readonly t: number
  readonly rx: number
  readonly flags: number
  readonly va: number | null
  readonly va1: number | null
  readonly va2: number | null
  readonly va3: number | null
  readonly injected_va: number | null
  readonly i1: number | null
  readonly i2: number | null
  readonly i3: number | null
  readonly u1: number | null
  readonly u2: number | null
  readonly u3: number | null
  readonly period_index: number | null
  readonly period_code: number | null
  readonly import_wh: number | null
  readonly export_wh: number | null
}

/** `register_rows`: the compact storage behind the `registers` view (`reg`: a register number, see codes.ts). */
export interface RegisterRowsTable {
  readonly m: number
  readonly reg: number
  readonly t: number
  readonly value: number
}

/**
 * `sample_blocks` (migration 2026_12_05_000200, docs/storage.md "Sample blocks"): the samples and
 * register changes of one meter-hour packed in one row, or a marker row. Keyed by (`m`, `hour`).
 * A meter-hour is either in block mode (`n` > 0: all its samples and register changes are in this
 * row and none in `sample_rows`/`register_rows`), in rows mode (`n` = 0, a marker: its data is in
 * `sample_rows`/`register_rows`), or absent (no data). The `samples` and `registers` views answer
 * both modes.
 */
export interface SampleBlocksTable {
  /** The meter number (`meter_nums.num`). */
  readonly m: number
  /** Start of the UTC hour, epoch ms (`t - t % 3600000`). */
  readonly hour: number
  /** Samples in the block; 0 for a marker (rows mode). */
  readonly n: number
  /**
   * `n` > 0: JSON array of the samples in `t` order, each an array of {@link BLOCK_SAMPLE_FIELDS}
   * by position, trailing nulls left out. Null for a marker.
   */
  readonly samples: string | null
  /**
   * `n` > 0: JSON array of `[reg, dt, value]` register changes (`reg` as in `register_rows`,
   * `dt` = `t` − `hour` in ms) in `t` order; `[]` when none. Null for a marker.
   */
  readonly registers: string | null
}

/**
 * The positions of a sample array in `sample_blocks.samples`: each the `sample_rows` column of the
 * same name and meaning, except `dt`, the sample's `t` minus the block's `hour` (ms). A missing
 * (trailing) position reads null; `rx` and `flags` are never null.
 */
export const BLOCK_SAMPLE_FIELDS = [
  'dt',
  'rx',
  'flags',
  'va',
  'i1',
  'u1',
  'period_index',
  'period_code',
  'import_wh',
  'export_wh',
  'injected_va',
  'va1',
  'va2',
  'va3',
  'i2',
  'i3',
  'u2',
  'u3',
] as const satisfies readonly ('dt' | keyof SampleRowsTable)[]

/** `power_rows`: the compact storage behind the `power_rollups` view (`res` in minutes: 1, 60, 1440). */
export interface PowerRowsTable extends Omit<PowerRollupsTable, 'meter' | 'res'> {
  readonly m: number
  readonly res: number
}

/** `energy_rows`: the compact storage behind the `energy_rollups` view (`res` in minutes, `reg` a register number). */
export interface EnergyRowsTable extends Omit<EnergyRollupsTable, 'meter' | 'res' | 'register'> {
  readonly m: number
  readonly res: number
  readonly reg: number
}

/**
 * `power_hot_rows` (PostgreSQL only, migration 2026_12_04_000700): the 1-minute power rows of
 * `power_rows` waiting for their hourly fold into `power_minutes` (no `res`: all are 1 minute).
 */
export type PowerHotRowsTable = Omit<PowerRowsTable, 'res'>

/** `energy_hot_rows` (PostgreSQL only): the 1-minute energy rows waiting for their fold. */
export type EnergyHotRowsTable = Omit<EnergyRowsTable, 'res'>

/** The whole database, for `Kysely<StoreDatabase>`. */
export interface StoreDatabase {
  meters: MetersTable
  contracts: ContractsTable
  samples: SamplesTable
  registers: RegistersTable
  events: EventsTable
  power_rollups: PowerRollupsTable
  energy_rollups: EnergyRollupsTable
  meter_nums: MeterNumsTable
  sample_rows: SampleRowsTable
  register_rows: RegisterRowsTable
  sample_blocks: SampleBlocksTable
  power_rows: PowerRowsTable
  energy_rows: EnergyRowsTable
  power_minutes: PowerMinutesTable
  energy_minutes: EnergyMinutesTable
  power_hot_rows: PowerHotRowsTable
  energy_hot_rows: EnergyHotRowsTable
}

/**
 * `power_minutes` (PostgreSQL only, docs/storage.md "Packed minutes"): the 1-minute power rollups
 * of one meter and UTC hour in one row. Each column of `power_rows` is an array of 60 elements,
 * element i (1-based) for minute i − 1 of the hour; `n` is null for a minute without samples,
 * the other counts are null instead of 0, and a column is null when all its elements are.
 */
export interface PowerMinutesTable {
  readonly m: number
  /** Start of the UTC hour (epoch ms). */
  readonly hour: number
  readonly n: readonly (number | null)[]
  readonly va_n: readonly (number | null)[] | null
  readonly va_sum: readonly (number | null)[] | null
  readonly va_min: readonly (number | null)[] | null
  readonly va_max: readonly (number | null)[] | null
  readonly vap_n: readonly (number | null)[] | null
  readonly va1_sum: readonly (number | null)[] | null
  readonly va2_sum: readonly (number | null)[] | null
  readonly va3_sum: readonly (number | null)[] | null
  readonly inj_n: readonly (number | null)[] | null
  readonly inj_sum: readonly (number | null)[] | null
  readonly u_n: readonly (number | null)[] | null
  readonly u1_sum: readonly (number | null)[] | null
  readonly u2_sum: readonly (number | null)[] | null
  readonly u3_sum: readonly (number | null)[] | null
  readonly u_min: readonly (number | null)[] | null
  readonly u_max: readonly (number | null)[] | null
}

/**
 * `energy_minutes` (PostgreSQL only): the 1-minute energy rollups of one meter, register and UTC
 * hour in one row, as arrays of 60 elements (null for a minute where the register did not move).
 */
export interface EnergyMinutesTable {
  readonly m: number
  readonly reg: number
  readonly hour: number
  readonly min_wh: readonly (number | null)[]
  readonly max_wh: readonly (number | null)[]
  readonly energy_wh: readonly (number | null)[]
}

/**
 * Column storage classes, for bulk inserts (PostgreSQL `unnest` casts). The `[]` classes are
 * arrays of integers (`(number | null)[]`, or null), PostgreSQL only.
 */
export type ColumnClass =
  'text' | 'smallint' | 'int' | 'bigint' | 'smallint[]' | 'int[]' | 'bigint[]'

/**
 * The tables written in bulk, each as its one column list (insert order and class): the row
 * types ({@link RowOf}) derive from it, so a row is built by column name and never by position.
 */
export const COLUMNS = {
  contracts: {
    meter: 'text',
    valid_from: 'bigint',
    valid_to: 'bigint',
    option: 'text',
    option_label: 'text',
    subscribed_va: 'int',
    cutoff_va: 'int',
    hhphc: 'text',
  },
  meters: {
    id: 'text',
    prm: 'text',
    kind: 'text',
    manufacturer: 'text',
    mode: 'text',
    phases: 'int',
    producer: 'int',
    first_seen: 'bigint',
    last_seen: 'bigint',
    last_reading: 'text',
    last_reading_at: 'bigint',
    last_registers: 'text',
  },
  sample_rows: {
    m: 'int',
    t: 'bigint',
    rx: 'bigint',
    flags: 'smallint',
    va: 'int',
    va1: 'int',
    va2: 'int',
    va3: 'int',
    injected_va: 'int',
    i1: 'smallint',
    i2: 'smallint',
    i3: 'smallint',
    u1: 'smallint',
    u2: 'smallint',
    u3: 'smallint',
    period_index: 'smallint',
    period_code: 'smallint',
    import_wh: 'bigint',
    export_wh: 'bigint',
  },
  register_rows: { m: 'int', reg: 'smallint', t: 'bigint', value: 'bigint' },
  sample_blocks: { m: 'int', hour: 'bigint', n: 'int', samples: 'text', registers: 'text' },
  events: { meter: 'text', t: 'bigint', kind: 'text', detail: 'text' },
  power_rows: {
    m: 'int',
    res: 'smallint',
    bucket: 'bigint',
    n: 'int',
    va_n: 'int',
    va_sum: 'bigint',
    va_min: 'int',
    va_max: 'int',
    vap_n: 'int',
    va1_sum: 'bigint',
    va2_sum: 'bigint',
    va3_sum: 'bigint',
    inj_n: 'int',
    inj_sum: 'bigint',
    u_n: 'int',
    u1_sum: 'bigint',
    u2_sum: 'bigint',
    u3_sum: 'bigint',
    u_min: 'int',
    u_max: 'int',
  },
  energy_rows: {
    m: 'int',
    res: 'smallint',
    reg: 'smallint',
    bucket: 'bigint',
    min_wh: 'bigint',
    max_wh: 'bigint',
    energy_wh: 'bigint',
  },
  power_hot_rows: {
    m: 'int',
    bucket: 'bigint',
    n: 'int',
    va_n: 'int',
    va_sum: 'bigint',
    va_min: 'int',
    va_max: 'int',
    vap_n: 'int',
    va1_sum: 'bigint',
    va2_sum: 'bigint',
    va3_sum: 'bigint',
    inj_n: 'int',
    inj_sum: 'bigint',
    u_n: 'int',
    u1_sum: 'bigint',
    u2_sum: 'bigint',
    u3_sum: 'bigint',
    u_min: 'int',
    u_max: 'int',
  },
  energy_hot_rows: {
    m: 'int',
    reg: 'smallint',
    bucket: 'bigint',
    min_wh: 'bigint',
    max_wh: 'bigint',
    energy_wh: 'bigint',
  },
  power_minutes: {
    m: 'int',
    hour: 'bigint',
    n: 'int[]',
    va_n: 'int[]',
    va_sum: 'bigint[]',
    va_min: 'int[]',
    va_max: 'int[]',
    vap_n: 'int[]',
    va1_sum: 'bigint[]',
    va2_sum: 'bigint[]',
    va3_sum: 'bigint[]',
    inj_n: 'int[]',
    inj_sum: 'bigint[]',
    u_n: 'int[]',
    u1_sum: 'bigint[]',
    u2_sum: 'bigint[]',
    u3_sum: 'bigint[]',
    u_min: 'smallint[]',
    u_max: 'smallint[]',
  },
  energy_minutes: {
    m: 'int',
    reg: 'smallint',
    hour: 'bigint',
    min_wh: 'bigint[]',
    max_wh: 'bigint[]',
    energy_wh: 'bigint[]',
  },
} as const satisfies Record<string, Record<string, ColumnClass>>

/** Tables written in bulk. */
export type BulkTable = keyof typeof COLUMNS

/** A row of a bulk table, by column name (text columns strings, the others numbers; null allowed). */
export type RowOf<T extends BulkTable> = {
  -readonly [K in keyof (typeof COLUMNS)[T]]:
    | ((typeof COLUMNS)[T][K] extends 'text'
        ? string
        : (typeof COLUMNS)[T][K] extends `${string}[]`
          ? (number | null)[]
          : number)
    | null
}
