import type { TempoColour } from '@linkyrpi/tic-core'
import { parisInstantOf } from '@linkyrpi/tic-core'
import type { ParisLocalTime } from '@linkyrpi/tic-core'
import type { TariffState } from './tariff-calendar.js'

const COLOUR_BITS: Readonly<Record<TempoColour, number>> = { blue: 1, white: 2, red: 3 }

/**
 * The status register STGE as sent (54E §6.2.3.14): 8 uppercase hex digits. Bit 0 dry contact
 * open, 7 over the reference power (`over`), 8 producer, 9 injecting (`exporting`), 10-13 supplier
 * index − 1, 14-15 distributor index − 1, then fixed: 17 standard mode, 19-20 Euridis enabled,
 * 21-22 PLC registered, 23 PLC synchronised; 24-25 Tempo today, 26-27 Tempo tomorrow, 28 EJP
 * notice (PM1), 30 EJP peak (PM1).
 */
export function stgeWord(
  tariff: TariffState,
  over: boolean,
  producer: boolean,
  exporting: boolean,
): string {
  let stge = 0
  if (!tariff.relayClosed) stge |= 1
  if (over) stge |= 1 << 7
  if (producer) stge |= 1 << 8
  if (exporting) stge |= 1 << 9
  stge |= (tariff.index - 1) << 10
  stge |= (tariff.distributorIndex - 1) << 14
  stge |= 1 << 17
  stge |= 1 << 19
  stge |= 2 << 21
  stge |= 1 << 23
  if (tariff.tempoToday !== null) stge |= COLOUR_BITS[tariff.tempoToday] << 24
  if (tariff.tempoTomorrow !== null) stge |= COLOUR_BITS[tariff.tempoTomorrow] << 26
  if (tariff.ejpNotice) stge |= 1 << 28
  if (tariff.ejpPeak) stge |= 1 << 30
  return (stge >>> 0).toString(16).toUpperCase().padStart(8, '0')
}

/** The eight relays (RELAIS): relay 1 is the dry contact the calendar drives, the others stay open. */
export function relayStates(tariff: TariffState): boolean[] {
  return [tariff.relayClosed, false, false, false, false, false, false, false]
}

/**
 * The mobile peak announced while an EJP notice or peak is on (DPM1/FPM1, 54E §6.2.3.17): 07:00
 * on the EJP day to 01:00 the next day, in epoch ms; null otherwise.
 */
export function announcedPeak(
  tariff: TariffState,
  lt: ParisLocalTime,
): { readonly start: number; readonly end: number } | null {
  if (!tariff.ejpNotice && !tariff.ejpPeak) return null
  const day = tariff.ejpNotice || lt.minuteOfDay >= 7 * 60 ? lt.dayNumber : lt.dayNumber - 1
  return { start: parisInstantOf(day, 7 * 60), end: parisInstantOf(day + 1, 60) }
}
