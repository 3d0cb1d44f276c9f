/**
 * The Home Assistant entities each meter profile gets from its first frame (docs/home-assistant.md
 * lists the same). A single-phase meter has no L2/L3 entity; only a producer has export entities;
 * relays and STGE flags exist in standard mode only; every index of the contract is announced at
 * once (six for Tempo).
 */
export const EXPECTED_ENTITIES = {
  'historique, single-phase, Base': ['apparent_power', 'current_l1', 'energy_import', 'index_1', 'subscribed_power', 'period', 'contract', 'overpower'],
  'historique, three-phase, Tempo': [
    'apparent_power',
    'current_l1',
    'current_l2',
    'current_l3',
    'energy_import',
    'index_1',
    'index_2',
    'index_3',
    'index_4',
    'index_5',
    'index_6',
    'subscribed_power',
    'period',
    'contract',
    'tempo_today',
    'tempo_tomorrow',
    'overpower',
  ],
  'historique, EJP': ['apparent_power', 'current_l1', 'energy_import', 'index_1', 'index_2', 'subscribed_power', 'period', 'contract', 'overpower', 'peak_notice', 'peak_active'],
  'historique, CBEMM without PAPP, HC': ['current_l1', 'energy_import', 'index_1', 'index_2', 'subscribed_power', 'period', 'contract', 'overpower'],
  'standard, single-phase, HC': [
    ...['apparent_power', 'current_l1', 'voltage_l1', 'energy_import', 'index_1', 'index_2', 'max_power_today', 'subscribed_power', 'period', 'contract', 'prm', 'message'],
    ...['overpower', 'peak_notice', 'peak_active', 'cutoff', 'cover_open', 'overvoltage', 'clock_degraded', 'dry_contact'],
    ...['relay_1', 'relay_2', 'relay_3', 'relay_4', 'relay_5', 'relay_6', 'relay_7', 'relay_8'],
  ],
  'standard, single-phase, Tempo': [
    ...['apparent_power', 'current_l1', 'voltage_l1', 'energy_import', 'index_1', 'index_2', 'index_3', 'index_4', 'index_5', 'index_6'],
    ...['max_power_today', 'subscribed_power', 'period', 'contract', 'prm', 'message', 'tempo_today', 'tempo_tomorrow'],
    ...['overpower', 'peak_notice', 'peak_active', 'cutoff', 'cover_open', 'overvoltage', 'clock_degraded', 'dry_contact'],
    ...['relay_1', 'relay_2', 'relay_3', 'relay_4', 'relay_5', 'relay_6', 'relay_7', 'relay_8'],
  ],
  'standard, three-phase, producer': [
    ...['apparent_power', 'apparent_power_l1', 'apparent_power_l2', 'apparent_power_l3', 'current_l1', 'current_l2', 'current_l3'],
    ...['voltage_l1', 'voltage_l2', 'voltage_l3', 'energy_import', 'index_1', 'energy_export', 'injected_power', 'injecting'],
    ...['max_power_today', 'subscribed_power', 'period', 'contract', 'prm', 'message'],
    ...['overpower', 'peak_notice', 'peak_active', 'cutoff', 'cover_open', 'overvoltage', 'clock_degraded', 'dry_contact'],
    ...['relay_1', 'relay_2', 'relay_3', 'relay_4', 'relay_5', 'relay_6', 'relay_7', 'relay_8'],
  ],
} as const satisfies Readonly<Record<string, readonly string[]>>
