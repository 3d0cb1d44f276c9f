import { merge } from 'rxjs'
import type { Observable, Subscription } from 'rxjs'
import type { NodeScope } from './node-scope.js'

/** A node's running state: `done` settles once it stopped; `stop()` asks it to stop. */
export interface NodeLifecycle {
  /** Resolves when every chain completed and every stage is disposed; rejects when a stage failed for good. */
  readonly done: Promise<void>
  /** Graceful shutdown: `requestStop` (completes sources), then after `shutdown.timeoutMs` whatever is left is cut. */
  stop(): void
}

/**
 * Subscribes to every output of a node (acks of its sinks, its NATS publishing), then disposes the
 * stages in reverse creation order and drains NATS once they complete, fail, or are cut at the
 * shutdown timeout; logs the diagnostics every `diagnostics.logIntervalMs`. `fatalError()` gives
 * the error a source failed with for good, if any, when the outputs complete.
 */
export function runNodeLifecycle(
  scope: NodeScope,
  outputs: readonly Observable<unknown>[],
  requestStop: () => void,
  fatalError: () => unknown,
): NodeLifecycle {
  const { config, logger, diagnostics } = scope
  let subscription: Subscription | undefined
  let cutTimer: ReturnType<typeof setTimeout> | undefined
  const summary = (): Record<string, unknown> => ({
    ...diagnostics.snapshot(),
    droppedBySink: diagnostics.dropped(),
  })
  const interval =
    config.diagnostics.logIntervalMs > 0
      ? setInterval(() => logger.info('diagnostics', summary()), config.diagnostics.logIntervalMs)
      : undefined
  interval?.unref()
  const finish = async (): Promise<void> => {
    if (interval !== undefined) clearInterval(interval)
    if (cutTimer !== undefined) clearTimeout(cutTimer)
    for (const d of scope.disposers.reverse()) {
      try {
        await d.dispose()
      } catch (error) {
        logger.error('dispose failed', { stage: d.id, error })
      }
    }
    if (scope.nats !== undefined)
      await scope.nats.nc
        .drain()
        .catch((error: unknown) => logger.warn('NATS drain failed', { error }))
    logger.info('node stopped', summary())
  }
  let cut: () => void = () => undefined
  const done = new Promise<void>((resolve, reject) => {
    cut = () => {
      subscription?.unsubscribe()
      logger.warn('shutdown timeout: stages cut before they finished', summary())
      finish().then(resolve, reject)
    }
    subscription = merge(...outputs).subscribe({
      error: (error: unknown) => {
        logger.error('node failed', { error })
        finish().then(
          () => reject(error instanceof Error ? error : new Error(String(error))),
          reject,
        )
      },
      complete: () => {
        finish().then(() => {
          const fatal = fatalError()
          if (fatal === undefined) resolve()
          else reject(fatal instanceof Error ? fatal : new Error(String(fatal)))
        }, reject)
      },
    })
  })
  let stopping = false
  return {
    done,
    stop() {
      if (stopping) return
      stopping = true
      logger.info('stopping: completing sources, flushing sinks', {
        timeoutMs: config.shutdown.timeoutMs,
      })
      requestStop()
      cutTimer = setTimeout(cut, config.shutdown.timeoutMs)
      cutTimer.unref()
    },
  }
}
