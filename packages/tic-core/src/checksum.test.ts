import { describe, expect, it } from 'vitest'
import { checksum, checksumOfString } from './checksum.js'
import { bytesOf } from './testing/index.js'

// Worked examples of tic-spec.md §3.5.
describe('checksum', () => {
  it('historique mode 1 sums label SP data: ISOUSC 45 → ?', () => {
    expect(String.fromCharCode(checksumOfString('ISOUSC 45'))).toBe('?')
  })
  it('historique mode 2 also sums the final SP: ISOUSC 45 → _', () => {
    expect(String.fromCharCode(checksumOfString('ISOUSC 45 '))).toBe('_')
  })
  it('can be a space: PTEC HP.. → SP', () => {
    expect(checksumOfString('PTEC HP..')).toBe(0x20)
  })
  it('HCHC 014460852 → $', () => {
    expect(String.fromCharCode(checksumOfString('HCHC 014460852'))).toBe('$')
  })
  it('standard sums up to and including the last HT: SINSTS 00263 → Q', () => {
    expect(String.fromCharCode(checksumOfString('SINSTS\t00263\t'))).toBe('Q')
  })
  it('standard with horodate: SMAXSN H240210110331 00986 → 6', () => {
    expect(String.fromCharCode(checksumOfString('SMAXSN\tH240210110331\t00986\t'))).toBe('6')
  })
  it('standard DATE with empty data → H', () => {
    expect(String.fromCharCode(checksumOfString('DATE\tE240924225642\t\t'))).toBe('H')
  })
  it('mode 2 = mode 1 XOR 0x60', () => {
    for (const text of ['ISOUSC 45', 'PTEC HP..', 'HCHC 014460852', 'ADCO 021861348497']) {
      expect(checksumOfString(`${text} `)).toBe(checksumOfString(text) ^ 0x60)
    }
  })
  it('byte and string forms agree, and only 7 bits count', () => {
    const b = bytesOf('ISOUSC 45')
    expect(checksum(b)).toBe(checksumOfString('ISOUSC 45'))
    const high = b.map((x) => x | 0x80)
    expect(checksum(high)).toBe(checksum(b))
    expect(checksum(bytesOf('xxISOUSC 45yy'), 2, 11)).toBe(checksum(b))
  })
})
