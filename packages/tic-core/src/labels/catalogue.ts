import type { TicMode } from '../mode.js'
import type { LabelInfo } from './label-info.js'
import { LABELS } from './labels.js'

const byMode: Record<TicMode, Map<string, LabelInfo>> = {
  historique: new Map(),
  standard: new Map(),
}
for (const info of LABELS) byMode[info.mode].set(info.label, info)

/**
 * The catalogue entry of `label` in `mode`, or undefined for a label outside the specification
 * (such labels are kept, not rejected: tic-spec.md §11.12).
 */
export function labelInfo(mode: TicMode, label: string): LabelInfo | undefined {
  return byMode[mode].get(label)
}
