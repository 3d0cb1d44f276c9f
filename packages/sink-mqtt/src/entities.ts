import type { TariffOption, TicReading } from '@linkyrpi/tic-core'

/** Languages of entity names (Home Assistant shows MQTT names as given). */
export type EntityLang = 'fr' | 'en'

/**
 * How an entity's value is released to the state topic: `measurement` (power, current, voltage)
 * at most once per `measurementIntervalMs`; `energy` (indexes) when it changes, at most once per
 * `energyIntervalMs`; `state` (period, colours, flags) at once when it changes.
 */
export type ThrottleClass = 'measurement' | 'energy' | 'state'

/** A value in the state JSON: numbers, text, `ON`/`OFF` for binary sensors, null when unknown. */
export type EntityValue = number | string | null

/** One Home Assistant entity of a meter. `key` is stable: it is the state JSON key and the `unique_id` suffix. */
export interface EntitySpec {
  /** Stable snake_case key (`apparent_power`, `index_3`, `relay_1`): never a TIC label. */
  readonly key: string
  readonly component: 'sensor' | 'binary_sensor'
  readonly name: Readonly<Record<EntityLang, string>>
  readonly deviceClass?: string
  readonly unit?: string
  readonly stateClass?: 'measurement' | 'total_increasing' | 'total'
  /** `diagnostic` entities are shown apart in Home Assistant. */
  readonly category?: 'diagnostic'
  readonly icon?: string
  /** Allowed states of an `enum` sensor. */
  readonly options?: readonly string[]
  readonly throttle: ThrottleClass
  /** The value in this reading. */
  readonly value: (r: TicReading) => EntityValue
}

const onOff = (b: boolean | null | undefined): EntityValue =>
  b === null || b === undefined ? null : b ? 'ON' : 'OFF'
const at = <T>(list: readonly (T | null)[] | null, i: number): T | null => list?.[i] ?? null

/** Names of the supplier indexes per option (Enedis-NOI-CPT_54E §6.1 numbering, the same in both modes). */
const INDEX_NAMES: Readonly<
  Record<'base' | 'hc' | 'ejp' | 'tempo', readonly (readonly [string, string])[]>
> = {
  base: [['Index Base', 'Index Base']],
  hc: [
    ['Index Heures Creuses', 'Index off-peak (HC)'],
    ['Index Heures Pleines', 'Index peak (HP)'],
  ],
  ejp: [
    ['Index Heures Normales', 'Index normal hours (HN)'],
    ['Index Pointe Mobile', 'Index mobile peak (PM)'],
  ],
  tempo: [
    ['Index HC Bleu', 'Index HC blue'],
    ['Index HP Bleu', 'Index HP blue'],
    ['Index HC Blanc', 'Index HC white'],
    ['Index HP Blanc', 'Index HP white'],
    ['Index HC Rouge', 'Index HC red'],
    ['Index HP Rouge', 'Index HP red'],
  ],
}

/**
 * The supplier indexes of a contract: every index the option defines (all six Tempo indexes from
 * the first frame, before any red day), or for an unknown option the indexes the meter counts
 * (non-zero, or the one counting now).
 */
export function contractIndexes(r: TicReading): number[] {
  const option: TariffOption | null = r.contract.option
  if (option !== null && option !== 'other') return INDEX_NAMES[option].map((_, i) => i + 1)
  const out = new Set<number>()
  for (const [k, v] of Object.entries(r.energy.importByIndexWh)) if (v > 0) out.add(Number(k))
  if (r.period.index !== null) out.add(r.period.index)
  return [...out].sort((a, b) => a - b)
}

function indexName(option: TariffOption | null, n: number): Record<EntityLang, string> {
  const names = option !== null && option !== 'other' ? INDEX_NAMES[option][n - 1] : undefined
  return names === undefined
    ? { fr: `Index ${String(n)}`, en: `Index ${String(n)}` }
    : { fr: names[0], en: names[1] }
}

const TEMPO = ['blue', 'white', 'red'] as const
const CUTOFF = [
  'closed',
  'overpower',
  'overvoltage',
  'load-shedding',
  'remote-order',
  'overheat-high-current',
  'overheat-low-current',
  'unknown',
] as const

