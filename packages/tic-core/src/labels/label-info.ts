import type { TicMode } from '../mode.js'

/** Allowed characters of a label's data field. */
export type LabelCharset =
  /** `0`-`9` only (indexes, powers, currents, counters). */
  | 'digits'
  /** `0`-`9` and `A`-`F` (STGE, PPOT, ADS addresses whose type code may be hex). */
  | 'hex'
  /** Any printable character of the mode (free text such as MSG1, NGTF, PJOURF+1). */
  | 'text'

/** What the catalogue knows of one label (tic-spec.md §4.1 and §5). */
export interface LabelInfo {
  /** The TIC mode that sends this label. */
  readonly mode: TicMode
  /** The label verbatim, as sent (`'PAPP'`, `'NJOURF+1'`). */
  readonly label: string
  /** Plain-English meaning. */
  readonly description: string
  /** Unit of the value (`'Wh'`, `'VA'`, `'A'`, `'V'`, `'kVA'`, `'W'`, `'min'`, `'VArh'`), or null. */
  readonly unit: string | null
  /** Number of data characters, or null when not fixed. */
  readonly length: number | null
  /** When true, `length` is a maximum (space-padded free text), not an exact length. */
  readonly lengthIsMax?: boolean
  /** True when the group carries a horodate (standard mode only). */
  readonly horodate: boolean
  /** Which installations send it. */
  readonly phases: 'mono' | 'tri' | 'both'
  /** True when only producer installations send it. */
  readonly producer: boolean
  /** Allowed characters in the data field. */
  readonly charset: LabelCharset
  /** For field aliases (pilot Linky), the standard label it stands for. */
  readonly aliasOf?: string
}
