import type { TicReading } from '@linkyrpi/tic-core'
import type { EntityLang, EntitySpec } from './entities.js'
import type { MeterTopics } from './topics.js'

/** Version announced in the discovery `origin` block. */
export const ORIGIN = { name: 'LinkyRPi', sw_version: '0.1.0' } as const

/** One retained discovery message. */
export interface DiscoveryMessage {
  readonly topic: string
  /** The config object (serialised by the publisher). */
  readonly payload: Readonly<Record<string, unknown>>
}

/** The Home Assistant device of a meter: one per ADS. */
export function deviceOf(meter: string, r: TicReading): Record<string, unknown> {
  const ads = r.meter.ads
  const kind =
    r.meter.kind === 'linky'
      ? 'Linky'
      : r.meter.kind === 'pre-linky'
        ? 'Compteur électronique'
        : 'Compteur'
  const device: Record<string, unknown> = {
    identifiers: [`linkyrpi_${meter}`],
    name: `${kind} ${meter}`,
    serial_number: meter,
    sw_version: `TIC ${r.meter.mode}${r.meter.ticVersion !== null ? ` v${r.meter.ticVersion}` : ''}`,
  }
  if (ads?.manufacturer != null) device.manufacturer = ads.manufacturer
  if (ads?.model != null) device.model = ads.model
  if (ads !== null) device.model_id = ads.typeCode
  // The PRM is what the customer's bill and the supplier call the delivery point.
  if (r.meter.prm !== null) device.hw_version = `PRM ${r.meter.prm}`
  return device
}

/**
 * The discovery config of one entity: `unique_id` = `linkyrpi_<meter>_<key>` (never a bare label,
 * so two meters never collide, and stable across versions), `default_entity_id` (the removed
 * `object_id`'s successor), the state topic with a template reading the entity's key, and the
 * meter's availability topic (whose last will says `offline`).
 */
export function discoveryMessage(
  spec: EntitySpec,
  meter: string,
  device: Record<string, unknown>,
  topics: MeterTopics,
  discoveryPrefix: string,
  lang: EntityLang,
): DiscoveryMessage {
  const uniqueId = `linkyrpi_${meter}_${spec.key}`
  const payload: Record<string, unknown> = {
    name: spec.name[lang],
    unique_id: uniqueId,
    default_entity_id: `${spec.component}.linky_${meter}_${spec.key}`,
    state_topic: topics.state,
    value_template: `{{ value_json.${spec.key} }}`,
    availability_topic: topics.availability,
    device,
    origin: ORIGIN,
  }
  if (spec.component === 'binary_sensor') {
    payload.payload_on = 'ON'
    payload.payload_off = 'OFF'
  }
  if (spec.deviceClass !== undefined) payload.device_class = spec.deviceClass
  if (spec.unit !== undefined) payload.unit_of_measurement = spec.unit
  if (spec.stateClass !== undefined) payload.state_class = spec.stateClass
  if (spec.category !== undefined) payload.entity_category = spec.category
  if (spec.icon !== undefined) payload.icon = spec.icon
  if (spec.options !== undefined) payload.options = spec.options
  if (spec.unit === 'Wh') payload.suggested_display_precision = 0
  return {
    topic: `${discoveryPrefix}/${spec.component}/linkyrpi_${meter}/${spec.key}/config`,
    payload,
  }
}
