/** What a slot does to the dry contact (action word bits 14-15). */
export type DryContactAction = 'none' | 'tempo' | 'open' | 'close'

/** One time slot of PJOURF+1 or PPOINTE (tic-spec.md §8.3). */
export interface DayProfileSlot {
  /** Start time `HH:MM` (local legal time). */
  readonly start: string
  /** Minutes after midnight of `start`. */
  readonly startMinute: number
  /** The 16-bit action word as 4 hex characters. */
  readonly action: string
  /** Supplier index switched to (1-10), or null for "no change". */
  readonly supplierIndex: number | null
  /** Virtual contacts 1-7 (index 0 = contact 1): true = closed. */
  readonly virtualContacts: readonly boolean[]
  /** Dry-contact action. */
  readonly dryContact: DryContactAction
}

const DRY: readonly DryContactAction[] = ['none', 'tempo', 'open', 'close']

/**
 * Decodes a next-day profile (`PJOURF+1`, `PPOINTE`): up to 11 blocks `HHMMSSSS` separated by
 * spaces, `NONUTILE` for unused slots. Null when a used block is malformed.
 */
export function parseDayProfile(raw: string | undefined): DayProfileSlot[] | null {
  if (raw === undefined) return null
  const blocks = raw.split(' ').filter((b) => b.length > 0)
  const slots: DayProfileSlot[] = []
  for (const b of blocks) {
    if (b === 'NONUTILE') continue
    if (!/^\d{4}[0-9A-Fa-f]{4}$/.test(b)) return null
    const hh = Number(b.slice(0, 2))
    const mm = Number(b.slice(2, 4))
    if (hh > 23 || mm > 59) return null
    const word = parseInt(b.slice(4), 16)
    const idx = word & 0x0f
    const contacts: boolean[] = []
    for (let i = 0; i < 7; i++) contacts.push(((word >> (4 + i)) & 1) === 1)
    slots.push({
      start: `${b.slice(0, 2)}:${b.slice(2, 4)}`,
      startMinute: hh * 60 + mm,
      action: b.slice(4).toUpperCase(),
      supplierIndex: idx >= 1 && idx <= 10 ? idx : null,
      virtualContacts: contacts,
      dryContact: DRY[(word >> 14) & 3]!,
    })
  }
  return slots
}

/** Formats slots as the 98-character PJOURF+1 value, padding with `NONUTILE`. */
export function formatDayProfile(
  slots: readonly {
    startMinute: number
    supplierIndex: number | null
    dryContact?: DryContactAction
    virtualContacts?: readonly boolean[]
  }[],
): string {
  const blocks: string[] = []
  for (const s of slots.slice(0, 11)) {
    let word = s.supplierIndex ?? 0
    s.virtualContacts?.forEach((on, i) => {
      if (on && i < 7) word |= 1 << (4 + i)
    })
    word |= DRY.indexOf(s.dryContact ?? 'none') << 14
    const hh = String(Math.floor(s.startMinute / 60)).padStart(2, '0')
    const mm = String(s.startMinute % 60).padStart(2, '0')
    blocks.push(hh + mm + word.toString(16).toUpperCase().padStart(4, '0'))
  }
  while (blocks.length < 11) blocks.push('NONUTILE')
  return blocks.join(' ')
}
