/**
 * A chunk of bytes that carries its own receive time, `receivedAt`, epoch milliseconds: the
 * instant its last byte was (or, for a simulator, would have been) received. A source whose
 * clock is not the wall clock (the simulator) stamps each chunk; a decoder then uses the stamp
 * of the chunk that completes a frame as that frame's `meta.receivedAt` instead of `ctx.now()`.
 * A plain `Uint8Array` (a serial port's chunks) has no stamp. The stamp is a property of the
 * array object: it survives an in-process hand-off, not a copy or a trip over NATS.
 */
export type TimedChunk = Uint8Array & { readonly receivedAt?: number }

/**
 * Returns `bytes` stamped with `receivedAt` (epoch ms): the same object, with the property added
 * (no copy). Stamp a view (`subarray`) rather than an array that is emitted more than once.
 */
export function stampChunk(bytes: Uint8Array, receivedAt: number): TimedChunk {
  return Object.assign(bytes, { receivedAt })
}
