import { z } from 'zod'

/** Directory of embedded data (the SQLite store, spools) when the file names none. */
export const DEFAULT_DATA_DIR = './data'

/** TCP port of the dashboard when the config and the command line name none. */
export const DEFAULT_HTTP_PORT = 8080

/** A TCP port number; 0 asks the system for a free one. */
export const portSchema = z.number().int().min(0).max(65535)

/** Stage ids and node names: kebab-case words (they become NATS subject tokens and consumer names). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/

const id = (what: string) =>
  z.string().regex(ID_PATTERN, `${what} must be lowercase letters, digits, '-' or '_'`)

/** Overflow policies of a sink's bounded buffer (see {@link bufferSchema}). */
export const OVERFLOW_POLICIES = ['drop-oldest', 'drop-newest', 'fail'] as const
/** What a sink's buffer does when it is full. */
export type OverflowPolicy = (typeof OVERFLOW_POLICIES)[number]

/**
 * A sink's isolation buffer. Frames wait in a queue of at most `size` frames; at most `inFlight`
 * frames are handed to the sink without being acknowledged. When the queue is full, `overflow`
 * decides: `drop-oldest` (default: the newest data wins, the drop is logged and counted),
 * `drop-newest`, or `fail` (the node stops with an error and systemd restarts it).
 */
export const bufferSchema = z.strictObject({
  /** Frames waiting for the sink, at most (default 10 000). */
  size: z.number().int().positive().default(10_000),
  /** Frames handed to the sink and not yet acknowledged, at most (default 1 000). */
  inFlight: z.number().int().positive().default(1_000),
  overflow: z.enum(OVERFLOW_POLICIES).default('drop-oldest'),
})

/** TLS for the NATS connection (a meter's data is private: use it across machines). */
export const natsTlsSchema = z.strictObject({
  /** CA bundle (PEM file) that signed the server's certificate. */
  caFile: z.string().optional(),
  /** Client certificate (PEM file), for mutual TLS. */
  certFile: z.string().optional(),
  /** Client private key (PEM file), for mutual TLS. */
  keyFile: z.string().optional(),
  /** Start TLS before the NATS INFO (server `handshake_first`, nats-server ≥ 2.10.4 only). */
  handshakeFirst: z.boolean().default(false),
})

/** JetStream stream that holds durable edges. */
export const natsStreamSchema = z.strictObject({
  /** Stream name (default `LINKY_<SITE>` upper-cased). */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  /** Keep messages at most this long, ms (default 30 days). 0 = no age limit. */
  maxAgeMs: z
    .number()
    .int()
    .nonnegative()
    .default(30 * 24 * 3600 * 1000),
  /** Keep at most this many bytes (default 1 GiB). -1 = no limit. */
  maxBytes: z
    .number()
    .int()
    .min(-1)
    .default(1024 * 1024 * 1024),
  /** Keep at most this many messages (default -1, no limit). */
  maxMsgs: z.number().int().min(-1).default(-1),
  /** `file` (default, survives restarts) or `memory`. */
  storage: z.enum(['file', 'memory']).default('file'),
  /** Replicas in a clustered JetStream (default 1). */
  replicas: z.number().int().min(1).max(5).default(1),
  /** Window in which a republished message (same Nats-Msg-Id) is dropped as a duplicate, ms (default 2 min). */
  duplicateWindowMs: z.number().int().positive().default(120_000),
  /**
   * Meter partitions (default 1: none). Above 1, frames are published on
   * `linky.<site>.<meter>.frames.<partition>` (partition = hash of the meter) and the server
   * processes of a node share the partitions by leases, one process per partition at a time
   * (meter affinity). Every node of the site must use the same value.
   */
  partitions: z.number().int().min(1).max(1024).default(1),
})

/** Durable consumers of the downstream node. */
export const natsConsumerSchema = z.strictObject({
  /** A delivered message not acknowledged within this delay is delivered again, ms (default 60 s). */
  ackWaitMs: z.number().int().positive().default(60_000),
  /** Messages delivered and not yet acknowledged, at most (default 5 000): the edge's flow control. */
  maxAckPending: z.number().int().positive().default(5_000),
  /** Messages asked for in one pull request (default 256). */
  batch: z.number().int().min(1).max(10_000).default(256),
  /**
   * Partition lease, ms (default 10 s; partitioned streams only): a server process that stops
   * renewing (dead) loses its partitions this long after its last renewal.
   */
  leaseMs: z.number().int().min(300).default(10_000),
})