const POWER: EntitySpec = {
  key: 'apparent_power',
  component: 'sensor',
  name: { fr: 'Puissance apparente', en: 'Apparent power' },
  deviceClass: 'apparent_power',
  unit: 'VA',
  stateClass: 'measurement',
  throttle: 'measurement',
  value: (r) => r.power.apparentVA,
}
const IMPORT_TOTAL: EntitySpec = {
  key: 'energy_import',
  component: 'sensor',
  name: { fr: 'Énergie soutirée totale', en: 'Energy imported (total)' },
  deviceClass: 'energy',
  unit: 'Wh',
  stateClass: 'total_increasing',
  throttle: 'energy',
  value: (r) => r.energy.importWh,
}
const EXPORT_TOTAL: EntitySpec = {
  key: 'energy_export',
  component: 'sensor',
  name: { fr: 'Énergie injectée totale', en: 'Energy exported (total)' },
  deviceClass: 'energy',
  unit: 'Wh',
  stateClass: 'total_increasing',
  throttle: 'energy',
  value: (r) => r.energy.exportWh,
}
const INJECTED_POWER: EntitySpec = {
  key: 'injected_power',
  component: 'sensor',
  name: { fr: 'Puissance injectée', en: 'Injected power' },
  deviceClass: 'apparent_power',
  unit: 'VA',
  stateClass: 'measurement',
  throttle: 'measurement',
  value: (r) => r.power.injectedVA,
}
const MAX_TODAY: EntitySpec = {
  key: 'max_power_today',
  component: 'sensor',
  name: { fr: 'Puissance max du jour', en: 'Maximum power today' },
  deviceClass: 'apparent_power',
  unit: 'VA',
  stateClass: 'measurement',
  throttle: 'state',
  value: (r) => r.power.maxTodayVA?.value ?? null,
}
const SUBSCRIBED: EntitySpec = {
  key: 'subscribed_power',
  component: 'sensor',
  name: { fr: 'Puissance souscrite', en: 'Subscribed power' },
  deviceClass: 'apparent_power',
  unit: 'VA',
  category: 'diagnostic',
  throttle: 'state',
  value: (r) => r.contract.subscribedVA,
}
const PERIOD: EntitySpec = {
  key: 'period',
  component: 'sensor',
  name: { fr: 'Période tarifaire', en: 'Tariff period' },
  icon: 'mdi:clock-outline',
  throttle: 'state',
  value: (r) => r.period.label,
}
const CONTRACT: EntitySpec = {
  key: 'contract',
  component: 'sensor',
  name: { fr: 'Option tarifaire', en: 'Tariff option' },
  icon: 'mdi:file-document-outline',
  category: 'diagnostic',
  throttle: 'state',
  value: (r) => r.contract.optionLabel,
}
const PRM: EntitySpec = {
  key: 'prm',
  component: 'sensor',
  name: { fr: 'PRM', en: 'PRM' },
  icon: 'mdi:identifier',
  category: 'diagnostic',
  throttle: 'state',
  value: (r) => r.meter.prm,
}
const MESSAGE: EntitySpec = {
  key: 'message',
  component: 'sensor',
  name: { fr: 'Message du compteur', en: 'Meter message' },
  icon: 'mdi:message-text-outline',
  category: 'diagnostic',
  throttle: 'state',
  value: (r) => r.messages.msg1,
}
const TEMPO_TODAY: EntitySpec = {
  key: 'tempo_today',
  component: 'sensor',
  name: { fr: 'Couleur Tempo du jour', en: 'Tempo colour today' },
  deviceClass: 'enum',
  options: TEMPO,
  icon: 'mdi:palette',
  throttle: 'state',
  value: (r) => r.period.tempoToday,
}
const TEMPO_TOMORROW: EntitySpec = {
  key: 'tempo_tomorrow',
  component: 'sensor',
  name: { fr: 'Couleur Tempo de demain', en: 'Tempo colour tomorrow' },
  deviceClass: 'enum',
  options: TEMPO,
  icon: 'mdi:palette-outline',
  throttle: 'state',
  value: (r) => r.period.tempoTomorrow,
}
const OVERPOWER: EntitySpec = {
  key: 'overpower',
  component: 'binary_sensor',
  name: { fr: 'Dépassement de puissance', en: 'Overpower' },
  deviceClass: 'problem',
  throttle: 'state',
  value: (r) => onOff(r.alerts.includes('overpower')),
}
const PEAK_NOTICE: EntitySpec = {
  key: 'peak_notice',
  component: 'binary_sensor',
  name: { fr: 'Préavis EJP / pointe mobile', en: 'EJP / mobile peak notice' },
  icon: 'mdi:alert-outline',
  throttle: 'state',
  value: (r) => onOff(r.alerts.includes('peak-notice')),
}
const PEAK_ACTIVE: EntitySpec = {
  key: 'peak_active',
  component: 'binary_sensor',
  name: { fr: 'Pointe mobile en cours', en: 'Mobile peak in progress' },
  icon: 'mdi:flash-alert',
  throttle: 'state',
  value: (r) => onOff(r.alerts.includes('peak-active')),
}
/** STGE (standard mode) flags and the cut-off state. */
const STATUS: readonly EntitySpec[] = [
  {
    key: 'cutoff',
    component: 'sensor',
    name: { fr: 'Organe de coupure', en: 'Cut-off device' },
    deviceClass: 'enum',
    options: CUTOFF,
    icon: 'mdi:electric-switch',
    throttle: 'state',
    value: (r) => r.status?.cutoff ?? null,
  },
  {
    key: 'cover_open',
    component: 'binary_sensor',
    name: { fr: 'Cache-bornes ouvert', en: 'Terminal cover open' },
    deviceClass: 'tamper',
    category: 'diagnostic',
    throttle: 'state',
    value: (r) => onOff(r.status?.coverOpen),
  },
  {
    key: 'overvoltage',
    component: 'binary_sensor',
    name: { fr: 'Surtension', en: 'Overvoltage' },
    deviceClass: 'problem',
    throttle: 'state',
    value: (r) => onOff(r.status?.overvoltage),
  },
  {
    key: 'clock_degraded',
    component: 'binary_sensor',
    name: { fr: 'Horloge dégradée', en: 'Clock degraded' },
    deviceClass: 'problem',
    category: 'diagnostic',
    throttle: 'state',
    value: (r) => onOff(r.status?.clockDegraded),
  },
  {
    key: 'dry_contact',
    component: 'binary_sensor',
    name: { fr: 'Contact sec ouvert', en: 'Dry contact open' },
    deviceClass: 'opening',
    throttle: 'state',
    value: (r) => onOff(r.status?.dryContactOpen),
  },
]
const INJECTING: EntitySpec = {
  key: 'injecting',
  component: 'binary_sensor',
  name: { fr: 'Injection en cours', en: 'Injecting' },
  deviceClass: 'power',
  throttle: 'state',
  value: (r) => onOff(r.status?.injecting),
}

