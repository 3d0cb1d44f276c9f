import { z } from 'zod'
import { decodeTic } from '../operators/decode-tic.js'
import type { DecoderDefinition } from '../stage-definition.js'

/** Options of the `tic-decode` stage. */
export const ticDecodeOptions = z.strictObject({
  /** `auto` (default: from each group's separator), `historique` or `standard`. */
  mode: z.enum(['auto', 'historique', 'standard']).default('auto'),
  /** Historique checksum rule: `auto` (default), `mode1` or `mode2`. */
  historiqueChecksum: z.enum(['auto', 'mode1', 'mode2']).default('auto'),
  /** Largest frame accepted, bytes (default 4096). */
  maxFrameBytes: z.number().int().min(64).max(65_536).default(4096),
})

/** `tic-decode`: the framer and decoder of tic-core over the bytes of its `from` source. */
export const ticDecodeStage: DecoderDefinition<z.output<typeof ticDecodeOptions>> = {
  role: 'decoder',
  summary: 'frames and decodes TIC bytes into readings',
  options: ticDecodeOptions,
  create: (options, ctx, _di, input) => decodeTic(ctx, { ...options, source: input.source }),
}
