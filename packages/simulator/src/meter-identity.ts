import { pad } from './frame-text.js'
import { hash32 } from './random.js'
import type { ResolvedSimulatorOptions } from './resolve-simulator-options.js'

/** What identifies the simulated meter and its contract; fixed for its lifetime, drawn from the seed. */
export interface MeterIdentity {
  /** Meter address, 12 digits (ADCO / ADSC): manufacturer, type code, serial. */
  readonly ads: string
  /** Delivery point number, 14 digits (PRM). */
  readonly prm: string
  /** Subscribed current per phase in A (ISOUSC): subscribed VA / 200 V, divided by 3 on three-phase. */
  readonly isousc: number
  /** Subscribed apparent power in VA. */
  readonly subscribedVA: number
}

const OPTION_CODE = { base: 1, hc: 2, ejp: 3, tempo: 4 } as const

/**
 * The identity of the meter `o` describes. The serial is drawn from the seed and the profile
 * (option, phases, producer, hardware), so two simulated contracts never share one meter id
 * unless they share a profile; the TIC mode is left out (one Linky speaks both).
 */
export function meterIdentity(o: ResolvedSimulatorOptions): MeterIdentity {
  const subscribedVA = o.subscribedKVA * 1000
  const profile = OPTION_CODE[o.option] * 16 + (o.producer ? 8 : 0) + o.phases
  const serial = pad(hash32(o.seed, 0xad5, profile, o.meter.charCodeAt(2)) % 1_000_000, 6)
  const typeCode =
    o.meter === 'linky'
      ? o.phases === 3
        ? '63'
        : '61'
      : o.meter === 'cbetm'
        ? '30'
        : o.option === 'tempo'
          ? '01'
          : '22'
  return {
    ads: (o.meter === 'linky' ? '0221' : '0305') + typeCode + serial,
    prm: pad(hash32(o.seed, 0x9f3) % 100_000_000, 8) + pad(hash32(o.seed, 0x9f4) % 1_000_000, 6),
    isousc: Math.round(subscribedVA / 200 / (o.phases === 3 ? 3 : 1)),
    subscribedVA,
  }
}
