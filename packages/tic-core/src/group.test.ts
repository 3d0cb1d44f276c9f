import { describe, expect, it } from 'vitest'
import { decodeGroup } from './group.js'
import type { DecodeGroupOptions, GroupResult } from './group.js'
import { bytesOf } from './testing/index.js'

/** Decodes the content of `LF … CR` given as text (without LF and CR). */
function dec(text: string, options?: DecodeGroupOptions): GroupResult {
  const b = bytesOf(text)
  return decodeGroup(b, 0, b.length, options)
}

function ok(text: string, options?: DecodeGroupOptions) {
  const r = dec(text, options)
  if (!r.ok) throw new Error(`rejected: ${r.rejection.reason} ${JSON.stringify(r.rejection.raw)}`)
  return r
}

function reason(text: string, options?: DecodeGroupOptions): string {
  const r = dec(text, options)
  return r.ok ? 'accepted' : r.rejection.reason
}

describe('decodeGroup — historique', () => {
  it('decodes label and data, raw', () => {
    const r = ok('ISOUSC 45 ?')
    expect(r.group).toEqual({ label: 'ISOUSC', value: '45', horodate: undefined })
    expect(r.mode).toBe('historique')
    expect(r.checksumMode).toBe('mode1')
  })
  it('accepts a checksum that is itself a space (PTEC HP..)', () => {
    expect(ok('PTEC HP..  ').group.value).toBe('HP..')
  })
  it('keeps values raw: dots are not stripped, zeros not removed', () => {
    expect(ok('OPTARIF HC.. <').group.value).toBe('HC..')
    expect(ok('HCHC 077089461 0').group.value).toBe('077089461')
  })
  it('refuses a mode-2 checksum unless asked for', () => {
    expect(reason('ISOUSC 45 _')).toBe('checksum')
    const r = ok('ISOUSC 45 _', { historiqueChecksums: ['mode2'] })
    expect(r.checksumMode).toBe('mode2')
    expect(reason('ISOUSC 45 ?', { historiqueChecksums: ['mode2'] })).toBe('checksum')
  })
  it('a flipped checksum is a value, not a throw', () => {
    const r = dec('ISOUSC 45 @')
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.rejection).toEqual({ raw: 'ISOUSC 45 @', reason: 'checksum', label: 'ISOUSC' })
  })
  it('refuses data of the wrong length or charset for a known label', () => {
    expect(reason(withSum('ISOUSC 045', ' '))).toBe('length')
    expect(reason(withSum('PAPP 0045A', ' '))).toBe('charset')
  })
  it('keeps unknown labels (TENSION and others)', () => {
    expect(ok(withSum('TENSION 233', ' ')).group).toEqual({
      label: 'TENSION',
      value: '233',
      horodate: undefined,
    })
    expect(ok('FOO BAR+1 ' + String.fromCharCode(sum('FOO BAR+1'))).group.label).toBe('FOO')
  })
  it('refuses malformed groups', () => {
    expect(reason('')).toBe('malformed')
    expect(reason('ISOUSC45?')).toBe('malformed')
    expect(reason('ISOUSC 45?')).toBe('malformed')
    expect(reason(' 45 1')).toBe('malformed')
    expect(reason('A B C ' + String.fromCharCode(sum('A B C')))).toBe('malformed')
  })
  it('refuses bad label characters', () => {
    const t = 'is0usc 45'
    expect(reason(`${t} ${String.fromCharCode(sum(t))}`)).toBe('label')
  })
  it('refuses an oversize group', () => {
    expect(reason(`MSG1 ${'A'.repeat(300)} A`)).toBe('oversize')
  })
  it('refuses the other mode when the mode is fixed', () => {
    expect(reason('ISOUSC 45 ?', { mode: 'standard' })).toBe('mode')
    expect(reason('SINSTS\t00263\tQ', { mode: 'historique' })).toBe('mode')
  })
})

describe('decodeGroup — standard', () => {
  it('decodes a group without horodate', () => {
    const r = ok('SINSTS\t00263\tQ')
    expect(r.group).toEqual({ label: 'SINSTS', value: '00263', horodate: undefined })
    expect(r.mode).toBe('standard')
  })
  it('decodes a group with horodate', () => {
    expect(ok('SMAXSN\tH240210110331\t00986\t6').group).toEqual({
      label: 'SMAXSN',
      value: '00986',
      horodate: 'H240210110331',
    })
  })
  it('decodes DATE with its empty data field', () => {
    expect(ok('DATE\tE240924225642\t\tH').group).toEqual({
      label: 'DATE',
      value: '',
      horodate: 'E240924225642',
    })
  })
  it('keeps inner and padding spaces of free text', () => {
    const t = 'LTARF\t HEURE  CREUSE  \t'
    expect(ok(t + String.fromCharCode(sum(t))).group.value).toBe(' HEURE  CREUSE  ')
  })
  it('accepts a horodate whose season is a space (DPM1) and lower-case (degraded clock)', () => {
    const t = 'DPM1\t 230213060000\t00\t'
    expect(ok(t + String.fromCharCode(sum(t))).group.horodate).toBe(' 230213060000')
    const d = 'DATE\th240210121355\t\t'
    expect(ok(d + String.fromCharCode(sum(d))).group.horodate).toBe('h240210121355')
  })
  it('refuses an invalid horodate, a missing one, and an extra one', () => {
    const bad = 'SMAXSN\tX240210110331\t00986\t'
    expect(reason(bad + String.fromCharCode(sum(bad)))).toBe('horodate')
    const feb30 = 'SMAXSN\tH240230110331\t00986\t'
    expect(reason(feb30 + String.fromCharCode(sum(feb30)))).toBe('horodate')
    const missing = 'SMAXSN\t00986\t'
    expect(reason(missing + String.fromCharCode(sum(missing)))).toBe('malformed')
    const extra = 'SINSTS\tH240210110331\t00263\t'
    expect(reason(extra + String.fromCharCode(sum(extra)))).toBe('malformed')
  })
  it('refuses too many fields', () => {
    const t = 'SINSTS\ta\tb\tc\t'
    expect(reason(t + String.fromCharCode(sum(t)))).toBe('malformed')
  })
  it('refuses a corrupted digit that the checksum happens to let through (charset)', () => {
    // Real transmission error seen in std_tri_tempo_noise: '0' → ' ' (bit 0x10 dropped).
    const t = 'SINSTS1\t0066 \t'
    expect(reason(t + String.fromCharCode(sum(t)))).toBe('charset')
  })
  it('refuses STGE that is not hex', () => {
    const t = 'STGE\t003A000G\t'
    expect(reason(t + String.fromCharCode(sum(t)))).toBe('charset')
  })
})

function sum(text: string): number {
  let s = 0
  for (let i = 0; i < text.length; i++) s += text.charCodeAt(i)
  // The standard area includes the final HT; the callers above pass it in the text.
  return (s & 0x3f) + 0x20
}

/** `area` + `sep` + its checksum (historique mode 1: `sep` not summed). */
function withSum(area: string, sep: string): string {
  return `${area}${sep}${String.fromCharCode(sum(area))}`
}
