/** PPOT decoded (historique three-phase, tic-spec.md §4.2): which phases lack potential. */
export interface Ppot {
  /** The 2 hex characters as sent. */
  readonly raw: string
  /** Phases 1-3 without potential (index 0 = phase 1): true = missing. */
  readonly missingPhases: readonly [boolean, boolean, boolean]
}

/** Decodes PPOT (`00` = all present, `02` = phase 1 missing…); null unless 2 hex digits. */
export function parsePpot(raw: string | undefined): Ppot | null {
  if (raw === undefined || !/^[0-9A-F]{2}$/.test(raw)) return null
  const p = parseInt(raw, 16)
  return { raw, missingPhases: [(p & 2) !== 0, (p & 4) !== 0, (p & 8) !== 0] }
}
