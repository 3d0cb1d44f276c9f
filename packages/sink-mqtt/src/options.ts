import type { TicReading } from '@linkyrpi/tic-core'
import type { AutomationControl } from './automation-switches.js'
import type { Pricing } from './daily-cost.js'
import type { EntityLang } from './entities.js'
import { prefixProblems } from './topics.js'

/** An event the sink publishes on `<prefix>/<meter>/event`. */
export interface MeterEvent {
  /** Kebab-case kind: `period-change`, `tempo-announced`, `overpower`, `overpower-end`, `relay-change`… */
  readonly kind: string
  readonly detail: Readonly<Record<string, unknown>>
}

/**
 * Finds the events between two readings of one meter (`prev` at `prevT`, `next` at `t`, epoch
 * ms). The pipeline passes the store's detector, so that the MQTT events and the stored events
 * are the same.
 */
export type EventDetector = (
  prev: TicReading,
  prevT: number,
  next: TicReading,
  t: number,
) => readonly MeterEvent[]

/** Options of `mqttSink`. */
export interface MqttSinkOptions {
  /** Broker URL, `mqtt://host:1883` or `mqtts://host:8883`. */
  readonly url: string
  readonly username?: string
  readonly password?: string
  /** TLS: CA bundle, client certificate and key (PEM contents, not paths: the app reads the files). */
  readonly ca?: string | Uint8Array
  readonly cert?: string | Uint8Array
  readonly key?: string | Uint8Array
  /** Check the server certificate (default true). */
  readonly rejectUnauthorized?: boolean
  /** First topic level(s) (default `linkyrpi`): topics are `<prefix>/<meter>/state|availability|event`. */
  readonly prefix?: string
  /** Publish Home Assistant discovery configs (default true). */
  readonly discovery?: boolean
  /** Home Assistant's discovery prefix (default `homeassistant`); its `<prefix>/status` is watched. */
  readonly discoveryPrefix?: string
  /** Language of entity names (default `fr`). */
  readonly lang?: EntityLang
  /** QoS of state and event messages (default 1; availability and discovery always use 1). */
  readonly qos?: 0 | 1 | 2
  /** Retain the state message (default true: Home Assistant gets the last state when it starts). */
  readonly retain?: boolean
  /**
   * Power, current and voltage are released to the state at most once per this many ms of frame
   * time (default 5000; 0 = every frame).
   */
  readonly measurementIntervalMs?: number
  /** Indexes are released when they change, at most once per this many ms (default 0: every change). */
  readonly energyIntervalMs?: number
  /** Backoff between reconnection attempts: first and longest delay, ms (default 1000 and 30 000). */
  readonly reconnectMinMs?: number
  readonly reconnectMaxMs?: number
  /** Client id prefix (default `linkyrpi`); the id is `<clientIdPrefix>-<stage>-<meter>-<random>`. */
  readonly clientIdPrefix?: string
  /** Event detector; without one, nothing is published on the event topic. */
  readonly events?: EventDetector
  /** Prices readings; with it, each priced meter gets a `price` (€/kWh) and a `cost_today` (€) entity. */
  readonly pricing?: Pricing
  /**
   * The node's automation controller, looked up at each poll (undefined while there is none):
   * with it, each automation output is a Home Assistant switch (see `AutomationSwitches`).
   */
  readonly automation?: () => AutomationControl | undefined
  /** How long an `ON`/`OFF` command forces an output, ms (default 3 600 000: 1 h). */
  readonly automationOverrideMs?: number
  /** How often the automation status is read for changes, ms (default 2000). */
  readonly automationPollMs?: number
  /** The node (or site) name in the switches' unique ids `linkyrpi_<id>_automation_<output>` (default `local`). */
  readonly automationId?: string
}

/** Options with defaults applied. */
export interface ResolvedMqttOptions {
  readonly url: string
  readonly username: string | undefined
  readonly password: string | undefined
  readonly ca: string | Uint8Array | undefined
  readonly cert: string | Uint8Array | undefined
  readonly key: string | Uint8Array | undefined
  readonly rejectUnauthorized: boolean
  readonly prefix: string
  readonly discovery: boolean
  readonly discoveryPrefix: string
  readonly lang: EntityLang
  readonly qos: 0 | 1 | 2
  readonly retain: boolean
  readonly measurementIntervalMs: number
  readonly energyIntervalMs: number
  readonly reconnectMinMs: number
  readonly reconnectMaxMs: number
  readonly clientIdPrefix: string
  readonly events: EventDetector | undefined
  readonly pricing: Pricing | undefined
  readonly automation: (() => AutomationControl | undefined) | undefined
  readonly automationOverrideMs: number
  readonly automationPollMs: number
  readonly automationId: string
}

