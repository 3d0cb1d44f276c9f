/**
 * Runs `displaySink` over a Subject for the dashboard tests and the benchmark: a silent stage
 * context, the bound URL, the acks, and `push`/`complete` to drive it.
 */
import { Subject } from 'rxjs'
import { displaySink } from '@linkyrpi/sink-display'
import type { DisplaySinkOptions } from '@linkyrpi/sink-display'
import type { Ack, Logger, PipelineFrame, StageContext } from '@linkyrpi/tic-core/stage'

/** A logger that records warnings and errors (tests assert on them when useful). */
export function recordingLogger(records: string[] = []): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => void records.push(`warn ${m}`),
    error: (m) => void records.push(`error ${m}`),
    child: () => logger,
  }
  return logger
}

/** A stage context for the display sink. */
export function displayContext(stage = 'dashboard', records: string[] = []): StageContext {
  return {
    stage,
    logger: recordingLogger(records),
    diagnostics: { report: () => undefined },
    now: () => Date.now(),
  }
}

/** A running dashboard fed by a Subject. */
export interface DashboardHarness {
  readonly url: string
  readonly acks: Ack[]
  readonly logs: string[]
  push(frame: PipelineFrame): void
  /** Completes the input and resolves when the sink completed (server closed). */
  complete(): Promise<void>
}

/** Starts the sink on port 0 of 127.0.0.1 and resolves once it listens. */
export async function startDashboard(options: DisplaySinkOptions = {}): Promise<DashboardHarness> {
  const input = new Subject<PipelineFrame>()
  const acks: Ack[] = []
  const logs: string[] = []
  let done!: () => void
  let fail!: (e: unknown) => void
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve
    fail = reject
  })
  const url = await new Promise<string>((resolve, reject) => {
    const sink = displaySink(
      { host: '127.0.0.1', port: 0, ...options, onListening: (l) => resolve(l.url) },
      displayContext('dashboard', logs),
    )
    sink(input).subscribe({
      next: (a) => acks.push(a),
      error: (e: unknown) => {
        reject(e)
        fail(e)
      },
      complete: () => done(),
    })
  })
  return {
    url,
    acks,
    logs,
    push: (frame) => input.next(frame),
    complete: async () => {
      input.complete()
      await finished
    },
  }
}
