import { resolve } from 'node:path'
import { z } from 'zod'
import { replaySource } from '@linkyrpi/source-serial'
import type { SourceDefinition } from '../stage-definition.js'

/** Options of the `replay` source. */
export const replayStageOptions = z.strictObject({
  /** A capture file: a LinkyRPi recording (timing kept) or raw bytes. */
  path: z.string().min(1),
  /** 1 = original pace (default), N = N times faster, `max` = as fast as possible. */
  speed: z.union([z.number().positive(), z.literal('max')]).default(1),
  /** Mode of a raw capture (sets its pace; default: detected). */
  mode: z.enum(['historique', 'standard']).optional(),
})

/** `replay`: replays a capture file (`@linkyrpi/source-serial`); completes at the end of the file. */
export const replayStage: SourceDefinition<z.output<typeof replayStageOptions>> = {
  role: 'source',
  summary: 'replays a capture or recording file',
  options: replayStageOptions,
  create: (options, ctx) => {
    ctx.diagnostics.report({
      kind: 'state',
      stage: ctx.stage,
      state: 'replaying',
      ...(options.mode !== undefined ? { detail: { mode: options.mode } } : {}),
    })
    return replaySource(resolve(options.path), {
      speed: options.speed,
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
    })
  },
}
