import { readFileSync } from 'node:fs'
import { z } from 'zod'
import {
  PERIODS,
  TRV_CATALOGUE,
  isPricedOption,
  localDayKey,
  mergeCatalogues,
  parseCatalogue,
  pricesOn,
} from '@linkyrpi/analytics'
import type { PriceCatalogue } from '@linkyrpi/analytics'
import type { PriceInfo, Pricing } from '@linkyrpi/sink-mqtt'
import { eventsBetween } from '@linkyrpi/store'
import type { SinkDefinition } from '../stage-definition.js'
import { ANALYTICS_SETTINGS, AUTOMATION_CONTROLLER, NODE_NAME } from '../tokens.js'

const ms = z.number().int().nonnegative()

/** Options of the `mqtt` sink (see docs/home-assistant.md). */
export const mqttStageOptions = z.strictObject({
  /** Broker URL: `mqtt://host:1883` or `mqtts://host:8883`. */
  url: z.string().regex(/^mqtts?:\/\/[^/]+/, 'must be mqtt://host[:port] or mqtts://host[:port]'),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  /** TLS files (PEM), read at start. */
  tls: z
    .strictObject({
      caFile: z.string().min(1).optional(),
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      /** Check the broker's certificate (default true). */
      rejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
  /** Topic prefix (default `linkyrpi`). */
  prefix: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
      "levels of letters, digits, '_' or '-' separated by '/' (no wildcard)",
    )
    .default('linkyrpi'),
  /** Home Assistant discovery (default true). */
  discovery: z.boolean().default(true),
  /** Home Assistant discovery prefix (default `homeassistant`). */
  discoveryPrefix: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
      "levels of letters, digits, '_' or '-' separated by '/' (no wildcard)",
    )
    .default('homeassistant'),
  /** Language of the entity names (default `fr`). */
  lang: z.enum(['fr', 'en']).default('fr'),
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
  /** Retain the state message (default true). */
  retain: z.boolean().default(true),
  /** Power, current, voltage at most once per this many ms (default 5000; 0 = every frame). */
  measurementIntervalMs: ms.default(5_000),
  /** Indexes on change, at most once per this many ms (default 0). */
  energyIntervalMs: ms.default(0),
  reconnectMinMs: z.number().int().positive().default(1_000),
  reconnectMaxMs: z.number().int().positive().default(30_000),
  /** A silence longer than this between two frames is a `gap` event, ms (default 60 000). */
  gapMs: z.number().int().positive().default(60_000),
  /** Price (€/kWh) and cost-of-the-day (€) entities from the price catalogue (default true). */
  costs: z.boolean().default(true),
  /**
   * Prices of this stage only (a catalogue JSON file, docs/analytics.md), over the configuration's
   * `analytics` prices (themselves over the shipped regulated prices). Prefer the `analytics` section:
   * the dashboard and `linkyrpi report --config` read it too.
   */
  priceCatalogueFile: z.string().min(1).optional(),
  /** `extend` (default): your grids replace the shipped prices from their date on; `replace`: only yours. */
  priceCatalogueMode: z.enum(['extend', 'replace']).default('extend'),
  /** Automation outputs as Home Assistant switches when the node runs an automation stage (default true). */
  automationSwitches: z.boolean().default(true),
  /** How long an `ON`/`OFF` command on `<prefix>/automation/<output>/set` forces the output, ms (default 1 h). */
  automationOverrideMs: z.number().int().positive().default(3_600_000),
  /** How often the automation status is read for changes, ms (default 2000). */
  automationPollMs: z.number().int().positive().default(2_000),
})

/**
 * Prices readings from a catalogue: the option's period prices for the reading's local day and
 * subscribed power, mapped to supplier index numbers (`PERIODS` order). Cached per day, option and
 * power (a handful of entries).
 */
export function catalogueRateFor(catalogue: PriceCatalogue): Pricing {
  const cache = new Map<string, PriceInfo | null>()
  return (r, t) => {
    const option = r.contract.option
    if (!isPricedOption(option)) return null
    const day = localDayKey(t)
    const kva = r.contract.subscribedVA === null ? null : Math.round(r.contract.subscribedVA / 1000)
    const key = `${day}|${option}|${String(kva)}`
    let info = cache.get(key)
    if (info === undefined) {
      const prices = pricesOn(catalogue, day, option, kva)
      const byIndex: Record<number, number> = {}
      PERIODS[option].forEach((period, i) => {
        const eur = prices?.energy[period]
        if (eur !== undefined) byIndex[i + 1] = eur
      })
      info =
        prices === null || Object.keys(byIndex).length === 0
          ? null
          : { day, eurPerKWhByIndex: byIndex }
      if (cache.size > 64) cache.clear()
      cache.set(key, info)
    }
    return info
  }
}

/**
 * `mqtt`: publishes state, availability, events and Home Assistant discovery
 * (`@linkyrpi/sink-mqtt`), and the node's automation outputs as switches. Live data: across nodes it uses core NATS; a small buffer that drops
 * the oldest frames while the broker is away (the latest state is re-published on reconnect).
 */
export const mqttStage: SinkDefinition<z.output<typeof mqttStageOptions>> = {
  role: 'sink',
  summary: 'MQTT: state, availability, events and Home Assistant discovery',
  options: mqttStageOptions,
  durable: false,
  buffer: { size: 100, inFlight: 100, overflow: 'drop-oldest' },
  // mqtt.js (and its two dozen modules) loads only when a configuration has an mqtt stage.
  create: async (options, ctx, di) => {
    const { mqttSink } = await import('@linkyrpi/sink-mqtt')
    const {
      tls,
      gapMs,
      username,
      password,
      costs,
      priceCatalogueFile,
      priceCatalogueMode,
      automationSwitches,
      ...rest
    } = options
    // The configuration's `analytics` prices (the same as the dashboard's), under the older
    // per-stage catalogue file when one is given.
    const base = di.isRegistered(ANALYTICS_SETTINGS, true)
      ? di.resolve(ANALYTICS_SETTINGS).catalogue
      : TRV_CATALOGUE
    const catalogue =
      priceCatalogueFile === undefined
        ? base
        : mergeCatalogues(
            base,
            parseCatalogue(
              JSON.parse(readFileSync(priceCatalogueFile, 'utf8')),
              priceCatalogueFile,
            ),
            priceCatalogueMode,
          )
    const file = (path: string | undefined): Buffer | undefined =>
      path === undefined ? undefined : readFileSync(path)
    const ca = file(tls?.caFile)
    const cert = file(tls?.certFile)
    const key = file(tls?.keyFile)
    return mqttSink(
      {
        ...rest,
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
        ...(ca !== undefined ? { ca } : {}),
        ...(cert !== undefined ? { cert } : {}),
        ...(key !== undefined ? { key } : {}),
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        events: (prev, prevT, next, t) => eventsBetween(prev, prevT, next, t, gapMs),
        ...(costs ? { pricing: catalogueRateFor(catalogue) } : {}),
        ...(automationSwitches
          ? {
              // Looked up at each use: the automation stage may start after this one.
              automation: () =>
                di.isRegistered(AUTOMATION_CONTROLLER, true)
                  ? di.resolve(AUTOMATION_CONTROLLER)
                  : undefined,
              ...(di.isRegistered(NODE_NAME, true) ? { automationId: di.resolve(NODE_NAME) } : {}),
            }
          : {}),
      },
      ctx,
    )
  },
}
