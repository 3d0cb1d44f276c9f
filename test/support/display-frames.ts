/**
 * Frames for the dashboard tests: meter profiles encoded with tic-core's encoder and decoded back
 * with `createPipelineFrameDecoder`, exactly as the pipeline would see them.
 */
import { createPipelineFrameDecoder, formatDayProfile, formatHorodate } from '@linkyrpi/tic-core'
import type { TicMode } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { buildFrame } from '@linkyrpi/tic-core/testing'

/** A group as `[label, value, horodate?]`. */
export type GroupTuple = readonly [string, string, string?]

/** Values a test can vary from frame to frame. */
export interface Live {
  /** Apparent power withdrawn, VA. */
  readonly va: number
  /** Injected power, VA (producer profile). */
  readonly injectedVA?: number
  /** Currents per phase, A (one or three). */
  readonly amps?: readonly number[]
  /** Energy added to the counting index since the first frame, Wh. */
  readonly addWh?: number
  /** MSG1 text (standard profiles). */
  readonly msg1?: string
  /** Time of the frame, epoch ms (default now): the meter clock (DATE) and the receive time. */
  readonly at?: number
  /** Period counting (`standard-mono-hc`; default `hp`): LTARF, NTARF and the STGE index bits. */
  readonly period?: 'hc' | 'hp'
  /** Subscribed power exceeded (`standard-mono-hc`): STGE bit 7. */
  readonly overpower?: boolean
}

/** The meter profiles the dashboard must adapt to. */
export type MeterProfile =
  | 'historique-mono-base'
  | 'historique-tri-tempo'
  | 'historique-mono-ejp'
  | 'standard-mono-hc'
  | 'standard-mono-tempo'
  | 'standard-tri-producer'

const pad = (n: number, width: number): string => String(Math.round(n)).padStart(width, '0')

/** The ADS of each profile. */
export const PROFILE_ADS: Readonly<Record<MeterProfile, string>> = {
  'historique-mono-base': '031428097115',
  'historique-tri-tempo': '031430123456',
  'historique-mono-ejp': '031422654321',
  'standard-mono-hc': '812164123456',
  'standard-mono-tempo': '812164777777',
  'standard-tri-producer': '812176654321',
}

