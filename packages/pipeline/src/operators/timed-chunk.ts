/**
 * A chunk of bytes that carries its own receive time. Replays and simulators stamp each chunk
 * with the time it was (or would have been) received, epoch ms; {@link decodeTic} then uses it
 * as `meta.receivedAt` of the frame completed by that chunk instead of `ctx.now()`. A plain
 * `Uint8Array` (a serial port's chunks) has no stamp.
 */
export type TimedChunk = Uint8Array & { readonly receivedAt?: number }

/** Returns `bytes` stamped with `receivedAt` (the same object, with a property added). */
export function stampChunk(bytes: Uint8Array, receivedAt: number): TimedChunk {
  return Object.assign(bytes, { receivedAt })
}
