import { z } from 'zod'
import { conditionSchema } from './condition-schema.js'

const state = z.union(
  [z.enum(['on', 'off']), z.boolean().transform((b): 'on' | 'off' => (b ? 'on' : 'off'))],
  {
    error: (issue) =>
      issue.input === undefined
        ? "required: 'on' or 'off', the state on stale data, shutdown and crash"
        : "must be 'on' or 'off'",
  },
)

/** One HTTP request of the `http` actuator; strings may hold `{{state}}`, `{{output}}`, `{{reason}}`. */
export const httpRequestSchema = z.strictObject({
  /** URL template. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** Default GET without a body, POST with one. */
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).optional(),
  /** JSON body template (any JSON value; its strings are templates). */
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
})

const httpActuator = z
  .strictObject({
    type: z.literal('http'),
    ...httpRequestSchema.shape,
    /** Overrides for the `on` / `off` request (Shelly style: one URL each). */
    on: httpRequestSchema.optional(),
    off: httpRequestSchema.optional(),
    /** Per request, ms (default 5000). */
    timeoutMs: z.number().int().positive().default(5000),
    /** Quick retries within one switch, 0.5 s, 1 s, 2 s… apart (default 2); then the output's backoff. */
    retries: z.number().int().nonnegative().default(2),
  })
  .check((ctx) => {
    for (const s of ['on', 'off'] as const) {
      if ((ctx.value[s]?.url ?? ctx.value.url) === undefined) {
        ctx.issues.push({
          code: 'custom',
          message: `no URL for '${s}': give 'url' (a template with {{state}}) or '${s}.url'`,
          path: [s],
          input: ctx.value,
        })
      }
    }
  })

const mqttActuator = z.strictObject({
  type: z.literal('mqtt'),
  /** Broker URL (default `mqtt://127.0.0.1:1883`). */
  url: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'must be an mqtt://, mqtts://, ws:// or wss:// URL')
    .default('mqtt://127.0.0.1:1883'),
  topic: z.string().min(1),
  /** Payloads (default `ON` / `OFF`). */
  on: z.string().default('ON'),
  off: z.string().default('OFF'),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  /** Retained, so that a device that reconnects gets its state (default true). */
  retain: z.boolean().default(true),
  username: z.string().optional(),
  password: z.string().optional(),
})

const natsActuator = z.strictObject({
  type: z.literal('nats'),
  /** Server URLs (default `nats://127.0.0.1:4222`). */
  servers: z.array(z.string().min(1)).min(1).default(['nats://127.0.0.1:4222']),
  subject: z.string().regex(/^[^\s*>]+$/, 'a subject without spaces or wildcards'),
  /** Payloads; default a JSON object `{output, state, reason, t}`. */
  on: z.string().optional(),
  off: z.string().optional(),
})

const shellActuator = z.strictObject({
  type: z.literal('shell'),
  /** Run by `/bin/sh -c` with LINKY_OUTPUT, LINKY_STATE (`on`/`off`), LINKY_REASON in its environment. */
  command: z.string().min(1),
  /** Killed after this long, ms (default 10 000). */
  timeoutMs: z.number().int().positive().default(10_000),
})

const gpioActuator = z.strictObject({
  type: z.literal('gpio'),
  /** GPIO chip (`gpiochip0`, or a /dev path). */
  chip: z.string().min(1).default('gpiochip0'),
  /** Line offset on the chip (BCM number on a Raspberry Pi). */
  line: z.number().int().nonnegative(),
  /** The load is on when the line is low (relay boards often are). */
  activeLow: z.boolean().default(false),
  /** The `gpioset` executable (Debian/Raspberry Pi OS package `gpiod`, libgpiod 1.6 or 2.x). */
  gpioset: z.string().min(1).default('gpioset'),
})

const noneActuator = z.strictObject({ type: z.literal('none') })

/** How an output is driven. */
export const actuatorSchema = z.discriminatedUnion(
  'type',
  [httpActuator, mqttActuator, natsActuator, shellActuator, gpioActuator, noneActuator],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required: how the load is switched ({ type: http | mqtt | nats | shell | gpio | none, … })'
        : 'unknown actuator type (one of http, mqtt, nats, shell, gpio, none)',
  },
)

/** One controlled load. */
export const outputSchema = z.strictObject({
  /** How the load is switched (required). */
  actuator: actuatorSchema,
  /** State on stale data, shutdown and crash (required: there is no safe default for every load). */
  safe: state,
  /** On while this holds, off otherwise; absent = always on (shedding and overrides still apply). */
  when: conditionSchema.optional(),
  /** The load may be shed when headroom runs out. */
  shed: z
    .strictObject({
      /** Lower priorities are shed first and restored last (1 = first to go). */
      priority: z.number().int().min(1),
      /** Power the load draws when on, W (≈ VA): what shedding it frees, what restoring it needs. */
      powerW: z.number().positive(),
    })
    .optional(),
  /** Display name (default: the output id). */
  label: z.string().min(1).optional(),
})

/** Shedding hysteresis. */
export const sheddingSchema = z.strictObject({
  /** Shed when headroom (subscribed − apparent, per phase) falls below this, VA (default 500). */
  marginVA: z.number().nonnegative().default(500),
  /** Restore a load when headroom ≥ its powerW + this, VA (default 1500). */
  restoreMarginVA: z.number().nonnegative().default(1500),
  /** A shed load stays off at least this long, s (default 300). */
  minOffS: z.number().nonnegative().default(300),
  /** A restored load is not shed again for this long unless the meter signals an overpower, s (default 60). */
  minOnS: z.number().nonnegative().default(60),
  /** After a switch, its effect is assumed not yet visible in the readings for this long, s (default 10). */
  settleS: z.number().nonnegative().default(10),
})

/** The automation stage's options (also what `linkyrpi automation simulate` reads). */
export const automationOptionsSchema = z.strictObject({
  outputs: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'output ids are lowercase letters, digits, - or _'),
      outputSchema,
    )
    .refine((o) => Object.keys(o).length > 0, 'at least one output is required'),
  shedding: sheddingSchema.prefault({}),
  /** No frame for this long = stale data: outputs go to their safe state, s (default 60). */
  staleAfterS: z.number().positive().default(60),
  /** Backoff of a failing actuator: first delay and ceiling, ms (defaults 1000 and 60 000). */
  retry: z
    .strictObject({
      baseMs: z.number().int().positive().default(1000),
      maxMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
})

/** Validated automation options (defaults applied). */
export type AutomationOptions = z.output<typeof automationOptionsSchema>
/** One validated output. */
export type OutputOptions = z.output<typeof outputSchema>
/** One validated actuator. */
export type ActuatorOptions = z.output<typeof actuatorSchema>
/** Validated shedding settings. */
export type SheddingOptions = z.output<typeof sheddingSchema>
/** `on` or `off`. */
export type OutputState = 'on' | 'off'
