/**
 * What a UART set to `rxBaud` receives when the line carries 7E1 characters sent at `txBaud`:
 * the "wrong baud rate" garbage a TIC reader sees before it finds the meter's speed. The line is
 * sampled as a real receiver does (falling edge = start bit, data bits sampled mid-bit, LSB
 * first); bytes come out masked to 7 bits, as a 7E1 port delivers them.
 */
export function uartMisread(bytes: Uint8Array, txBaud: number, rxBaud: number): Uint8Array {
  if (txBaud === rxBaud) return bytes.slice()
  // Times in units of the transmitter's bit: character i occupies [10 i, 10 i + 10).
  const r = txBaud / rxBaud
  const total = bytes.length * 10
  const level = (t: number): number => {
    if (t < 0 || t >= total) return 1
    const i = Math.floor(t / 10)
    const bit = Math.floor(t - i * 10)
    const b = bytes[i]!
    if (bit === 0) return 0
    if (bit <= 7) return (b >> (bit - 1)) & 1
    if (bit === 8) {
      let p = 0
      for (let k = 0; k < 7; k++) p ^= (b >> k) & 1
      return p
    }
    return 1
  }
  const out: number[] = []
  const step = Math.min(1, r) / 4
  let t = 0
  let prev = 1
  while (t < total) {
    const l = level(t)
    if (prev === 1 && l === 0) {
      // Start bit detected at t: sample the 7 data bits in the middle of each receiver bit.
      let v = 0
      for (let k = 0; k < 7; k++) v |= level(t + (k + 1.5) * r) << k
      out.push(v)
      t += 9.5 * r // past parity, into the stop bit; then wait for the next falling edge
      prev = level(t)
      continue
    }
    prev = l
    t += step
  }
  return Uint8Array.from(out)
}
