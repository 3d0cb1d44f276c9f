import { EOT } from '@linkyrpi/tic-core'

/**
 * What the wire carries when a historique meter enters an overrun: the long frame in progress
 * (`long`) cut at the end of a group past its middle, EOT, then the first short frame `short`
 * (02E Tableau 6; tic-spec.md §1.4-1.5).
 */
export function interruptLongFrame(long: Uint8Array, short: Uint8Array): Uint8Array {
  let cut = Math.floor(long.length / 2)
  while (cut < long.length - 1 && long[cut] !== 0x0d) cut++
  const wire = new Uint8Array(cut + 2 + short.length)
  wire.set(long.subarray(0, cut + 1))
  wire[cut + 1] = EOT
  wire.set(short, cut + 2)
  return wire
}
