import { Observable } from 'rxjs'
import { z } from 'zod'
import { serialSource } from '@linkyrpi/source-serial'
import type { SerialBinding } from '@linkyrpi/source-serial'
import type { SourceDefinition } from '../stage-definition.js'
import { defined } from './defined.js'
import { StageFailedError } from '../errors.js'
import { SERIAL_BINDING } from '../tokens.js'

/** Options of the `serial` source (see docs/sources.md). */
export const serialStageOptions = z.strictObject({
  /** Device path (default `/dev/serial0`, the Raspberry Pi's UART). */
  path: z.string().min(1).default('/dev/serial0'),
  /** `auto` (default: detect the rate and mode), `historique` (1200 Bd) or `standard` (9600 Bd). */
  mode: z.enum(['auto', 'historique', 'standard']).default('auto'),
  /** Candidate rates tried in auto mode, Bd (default [1200, 9600]). */
  baudRates: z.array(z.number().int().positive()).min(1).optional(),
  /** Time listened at each candidate rate, ms (default 5000). */
  detectWindowMs: z.number().int().positive().optional(),
  /** Detect again after this long without a valid frame, ms (default 30 000; 0 = never). */
  silenceMs: z.number().int().nonnegative().optional(),
  /** Reopen the device after it disappears (default true). */
  reconnect: z.boolean().optional(),
})

/**
 * `serial`: a TIC on a serial port (`@linkyrpi/source-serial`), 7E1 with rate/mode detection and
 * reconnection. The OS binding comes from the container ({@link SERIAL_BINDING}: the app registers
 * `@serialport/bindings-cpp`, tests MockBinding). Its state changes (detecting, locked,
 * disconnected…) are reported to the diagnostics.
 */
export const serialStage: SourceDefinition<z.output<typeof serialStageOptions>> = {
  role: 'source',
  summary: 'a TIC on a serial port (detection, reconnection)',
  options: serialStageOptions,
  create: (options, ctx, di) => {
    if (!di.isRegistered(SERIAL_BINDING, true))
      throw new StageFailedError(
        ctx.stage,
        'no serial binding registered (run it through the linkyrpi app)',
      )
    const source = serialSource({
      ...defined(options),
      binding: di.resolve(SERIAL_BINDING) as SerialBinding,
      now: ctx.now,
      logger: ctx.logger,
    })
    return new Observable<Uint8Array>((subscriber) => {
      const states = source.state$.subscribe((state) =>
        ctx.diagnostics.report({
          kind: 'state',
          stage: ctx.stage,
          state: state.status,
          detail: { mode: state.mode, baudRate: state.baudRate, reason: state.reason },
        }),
      )
      const bytes = source.subscribe(subscriber)
      return () => {
        bytes.unsubscribe()
        states.unsubscribe()
      }
    })
  },
}
