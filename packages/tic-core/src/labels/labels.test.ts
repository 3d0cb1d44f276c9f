import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '../decoder.js'
import { encodeFrame } from '../encoder.js'
import { labelInfo } from './catalogue.js'
import type { LabelInfo } from './label-info.js'
import { LABELS } from './labels.js'

/** A plausible value for a label, honouring its charset and length. */
function sampleValue(info: LabelInfo): string {
  if (info.label === 'STGE') return '003A0000'
  if (info.label === 'PJOURF+1' || info.label === 'PPOINTE')
    return `00004001 06004002 22004001${' NONUTILE'.repeat(8)}`
  const len = info.length ?? 3
  if (info.charset === 'digits') return '7'.repeat(len).slice(0, len) || ''
  if (info.charset === 'hex') return 'A1'.repeat(len).slice(0, len)
  const text = info.mode === 'historique' ? 'HC..HC..HC..' : 'PAS DE MESSAGE  '
  return text.padEnd(len, '.').slice(0, len)
}

describe('label catalogue', () => {
  it('has the 34 historique and 71 standard labels of the specification, plus 4 field aliases', () => {
    expect(
      LABELS.filter(
        (l) => l.mode === 'historique' && l.aliasOf === undefined && l.label !== 'TENSION',
      ),
    ).toHaveLength(34)
    expect(LABELS.filter((l) => l.mode === 'standard' && l.aliasOf === undefined)).toHaveLength(71)
    expect(LABELS.filter((l) => l.aliasOf !== undefined).map((l) => l.label)).toEqual([
      'SINST1',
      'SMAXN',
      'SMAXN-1',
    ])
    expect(labelInfo('historique', 'TENSION')?.unit).toBe('V')
  })
  it('looks labels up per mode', () => {
    expect(labelInfo('historique', 'PAPP')?.unit).toBe('VA')
    expect(labelInfo('standard', 'PAPP')).toBeUndefined()
    expect(labelInfo('standard', 'SMAXSN-1')?.horodate).toBe(true)
  })
  it.each(LABELS.map((l) => [l.mode, l.label, l] as const))(
    '%s %s round-trips encode → decode',
    (mode, label, info) => {
      const value = info.label === 'DATE' ? '' : sampleValue(info)
      const horodate = info.horodate ? 'E240924225642' : undefined
      const bytes = encodeFrame(mode, [{ label, value, horodate }])
      const [event] = createTicDecoder().push(bytes)
      expect(event?.kind).toBe('frame')
      if (event?.kind !== 'frame') return
      expect(event.frame.rejected).toEqual([])
      expect(event.frame.groups).toEqual([{ label, value, horodate }])
      expect(event.frame.mode).toBe(mode)
    },
  )
})