function phaseSuffix(n: number, tri: boolean): string {
  return tri ? ` L${String(n)}` : ''
}

/**
 * The entities of a meter for this reading: only what the meter sends (a single-phase meter gets
 * no L2/L3 entities; export entities only for a producer; relays and STGE flags only in standard
 * mode), but every index of its contract at once. Deterministic: the same reading gives the same
 * list, in the same order.
 */
export function entitiesOf(r: TicReading): EntitySpec[] {
  const out: EntitySpec[] = []
  const tri = r.meter.phases === 3
  if (r.power.apparentVA !== null) out.push(POWER)
  const byPhase = r.power.apparentVAByPhase
  if (tri && byPhase !== null) {
    for (let n = 1; n <= 3; n++) {
      out.push({
        key: `apparent_power_l${String(n)}`,
        component: 'sensor',
        name: { fr: `Puissance apparente L${String(n)}`, en: `Apparent power L${String(n)}` },
        deviceClass: 'apparent_power',
        unit: 'VA',
        stateClass: 'measurement',
        throttle: 'measurement',
        value: (x) => at(x.power.apparentVAByPhase, n - 1),
      })
    }
  }
  const phases = tri ? 3 : 1
  if (r.current.rmsA !== null) {
    for (let n = 1; n <= phases; n++) {
      out.push({
        key: `current_l${String(n)}`,
        component: 'sensor',
        name: { fr: `Courant${phaseSuffix(n, tri)}`, en: `Current${phaseSuffix(n, tri)}` },
        deviceClass: 'current',
        unit: 'A',
        stateClass: 'measurement',
        throttle: 'measurement',
        value: (x) => at(x.current.rmsA, n - 1),
      })
    }
  }
  if (r.voltage.rmsV !== null) {
    for (let n = 1; n <= phases; n++) {
      out.push({
        key: `voltage_l${String(n)}`,
        component: 'sensor',
        name: { fr: `Tension${phaseSuffix(n, tri)}`, en: `Voltage${phaseSuffix(n, tri)}` },
        deviceClass: 'voltage',
        unit: 'V',
        stateClass: 'measurement',
        throttle: 'measurement',
        value: (x) => at(x.voltage.rmsV, n - 1),
      })
    }
  }
  if (r.energy.importWh !== null || Object.keys(r.energy.importByIndexWh).length > 0)
    out.push(IMPORT_TOTAL)
  for (const n of contractIndexes(r)) {
    out.push({
      key: `index_${String(n)}`,
      component: 'sensor',
      name: indexName(r.contract.option, n),
      deviceClass: 'energy',
      unit: 'Wh',
      stateClass: 'total_increasing',
      throttle: 'energy',
      value: (x) => x.energy.importByIndexWh[n] ?? null,
    })
  }
  if (r.meter.producer) {
    out.push(EXPORT_TOTAL)
    if (r.power.injectedVA !== null) out.push(INJECTED_POWER)
    if (r.status !== null) out.push(INJECTING)
  }
  if (r.power.maxTodayVA !== null) out.push(MAX_TODAY)
  if (r.contract.subscribedVA !== null) out.push(SUBSCRIBED)
  if (r.period.label !== null) out.push(PERIOD)
  if (r.contract.optionLabel !== null) out.push(CONTRACT)
  if (r.meter.prm !== null) out.push(PRM)
  if (r.messages.msg1 !== null) out.push(MESSAGE)
  if (r.contract.option === 'tempo') out.push(TEMPO_TODAY, TEMPO_TOMORROW)
  out.push(OVERPOWER)
  if (r.contract.option === 'ejp' || r.status !== null) out.push(PEAK_NOTICE, PEAK_ACTIVE)
  if (r.status !== null) out.push(...STATUS)
  if (r.relays !== null) {
    for (let n = 1; n <= 8; n++) {
      out.push({
        key: `relay_${String(n)}`,
        component: 'binary_sensor',
        name: { fr: `Relais ${String(n)}`, en: `Relay ${String(n)}` },
        icon: 'mdi:electric-switch-closed',
        throttle: 'state',
        value: (x) => onOff(at(x.relays, n - 1)),
      })
    }
  }
  return out
}

/**
 * What decides the entity list, as a short string: the list is rebuilt only when this changes
 * (a few frames per run), not on every frame.
 */
export function entityShape(r: TicReading): string {
  const idx =
    r.contract.option === null || r.contract.option === 'other' ? contractIndexes(r).join(',') : ''
  return [
    r.meter.phases,
    r.meter.producer ? 'p' : '',
    r.contract.option,
    idx,
    r.power.apparentVA === null ? '' : 'a',
    r.power.apparentVAByPhase === null ? '' : 'A',
    r.power.injectedVA === null ? '' : 'i',
    r.power.maxTodayVA === null ? '' : 'm',
    r.current.rmsA === null ? '' : 'c',
    r.voltage.rmsV === null ? '' : 'v',
    r.energy.importWh === null ? '' : 'e',
    r.contract.subscribedVA === null ? '' : 's',
    r.period.label === null ? '' : 'l',
    r.contract.optionLabel === null ? '' : 'o',
    r.meter.prm === null ? '' : 'P',
    r.messages.msg1 === null ? '' : 'M',
    r.status === null ? '' : 'S',
    r.relays === null ? '' : 'R',
  ].join('|')
}
