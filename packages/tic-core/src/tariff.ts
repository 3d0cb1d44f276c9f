/** A Tempo day colour. */
export type TempoColour = 'blue' | 'white' | 'red'

/** A tariff option, mode-agnostic. */
export type TariffOption = 'base' | 'hc' | 'ejp' | 'tempo' | 'other'

/** The kind of a tariff period. */
export type PeriodCode = 'base' | 'hc' | 'hp' | 'hn' | 'pm'

/** A decoded historique PTEC value (tic-spec.md §4.2). */
export interface HistoriquePeriod {
  readonly code: PeriodCode
  /** Supplier index number this period counts on (Enedis-NOI-CPT_54E §6.1 mapping). */
  readonly index: number
  readonly tempoColour: TempoColour | null
}

/** OPTARIF → option; Tempo is matched on the `BBR` prefix (the 4th character codes relays). */
export function parseOptarif(raw: string | undefined): TariffOption | null {
  if (raw === undefined) return null
  if (raw === 'BASE') return 'base'
  if (raw === 'HC..') return 'hc'
  if (raw === 'EJP.') return 'ejp'
  if (raw.startsWith('BBR')) return 'tempo'
  return 'other'
}

const PTEC: Readonly<Record<string, HistoriquePeriod>> = {
  'TH..': { code: 'base', index: 1, tempoColour: null },
  'HC..': { code: 'hc', index: 1, tempoColour: null },
  'HP..': { code: 'hp', index: 2, tempoColour: null },
  'HN..': { code: 'hn', index: 1, tempoColour: null },
  'PM..': { code: 'pm', index: 2, tempoColour: null },
  HCJB: { code: 'hc', index: 1, tempoColour: 'blue' },
  HPJB: { code: 'hp', index: 2, tempoColour: 'blue' },
  HCJW: { code: 'hc', index: 3, tempoColour: 'white' },
  HPJW: { code: 'hp', index: 4, tempoColour: 'white' },
  HCJR: { code: 'hc', index: 5, tempoColour: 'red' },
  HPJR: { code: 'hp', index: 6, tempoColour: 'red' },
}

/** PTEC → period, index and Tempo colour; null for an unknown value. */
export function parsePtec(raw: string | undefined): HistoriquePeriod | null {
  return raw === undefined ? null : (PTEC[raw] ?? null)
}

/** DEMAIN → tomorrow's colour; null for `----` (not announced yet) or anything else. */
export function parseDemain(raw: string | undefined): TempoColour | null {
  switch (raw) {
    case 'BLEU':
      return 'blue'
    case 'BLAN':
      return 'white'
    case 'ROUG':
      return 'red'
    default:
      return null
  }
}

/**
 * Historique index labels → supplier index numbers, per option (Enedis-NOI-CPT_54E §6.1), so
 * that "index 2" means the same in both modes: HCHC=1 HCHP=2, EJPHN=1 EJPHPM=2, Tempo 1…6.
 */
export const HISTORIQUE_INDEX_LABELS: Readonly<Record<string, number>> = {
  BASE: 1,
  HCHC: 1,
  HCHP: 2,
  EJPHN: 1,
  EJPHPM: 2,
  BBRHCJB: 1,
  BBRHPJB: 2,
  BBRHCJW: 3,
  BBRHPJW: 4,
  BBRHCJR: 5,
  BBRHPJR: 6,
}

/** Collapses runs of spaces and trims (for NGTF/LTARF, whose padding is not significant). */
export function tidyText(raw: string | undefined): string | null {
  if (raw === undefined) return null
  const t = raw.replace(/ +/g, ' ').trim()
  return t.length === 0 ? null : t
}

/**
 * Guesses the option from the standard-mode calendar name (NGTF) and period label (LTARF);
 * null when neither says. A supplier may program any calendar: this is a best effort.
 */
export function optionFromLabels(ngtf: string | null, ltarf: string | null): TariffOption | null {
  const text = `${ngtf ?? ''} ${ltarf ?? ''}`.toUpperCase()
  if (text.trim().length === 0) return null
  if (/TEMPO|BLEU|BLANC|ROUGE/.test(text)) return 'tempo'
  if (/EJP|POINTE|HEURE NORMALE/.test(text)) return 'ejp'
  if (/CREUSE|PLEINE|\bHC\b|\bHP\b|HC-|HEURES? C/.test(text)) return 'hc'
  if (/\bBASE\b/.test(text)) return 'base'
  return 'other'
}

/** Tempo colour from an LTARF label (`HC BLEU`, `HP ROUGE`…), or null. */
export function tempoFromLabel(ltarf: string | null): TempoColour | null {
  if (ltarf === null) return null
  const t = ltarf.toUpperCase()
  if (t.includes('BLEU')) return 'blue'
  if (t.includes('BLANC')) return 'white'
  if (t.includes('ROUGE')) return 'red'
  return null
}

/** Period code from an LTARF label, or null. */
export function periodCodeFromLabel(ltarf: string | null): PeriodCode | null {
  if (ltarf === null) return null
  const t = ltarf.toUpperCase()
  if (/CREUSE|^HC\b|\bHC /.test(t)) return 'hc'
  if (/PLEINE|^HP\b|\bHP /.test(t)) return 'hp'
  if (/POINTE/.test(t)) return 'pm'
  if (/NORMALE/.test(t)) return 'hn'
  if (/BASE/.test(t)) return 'base'
  return null
}
