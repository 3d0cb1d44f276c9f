import { connectable, Subject, tap } from 'rxjs'
import type { Connectable, Observable } from 'rxjs'
import type { Decoder, PipelineFrame } from '@linkyrpi/tic-core/stage'
import { StageFailedError } from '../errors.js'
import type { DecoderDefinition } from '../stage-definition.js'
import { normalizeInstance } from './normalize-instance.js'
import type { NodeScope } from './node-scope.js'

/**
 * Creates the node's decoders over local or remote bytes; each one's frames are shared (connected
 * once every consumer is subscribed) and counted in the diagnostics.
 */
export async function wireDecoders(
  scope: NodeScope,
  bytes: ReadonlyMap<string, Observable<Uint8Array>>,
): Promise<Map<string, Connectable<PipelineFrame>>> {
  const { diagnostics, now } = scope
  const frames = new Map<string, Connectable<PipelineFrame>>()
  for (const d of scope.plan.decoders) {
    const source = d.from as string
    const input = bytes.get(source)
    if (input === undefined) throw new StageFailedError(d.id, `no input '${String(d.from)}'`)
    const instance = normalizeInstance<Decoder>(
      await (d.definition as DecoderDefinition).create(d.options, scope.ctxOf(d.id), scope.di, {
        source,
      }),
    )
    if (instance.dispose !== undefined)
      scope.disposers.push({ id: d.id, dispose: instance.dispose })
    const frames$ = input.pipe(
      instance.stage,
      tap((frame) => {
        diagnostics.addFrame(source, now())
        diagnostics.observeReading(frame, frame.meta.receivedAt)
      }),
    )
    frames.set(
      d.id,
      connectable(frames$, {
        connector: () => new Subject<PipelineFrame>(),
        resetOnDisconnect: false,
      }),
    )
  }
  return frames
}
