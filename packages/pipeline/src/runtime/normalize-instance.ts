import type { HistoryStore } from '@linkyrpi/tic-core/stage'
import type { StageInstance } from '../stage-definition.js'

/** A factory's result in one shape. */
export interface NormalizedInstance<S> {
  readonly stage: S
  readonly history: HistoryStore | undefined
  readonly dispose: (() => Promise<void>) | undefined
}

/** Accepts a bare stage (a function or an Observable) or `{ stage, history?, dispose? }`. */
export function normalizeInstance<S>(instance: StageInstance<S>): NormalizedInstance<S> {
  if (
    typeof instance === 'object' &&
    instance !== null &&
    'stage' in instance &&
    !('subscribe' in instance)
  ) {
    const wrapped = instance as { stage: S; history?: HistoryStore; dispose?: () => Promise<void> }
    return { stage: wrapped.stage, history: wrapped.history, dispose: wrapped.dispose }
  }
  return { stage: instance as S, history: undefined, dispose: undefined }
}
