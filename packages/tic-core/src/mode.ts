/** The two TIC modes (tic-spec.md §1.1): 1200 Bd with SP separators, 9600 Bd with HT separators. */
export type TicMode = 'historique' | 'standard'

/** A mode setting: a fixed mode, or `'auto'` to recognise it from the bytes. */
export type TicModeSetting = TicMode | 'auto'

/** Both modes, historique first (the Linky factory default and every older meter). */
export const TIC_MODES: readonly TicMode[] = ['historique', 'standard']