/**
 * Applies defaults and checks every option; throws one `TypeError` listing every problem as
 * `name: message` (before any I/O).
 */
export function resolveMqttOptions(options: MqttSinkOptions): ResolvedMqttOptions {
  const problems: string[] = []
  const check = (name: string, ok: boolean, message: string): void => {
    if (!ok) problems.push(`${name}: ${message}`)
  }
  let url: URL | null = null
  try {
    url = new URL(options.url)
  } catch {
    problems.push(`url: not a URL: '${String(options.url)}'`)
  }
  if (url !== null)
    check(
      'url',
      url.protocol === 'mqtt:' || url.protocol === 'mqtts:',
      `must start with mqtt:// or mqtts://, got '${url.protocol}//'`,
    )
  const prefix = options.prefix ?? 'linkyrpi'
  for (const p of prefixProblems(prefix)) problems.push(`prefix: ${p}`)
  const discoveryPrefix = options.discoveryPrefix ?? 'homeassistant'
  for (const p of prefixProblems(discoveryPrefix)) problems.push(`discoveryPrefix: ${p}`)
  const lang = options.lang ?? 'fr'
  check('lang', lang === 'fr' || lang === 'en', `must be 'fr' or 'en', got '${String(lang)}'`)
  const qos = options.qos ?? 1
  check('qos', qos === 0 || qos === 1 || qos === 2, `must be 0, 1 or 2, got ${String(qos)}`)
  const ms = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback
    check(
      name,
      Number.isInteger(v) && v >= min,
      `must be an integer ≥ ${String(min)} (ms), got ${String(v)}`,
    )
    return v
  }
  const measurementIntervalMs = ms('measurementIntervalMs', options.measurementIntervalMs, 5_000, 0)
  const energyIntervalMs = ms('energyIntervalMs', options.energyIntervalMs, 0, 0)
  const reconnectMinMs = ms('reconnectMinMs', options.reconnectMinMs, 1_000, 1)
  const reconnectMaxMs = ms('reconnectMaxMs', options.reconnectMaxMs, 30_000, 1)
  check('reconnectMaxMs', reconnectMaxMs >= reconnectMinMs, 'must be ≥ reconnectMinMs')
  check(
    'password',
    options.password === undefined || options.username !== undefined,
    'needs a username',
  )
  check(
    'cert',
    (options.cert === undefined) === (options.key === undefined),
    'a client certificate and its key go together',
  )
  const automationOverrideMs = ms(
    'automationOverrideMs',
    options.automationOverrideMs,
    3_600_000,
    1,
  )
  const automationPollMs = ms('automationPollMs', options.automationPollMs, 2_000, 1)
  const automationId = options.automationId ?? 'local'
  check('automationId', /^[A-Za-z0-9_-]+$/.test(automationId), "letters, digits, '_' and '-' only")
  const clientIdPrefix = options.clientIdPrefix ?? 'linkyrpi'
  check(
    'clientIdPrefix',
    /^[A-Za-z0-9_-]{1,40}$/.test(clientIdPrefix),
    "letters, digits, '_' and '-' only (1-40)",
  )
  if (problems.length > 0)
    throw new TypeError(`invalid MQTT sink options:\n  ${problems.join('\n  ')}`)
  return Object.freeze({
    url: options.url,
    username: options.username,
    password: options.password,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    prefix,
    discovery: options.discovery ?? true,
    discoveryPrefix,
    lang,
    qos,
    retain: options.retain ?? true,
    measurementIntervalMs,
    energyIntervalMs,
    reconnectMinMs,
    reconnectMaxMs,
    clientIdPrefix,
    events: options.events,
    pricing: options.pricing,
    automation: options.automation,
    automationOverrideMs,
    automationPollMs,
    automationId,
  })
}