/** Groups of one frame of `profile` with the live values `v`. */
export function profileGroups(
  profile: MeterProfile,
  v: Live,
  at: number,
): { mode: TicMode; groups: GroupTuple[] } {
  const add = v.addWh ?? 0
  const amps = v.amps ?? [Math.round(v.va / 230)]
  const ads = PROFILE_ADS[profile]
  switch (profile) {
    case 'historique-mono-base':
      return {
        mode: 'historique',
        groups: [
          ['ADCO', ads],
          ['OPTARIF', 'BASE'],
          ['ISOUSC', '30'],
          ['BASE', pad(12_345_678 + add, 9)],
          ['PTEC', 'TH..'],
          ['IINST', pad(amps[0] ?? 0, 3)],
          ['IMAX', '090'],
          ['PAPP', pad(v.va, 5)],
          ['HHPHC', 'A'],
          ['MOTDETAT', '000000'],
        ],
      }
    case 'historique-mono-ejp':
      return {
        mode: 'historique',
        groups: [
          ['ADCO', ads],
          ['OPTARIF', 'EJP.'],
          ['ISOUSC', '45'],
          ['EJPHN', pad(2_000_000 + add, 9)],
          ['EJPHPM', pad(300_000, 9)],
          ['PTEC', 'HN..'],
          ['PEJP', '30'],
          ['IINST', pad(amps[0] ?? 0, 3)],
          ['IMAX', '090'],
          ['PAPP', pad(v.va, 5)],
          ['HHPHC', 'A'],
          ['MOTDETAT', '000000'],
        ],
      }
    case 'historique-tri-tempo':
      return {
        mode: 'historique',
        groups: [
          ['ADCO', ads],
          ['OPTARIF', 'BBR('],
          ['ISOUSC', '20'],
          ['BBRHCJB', pad(1_000_000, 9)],
          ['BBRHPJB', pad(2_000_000, 9)],
          ['BBRHCJW', pad(300_000, 9)],
          ['BBRHPJW', pad(400_000 + add, 9)],
          ['BBRHCJR', pad(50_000, 9)],
          ['BBRHPJR', pad(60_000, 9)],
          ['PTEC', 'HPJW'],
          ['DEMAIN', 'ROUG'],
          ['IINST1', pad(amps[0] ?? 0, 3)],
          ['IINST2', pad(amps[1] ?? 0, 3)],
          ['IINST3', pad(amps[2] ?? 0, 3)],
          ['IMAX1', '060'],
          ['IMAX2', '060'],
          ['IMAX3', '060'],
          ['PMAX', '09000'],
          ['PAPP', pad(v.va, 5)],
          ['HHPHC', 'Y'],
          ['MOTDETAT', '000000'],
          ['PPOT', '00'],
        ],
      }
    case 'standard-mono-hc': {
      const h = formatHorodate(at)
      const index = v.period === 'hc' ? 1 : 2
      const stge = (0x00ca0000 | ((index - 1) << 10) | (v.overpower === true ? 0x80 : 0)) >>> 0
      return {
        mode: 'standard',
        groups: [
          ['ADSC', ads],
          ['VTIC', '02'],
          ['DATE', '', h],
          ['NGTF', 'H PLEINE/CREUSE'],
          ['LTARF', index === 1 ? 'HEURE CREUSE' : 'HEURE PLEINE'],
          ['EAST', pad(5_000_000 + add, 9)],
          ['EASF01', pad(2_000_000, 9)],
          ['EASF02', pad(3_000_000 + add, 9)],
          ['EASD01', pad(2_000_000, 9)],
          ['EASD02', pad(3_000_000 + add, 9)],
          ['EASD03', pad(0, 9)],
          ['EASD04', pad(0, 9)],
          ['IRMS1', pad(amps[0] ?? 0, 3)],
          ['URMS1', '231'],
          ['PREF', '06'],
          ['PCOUP', '06'],
          ['SINSTS', pad(v.va, 5)],
          ['SMAXSN', '04500', h],
          ['STGE', stge.toString(16).toUpperCase().padStart(8, '0')],
          ['MSG1', v.msg1 ?? 'PAS DE MESSAGE'],
          ['PRM', '09876543210123'],
          ['RELAIS', '001'],
          ['NTARF', pad(index, 2)],
          ['NJOURF', '00'],
          ['NJOURF+1', '00'],
          [
            'PJOURF+1',
            formatDayProfile([
              { startMinute: 0, supplierIndex: 1 },
              { startMinute: 360, supplierIndex: 2 },
              { startMinute: 1320, supplierIndex: 1 },
            ]),
          ],
        ],
      }
    }
    case 'standard-mono-tempo': {
      // A Linky on Tempo: ten supplier registers sent, six used; HP of a white day, red tomorrow.
      const h = formatHorodate(at)
      const stge = (0x00ca0000 | (3 << 10) | (2 << 24) | (3 << 26)) >>> 0
      return {
        mode: 'standard',
        groups: [
          ['ADSC', ads],
          ['VTIC', '02'],
          ['DATE', '', h],
          ['NGTF', 'TEMPO'],
          ['LTARF', 'HP BLANC'],
          ['EAST', pad(3_910_000 + add, 9)],
          ['EASF01', pad(1_000_000, 9)],
          ['EASF02', pad(2_000_000, 9)],
          ['EASF03', pad(300_000, 9)],
          ['EASF04', pad(400_000 + add, 9)],
          ['EASF05', pad(90_000, 9)],
          ['EASF06', pad(120_000, 9)],
          ['EASF07', pad(0, 9)],
          ['EASF08', pad(0, 9)],
          ['EASF09', pad(0, 9)],
          ['EASF10', pad(0, 9)],
          ['EASD01', pad(1_390_000, 9)],
          ['EASD02', pad(2_520_000 + add, 9)],
          ['EASD03', pad(0, 9)],
          ['EASD04', pad(0, 9)],
          ['IRMS1', pad(amps[0] ?? 0, 3)],
          ['URMS1', '230'],
          ['PREF', '09'],
          ['PCOUP', '09'],
          ['SINSTS', pad(v.va, 5)],
          ['SMAXSN', '05200', h],
          ['SMAXSN-1', '06100', h],
          ['STGE', stge.toString(16).toUpperCase().padStart(8, '0')],
          ['MSG1', 'PAS DE MESSAGE'],
          ['PRM', '09876543210777'],
          ['RELAIS', '000'],
          ['NTARF', '04'],
          ['NJOURF', '00'],
          ['NJOURF+1', '00'],
        ],
      }
    }
    case 'standard-tri-producer': {
      const h = formatHorodate(at)
      const [a1, a2, a3] = [amps[0] ?? 0, amps[1] ?? 0, amps[2] ?? 0]
      const tot = a1 + a2 + a3 || 1
      return {
        mode: 'standard',
        groups: [
          ['ADSC', ads],
          ['VTIC', '02'],
          ['DATE', '', h],
          ['NGTF', 'BASE'],
          ['LTARF', 'BASE'],
          ['EAST', pad(7_000_000 + add, 9)],
          ['EASF01', pad(7_000_000 + add, 9)],
          ['EAIT', pad(1_500_000, 9)],
          ['IRMS1', pad(a1, 3)],
          ['IRMS2', pad(a2, 3)],
          ['IRMS3', pad(a3, 3)],
          ['URMS1', '229'],
          ['URMS2', '232'],
          ['URMS3', '230'],
          ['PREF', '12'],
          ['PCOUP', '12'],
          ['SINSTS', pad(v.va, 5)],
          ['SINSTS1', pad((v.va * a1) / tot, 5)],
          ['SINSTS2', pad((v.va * a2) / tot, 5)],
          ['SINSTS3', pad((v.va * a3) / tot, 5)],
          ['SINSTI', pad(v.injectedVA ?? 0, 5)],
          ['SMAXIN', '03000', h],
          ['STGE', '00CA0700'],
          ['MSG1', v.msg1 ?? 'PAS DE MESSAGE'],
          ['PRM', '01234567890123'],
          ['RELAIS', '000'],
          ['NTARF', '01'],
        ],
      }
    }
  }
}

/** A stateful frame source for one meter: each call encodes, decodes and stamps one frame. */
export function createFrameFeed(
  profile: MeterProfile,
  source = 'meter',
): (v: Live) => PipelineFrame {
  const decoder = createPipelineFrameDecoder({ source })
  return (v) => {
    const at = v.at ?? Date.now()
    const { mode, groups } = profileGroups(profile, v, at)
    const frames: PipelineFrame[] = []
    decoder.write(buildFrame(mode, groups), () => at, { frame: (f) => frames.push(f) })
    const frame = frames[0]
    if (frame === undefined) throw new Error(`profile ${profile}: no frame decoded`)
    if (frame.rejected.length > 0)
      throw new Error(`profile ${profile}: rejected ${JSON.stringify(frame.rejected)}`)
    return frame
  }
}