/** Publishing side of durable and live frame edges (the upstream node). */
export const natsPublishSchema = z.strictObject({
  /**
   * Frames per NATS message, at most (default 1: one message per frame). Above 1 (a gateway
   * reading many meters), frames are grouped: one publish and one PubAck per message. Servers
   * must run a version that reads batches (header `Linky-Batch`) before publishers use it.
   */
  batchFrames: z.number().int().min(1).max(1024).default(1),
  /** How long a partial batch waits for more frames, ms (default 20). */
  batchMs: z.number().int().min(0).max(60_000).default(20),
  /** JetStream publish timeout before a retry with the same message id, ms (default 5 000). */
  timeoutMs: z.number().int().positive().default(5_000),
  /**
   * Payload form of frames (default `json`): `compact` sends groups and meta only (header
   * `Linky-Wire: 2`, about a tenth of the bytes, readings rebuilt by the receiver). Servers must
   * run a version that reads it before publishers use it.
   */
  wire: z.enum(['json', 'compact']).default('json'),
})

/** Connection to NATS, needed as soon as an edge crosses nodes. */
export const natsSchema = z.strictObject({
  /** Server URLs (default `nats://127.0.0.1:4222`). */
  servers: z.array(z.string().min(1)).min(1).default(['nats://127.0.0.1:4222']),
  /** User and password authentication. */
  user: z.string().optional(),
  pass: z.string().optional(),
  /** Token authentication. */
  token: z.string().optional(),
  /** A `.creds` file (JWT + NKey seed, from `nsc`): the recommended authentication. */
  credsFile: z.string().optional(),
  /** An NKey seed file (`SU…`). */
  nkeySeedFile: z.string().optional(),
  tls: natsTlsSchema.optional(),
  stream: natsStreamSchema.prefault({}),
  consumer: natsConsumerSchema.prefault({}),
  publish: natsPublishSchema.prefault({}),
})

/** One stage: its `type`, the `node` it runs on, what it reads `from`; other keys are its options. */
export const stageSchema = z.looseObject({
  /** A built-in type (`serial`, `tic-decode`, `postgres`…) or a module (`./csv-sink.mjs`, `module:pkg`). */
  type: z.string().min(1),
  /** The machine (process) that runs it (default `main`). */
  node: id('node').default('main'),
  /** Id of the stage it reads from; absent for sources. */
  from: z.string().optional(),
  /** Sinks only: the isolation buffer. */
  buffer: bufferSchema.optional(),
})

/** The whole configuration file. */
export const configSchema = z.strictObject({
  /** Format version of this file (only 1 exists). */
  version: z.literal(1).default(1),
  /** Installation name: the second token of NATS subjects `linky.<site>.<meter>.frames`. */
  site: id('site').default('home'),
  /** Directory for embedded data (SQLite store), relative to the working directory (default `./data`). */
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  nats: natsSchema.optional(),
  diagnostics: z
    .strictObject({
      /** Interval between two diagnostics summaries in the log, ms (default 5 min). 0 = never. */
      logIntervalMs: z.number().int().nonnegative().default(300_000),
    })
    .prefault({}),
  shutdown: z
    .strictObject({
      /** After SIGINT/SIGTERM, sinks get this long to flush before they are cut, ms (default 15 s). */
      timeoutMs: z.number().int().positive().default(15_000),
    })
    .prefault({}),
  /**
   * Prices, subscription, off-peak hours, Tempo/EJP days, CO2 factor for the costs the dashboard
   * and the MQTT stage show (and `linkyrpi report --config`): checked by `@linkyrpi/analytics`
   * (see docs/analytics.md), available to the stages as ANALYTICS_SETTINGS.
   */
  analytics: z.unknown().optional(),
  /** The stages, by id. */
  stages: z
    .record(id('stage id'), stageSchema)
    .refine((s) => Object.keys(s).length > 0, 'at least one stage is required'),
})

/** The validated file before stage options are checked (schema output). */
export type ConfigFile = z.output<typeof configSchema>
/** NATS settings with defaults applied. */
export type NatsConfig = z.output<typeof natsSchema>
/** A sink buffer's settings with defaults applied. */
export type BufferConfig = z.output<typeof bufferSchema>
