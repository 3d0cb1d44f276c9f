import { catchError, connectable, EMPTY, Subject, takeUntil, tap } from 'rxjs'
import type { Connectable, Observable } from 'rxjs'
import type { Source } from '@linkyrpi/tic-core/stage'
import { StageFailedError } from '../errors.js'
import type { SourceDefinition } from '../stage-definition.js'
import { normalizeInstance } from './normalize-instance.js'
import { retryTransient } from './retry-transient.js'
import type { NodeScope } from './node-scope.js'

/**
 * Creates the node's sources, each shared (a local and a remote decoder never open the device
 * twice), retried with backoff on transient errors, completed by `stop$`; a source that fails for
 * good completes and is recorded as the node's fatal error. Connect them after every consumer subscribed.
 */
export async function wireSources(scope: NodeScope): Promise<Map<string, Connectable<Uint8Array>>> {
  const { diagnostics, di } = scope
  const bytes = new Map<string, Connectable<Uint8Array>>()
  for (const s of scope.plan.sources) {
    const ctx = scope.ctxOf(s.id)
    diagnostics.source(s.id)
    const instance = normalizeInstance<Source>(
      await (s.definition as SourceDefinition).create(s.options, ctx, di),
    )
    if (instance.dispose !== undefined)
      scope.disposers.push({ id: s.id, dispose: instance.dispose })
    const source$ = instance.stage.pipe(
      tap((chunk) => diagnostics.addBytes(s.id, chunk.length)),
      retryTransient({
        onRetry: (attempt, delayMs, error) => {
          ctx.logger.warn('source failed, retrying', { attempt, delayMs, error })
          diagnostics.report({ kind: 'state', stage: s.id, state: 'retrying', detail: { attempt } })
        },
      }),
      takeUntil(scope.stop$),
      catchError((error: unknown) => {
        ctx.logger.error('source failed', { error })
        scope.fatal(new StageFailedError(s.id, 'source failed', { cause: error }))
        return EMPTY
      }),
    )
    bytes.set(
      s.id,
      connectable(source$, {
        connector: () => new Subject<Uint8Array>(),
        resetOnDisconnect: false,
      }),
    )
  }
  return bytes
}

/** Raw bytes of remote sources, read from core NATS by the node's decoders (live), keyed by source id. */
export function wireRemoteBytes(scope: NodeScope): Map<string, Observable<Uint8Array>> {
  const remoteBytes = new Map<string, Observable<Uint8Array>>()
  for (const edge of scope.plan.consume) {
    if (edge.kind !== 'raw') continue
    if (scope.nats === undefined) throw new StageFailedError(edge.stage, 'NATS is not configured')
    remoteBytes.set(
      edge.from,
      scope.nats.bridge
        .rawNatsSource(scope.nats.nc, scope.config.site, edge.from)
        .pipe(takeUntil(scope.stop$)),
    )
  }
  return remoteBytes
}
