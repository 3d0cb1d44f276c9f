/**
 * `run --simulate SPEC`: the simulated meter's profile in one argument, e.g. `tempo,3,producer`.
 * Comma-separated words in any order: a tariff option (`base`, `hc`, `ejp`, `tempo`), the phases
 * (`1` or `3`, also `mono`/`tri`), `producer`, and a TIC mode (`historique`, `standard`).
 */
import { UsageError } from './commands/command.js'

/** A simulated meter profile: the fields of a `simulator` stage it sets. */
export interface SimulateSpec {
  readonly option?: 'base' | 'hc' | 'ejp' | 'tempo'
  readonly phases?: 1 | 3
  readonly producer?: true
  readonly mode?: 'historique' | 'standard'
}

const OPTIONS = new Set(['base', 'hc', 'ejp', 'tempo'])
const PHASES: Readonly<Record<string, 1 | 3>> = { '1': 1, mono: 1, '3': 3, tri: 3 }

/** The words a spec may hold, for messages. */
export const SIMULATE_SPEC_WORDS =
  'base|hc|ejp|tempo, 1|3 (mono|tri), producer, historique|standard'

/**
 * Parses a spec; throws UsageError listing every problem at once. A producer without a mode
 * gets standard mode (historique carries no production data).
 */
export function parseSimulateSpec(text: string): SimulateSpec {
  const problems: string[] = []
  const out: {
    option?: SimulateSpec['option']
    phases?: 1 | 3
    producer?: true
    mode?: SimulateSpec['mode']
  } = {}
  const words = text.split(',').map((w) => w.trim().toLowerCase())
  if (words.every((w) => w.length === 0)) problems.push('empty: give e.g. tempo,3,producer')
  const twice = (what: string, w: string): void => void problems.push(`'${w}': ${what} given twice`)
  for (const w of words) {
    if (w.length === 0) continue
    if (OPTIONS.has(w)) {
      if (out.option !== undefined) twice('the tariff option', w)
      out.option = w as SimulateSpec['option']
    } else if (w in PHASES) {
      if (out.phases !== undefined) twice('the phases', w)
      out.phases = PHASES[w]
    } else if (w === 'producer') out.producer = true
    else if (w === 'historique' || w === 'standard') {
      if (out.mode !== undefined) twice('the TIC mode', w)
      out.mode = w
    } else problems.push(`'${w}' is not one of ${SIMULATE_SPEC_WORDS}`)
  }
  if (out.producer === true && out.mode === 'historique')
    problems.push('producer needs standard mode: historique carries no production data')
  if (problems.length > 0) throw new UsageError(`--simulate '${text}': ${problems.join('; ')}`)
  if (out.producer === true && out.mode === undefined) out.mode = 'standard'
  return out
}
