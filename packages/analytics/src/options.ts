/** Tariff options the analytics prices. */
export const PRICED_OPTIONS = ['base', 'hc', 'tempo', 'ejp'] as const

/** A priced tariff option: Base, Heures pleines / Heures creuses, Tempo, EJP. */
export type PricedOption = (typeof PRICED_OPTIONS)[number]

/**
 * The price periods of each option, in supplier index order: index n (1-10, as in
 * `reading.energy.importByIndexWh`) counts the energy of period `PERIODS[option][n - 1]`
 * (Enedis-NOI-CPT_54E §6.1; the same numbering in historique and standard TIC).
 */
export const PERIODS: Readonly<Record<PricedOption, readonly string[]>> = {
  base: ['base'],
  hc: ['hc', 'hp'],
  tempo: ['blue-hc', 'blue-hp', 'white-hc', 'white-hp', 'red-hc', 'red-hp'],
  ejp: ['hn', 'pm'],
}

const PERIOD_LABELS: Readonly<Record<string, string>> = {
  base: 'Base',
  hc: 'Heures creuses',
  hp: 'Heures pleines',
  'blue-hc': 'Tempo bleu HC',
  'blue-hp': 'Tempo bleu HP',
  'white-hc': 'Tempo blanc HC',
  'white-hp': 'Tempo blanc HP',
  'red-hc': 'Tempo rouge HC',
  'red-hp': 'Tempo rouge HP',
  hn: 'EJP heures normales',
  pm: 'EJP pointe mobile',
}

/** True for an option the catalogue prices. */
export function isPricedOption(option: string | null | undefined): option is PricedOption {
  return option === 'base' || option === 'hc' || option === 'tempo' || option === 'ejp'
}

/** The price period of supplier index `index` under `option`, or null (unknown option or index). */
export function periodOfIndex(option: string | null, index: number): string | null {
  if (!isPricedOption(option)) return null
  return PERIODS[option][index - 1] ?? null
}

/** A readable name of supplier index `index` under `option` ("Tempo bleu HC"), or `Index n`. */
export function indexLabel(option: string | null, index: number): string {
  const period = periodOfIndex(option, index)
  return period === null ? `Index ${index}` : (PERIOD_LABELS[period] ?? period)
}

/** A readable name of a price period ("Heures creuses"). */
export function periodLabel(period: string): string {
  return PERIOD_LABELS[period] ?? period
}
