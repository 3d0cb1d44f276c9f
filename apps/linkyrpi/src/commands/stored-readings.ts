import type { ReceivedReading } from '@linkyrpi/automation'
import { storedSamples } from '@linkyrpi/store'
import type { Store } from '@linkyrpi/store'
import { parsePtec, tempoFromLabel } from '@linkyrpi/tic-core'
import type { TicAlert, TicReading } from '@linkyrpi/tic-core'

const ALERTS: readonly TicAlert[] = [
  'overpower',
  'overvoltage',
  'cutoff-open',
  'cover-open',
  'clock-degraded',
  'phase-missing',
  'peak-notice',
  'peak-active',
]

/**
 * Readings rebuilt from a store's history of one meter over [from, to), in time order, for
 * `automation simulate --store`: each stored sample (power per phase, currents, period, short
 * frame) over the meter's latest reading (identity, contract), with the facts the store keeps as
 * events replayed in order: the period label (Tempo colour of the day), tomorrow's announced
 * colour (forgotten when the Tempo day changes at 06:00), RELAIS, and alerts (overpower, notices…).
 * A fact the store only records when it changes is unknown before its first change (tomorrow's
 * colour announced before the history starts, for instance).
 * Reads the samples window by window from the tables ({@link storedSamples}: bounded memory, no
 * unpacking of every block of the meter as a query on the `samples` view would).
 */
export async function* storedReadings(
  store: Store,
  meter: string,
  from: number,
  to: number,
): AsyncGenerator<ReceivedReading> {
  const latest = await store.history.latest(meter)
  if (latest === null) throw new TypeError(`no reading of meter '${meter}' in the store`)
  const base = latest.reading
  // Events are few (changes only): read them all, oldest first.
  const events = [
    ...(await store.history.events(meter, from - 86_400_000 * 2, to, 1_000_000)),
  ].reverse()
  let e = 0
  // Before the first period change, the period's label is the one that change left.
  const firstChange = events.find((x) => x.kind === 'period-change')
  let label: string | null =
    typeof firstChange?.detail.fromLabel === 'string' ? firstChange.detail.fromLabel : null
  let tomorrow: TicReading['period']['tempoTomorrow'] = null
  let relays: TicReading['relays'] = null
  const alerts = new Set<TicAlert>()
  for await (const s of storedSamples(store.engine, meter, from, to)) {
    const t = s.t
    for (; e < events.length && events[e]!.t <= t; e++) {
      const ev = events[e]!
      const d = ev.detail
      if (ev.kind === 'period-change') {
        const fromColour =
          tempoFromLabel(label) ?? parsePtec(label ?? undefined)?.tempoColour ?? null
        label = typeof d.label === 'string' ? d.label : label
        const toColour = tempoFromLabel(label) ?? parsePtec(label ?? undefined)?.tempoColour ?? null
        // A new Tempo day: yesterday's "tomorrow" is today now.
        if (toColour !== fromColour) tomorrow = null
      } else if (ev.kind === 'tempo-announced') tomorrow = (d.colour as typeof tomorrow) ?? null
      else if (ev.kind === 'relay-change') relays = Array.isArray(d.to) ? (d.to as boolean[]) : null
      else if ((ALERTS as readonly string[]).includes(ev.kind)) alerts.add(ev.kind as TicAlert)
      else if (ev.kind.endsWith('-end')) alerts.delete(ev.kind.slice(0, -4) as TicAlert)
    }
    const tri = s.va1 !== null || s.i2 !== null
    const reading: TicReading = {
      ...base,
      period: {
        ...base.period,
        index: s.period_index,
        label,
        code: s.period_code,
        tempoToday: tempoFromLabel(label) ?? parsePtec(label ?? undefined)?.tempoColour ?? null,
        tempoTomorrow: tomorrow,
      },
      power: {
        ...base.power,
        apparentVA: s.va,
        apparentVAByPhase: s.va1 === null ? null : [s.va1, s.va2, s.va3],
      },
      current: {
        ...base.current,
        rmsA: tri ? [s.i1, s.i2, s.i3] : s.i1 === null ? null : [s.i1],
        overrunA: null,
      },
      relays: relays ?? base.relays,
      status: null,
      alerts: [...alerts],
      time: null,
      short: s.short === 1,
    }
    yield { reading, receivedAt: t }
  }
}
