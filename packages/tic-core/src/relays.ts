/**
 * Decodes RELAIS (`000`-`255`) into 8 booleans, relay 1 (the real dry-contact relay) first;
 * true = contact closed (54E §6.2.3.19). Null when not a number in 0..255.
 */
export function parseRelays(raw: string | undefined): boolean[] | null {
  if (raw === undefined || !/^\d{1,3}$/.test(raw)) return null
  const v = Number(raw)
  if (v > 255) return null
  const out: boolean[] = []
  for (let i = 0; i < 8; i++) out.push(((v >> i) & 1) === 1)
  return out
}

/** The RELAIS value for 8 relay states (relay 1 first), zero-padded to 3 digits. */
export function formatRelays(relays: readonly boolean[]): string {
  let v = 0
  for (let i = 0; i < 8; i++) if (relays[i] === true) v |= 1 << i
  return String(v).padStart(3, '0')
}
