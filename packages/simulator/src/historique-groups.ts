import type { TempoColour, TicAlert } from '@linkyrpi/tic-core'
import type { FrameContext } from './frame-context.js'
import type { FrameBody, FrameGroups } from './frame-groups.js'
import { pad } from './frame-text.js'
import type { SimulatedOption } from './tariff-calendar.js'

const OPTARIF: Readonly<Record<SimulatedOption, string>> = {
  base: 'BASE',
  hc: 'HC..',
  ejp: 'EJP.',
  tempo: 'BBR(',
}
const INDEX_LABELS: Readonly<Record<SimulatedOption, readonly string[]>> = {
  base: ['BASE'],
  hc: ['HCHC', 'HCHP'],
  ejp: ['EJPHN', 'EJPHPM'],
  tempo: ['BBRHCJB', 'BBRHPJB', 'BBRHCJW', 'BBRHPJW', 'BBRHCJR', 'BBRHPJR'],
}
const COLOUR_LETTER: Readonly<Record<TempoColour, string>> = { blue: 'B', white: 'W', red: 'R' }
const DEMAIN: Readonly<Record<TempoColour, string>> = { blue: 'BLEU', white: 'BLAN', red: 'ROUG' }

/**
 * Appends the groups of a historique frame to `groups`: a long frame, or when `short` the short
 * frame a three-phase meter sends during an overrun (ADIRn, ADCO, IINSTn; 02E §6.2).
 */
export function historiqueGroups(groups: FrameGroups, c: FrameContext, short: boolean): FrameBody {
  const { o, id, tariff, m } = c
  const { amps, overrun, phaseIdx } = m
  const tri = o.phases === 3
  const alerts = new Set<TicAlert>()
  const byIndex: Record<number, number> = {}
  let importWh = 0
  const apparent = o.meter === 'cbemm' && !o.icc ? null : Math.round(m.apparentVA / 10) * 10
  if (short) {
    for (const p of phaseIdx) if (overrun[p]) groups.add(`ADIR${String(p + 1)}`, pad(amps[p]!, 3))
    groups.addFixed('ADCO', id.ads)
    for (const p of phaseIdx) groups.add(`IINST${String(p + 1)}`, pad(amps[p]!, 3))
    if (overrun.some(Boolean)) alerts.add('overpower')
  } else {
    groups.addFixed('ADCO', id.ads)
    groups.addFixed('OPTARIF', OPTARIF[o.option])
    groups.addFixed('ISOUSC', pad(id.isousc, 2))
    const registers = c.energy.registers
    INDEX_LABELS[o.option].forEach((label, i) => {
      const wh = Math.floor(registers[i + 1]!)
      groups.add(label, pad(wh, 9))
      byIndex[i + 1] = wh
      importWh += wh
    })
    if (o.option === 'ejp' && (tariff.ejpNotice || tariff.ejpPeak)) groups.add('PEJP', '30')
    const ptec =
      o.option === 'base'
        ? 'TH..'
        : o.option === 'hc'
          ? tariff.offPeak
            ? 'HC..'
            : 'HP..'
          : o.option === 'ejp'
            ? tariff.ejpPeak
              ? 'PM..'
              : 'HN..'
            : `${tariff.offPeak ? 'HC' : 'HP'}J${COLOUR_LETTER[tariff.tempoToday!]}`
    groups.add('PTEC', ptec)
    if (o.option === 'tempo')
      groups.add('DEMAIN', tariff.tempoTomorrow === null ? '----' : DEMAIN[tariff.tempoTomorrow])
    const linky = o.meter === 'linky'
    const { imax } = c.stats
    if (tri) {
      for (const p of phaseIdx) groups.add(`IINST${String(p + 1)}`, pad(amps[p]!, 3))
      for (const p of phaseIdx) groups.add(`IMAX${String(p + 1)}`, linky ? '060' : pad(imax[p]!, 3))
      groups.add('PMAX', pad(linky ? c.stats.maxTotal.prevValue : c.stats.pmaxW, 5))
      groups.add('PAPP', pad(apparent ?? 0, 5))
    } else {
      groups.add('IINST', pad(amps[0]!, 3))
      if (overrun[0]) {
        groups.add('ADPS', pad(amps[0]!, 3))
        alerts.add('overpower')
      }
      groups.add('IMAX', linky ? '090' : pad(imax[0]!, 3))
      if (apparent !== null) groups.add('PAPP', pad(apparent, 5))
    }
    groups.addFixed('HHPHC', 'A')
    groups.addFixed('MOTDETAT', '000000')
    if (tri) groups.addFixed('PPOT', '00')
    if (tariff.ejpNotice) alerts.add('peak-notice')
    if (tariff.ejpPeak) alerts.add('peak-active')
  }
  const rmsA = phaseIdx.map((p) => amps[p]!)
  return {
    alerts,
    importWh,
    byIndex,
    exportWh: null,
    rmsA,
    apparent,
    injected: null,
    relays: null,
    time: null,
  }
}
