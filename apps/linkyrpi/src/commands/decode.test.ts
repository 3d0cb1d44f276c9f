import { PassThrough, Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CommandIo } from './command.js'
import { UsageError } from './command.js'
import { decodeCommand } from './decode.js'

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../../packages/tic-core/fixtures/${name}`, import.meta.url))

interface FrameLine {
  readonly groups: readonly unknown[]
  readonly reading: Readonly<Record<string, unknown>> & {
    readonly meter: unknown
    readonly contract: unknown
    readonly period: unknown
  }
}

async function run(args: string[], stdin: Uint8Array = new Uint8Array()) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (c: Buffer) => out.push(c))
  stderr.on('data', (c: Buffer) => err.push(c))
  const io: CommandIo = {
    stdout,
    stderr,
    stdin: Readable.from([stdin]),
    env: {},
    signal: new AbortController().signal,
  }
  const code = await decodeCommand.run(args, io)
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

describe('linkyrpi decode', () => {
  it('prints one JSON object per complete frame with the documented names', async () => {
    const r = await run([fixture('hist_mono_tempo_pyteleinfo.tic')])
    expect(r.code).toBe(0)
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FrameLine)
    expect(lines).toHaveLength(10)
    const first = lines[0]!
    expect(Object.keys(first)).toEqual(['mode', 'short', 'groups', 'rejected', 'reading'])
    expect(first.groups[0]).toEqual({ label: 'ADCO', value: '021861348497' })
    expect(first.reading.meter).toMatchObject({
      id: '021861348497',
      mode: 'historique',
      phases: 1,
      kind: 'linky',
      producer: false,
    })
    expect(first.reading.contract).toMatchObject({ option: 'tempo', subscribedVA: 6000 })
    expect(first.reading.period).toMatchObject({ tempoToday: 'blue', tempoTomorrow: 'red' })
    expect(r.stderr).toContain('frames: 10')
  })

  it('summary prints nothing on stdout and a health report on stderr', async () => {
    const r = await run([
      fixture('std_tri_tempo_noise_lains_teleinfo-nom_raw.tic'),
      '--format',
      'summary',
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('frames: 7')
    expect(r.stderr).toContain('groups rejected: 10')
    expect(r.stderr).toContain('checksum 10')
    expect(r.stderr).toContain('outside-frame 1180')
    expect(r.stderr).toContain('meter 041776199277: standard, 3-phase, linky, option tempo')
    expect(r.stderr).toContain('healthy: no')
  })

  it('reads standard input and renders the pretty view', async () => {
    const { readFileSync } = await import('node:fs')
    const r = await run(
      ['-', '--format', 'pretty'],
      readFileSync(fixture('hist_mono_hc_cbemm_blogexample.tic')),
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('PTEC')
    expect(r.stdout).toContain('"HP.."')
    expect(r.stdout).toContain('460 VA')
  })

  it('a fixed mode rejects groups of the other mode (exit 0)', async () => {
    const r = await run([
      fixture('hist_mono_hc_cbemm_blogexample.tic'),
      '--mode',
      'standard',
      '--format',
      'summary',
    ])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('mode 11')
  })

  it('exits 1 on an unreadable file, and throws a usage error on bad arguments', async () => {
    const r = await run(['/nonexistent/capture.tic'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ENOENT')
    await expect(run(['--format', 'xml'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--mode', 'turbo'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['a.tic', 'b.tic'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--bogus'])).rejects.toBeInstanceOf(UsageError)
  })
})

describe('linkyrpi decode on a timed recording', () => {
  it('decodes a .ticrec recording like the raw bytes it holds', async () => {
    const { encodeRecord, encodeRecordingHeader } = await import('@linkyrpi/source-serial')
    const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const raw = readFileSync(fixture('hist_mono_tempo_pyteleinfo.tic'))
    const header = encodeRecordingHeader({
      startedAt: '2024-01-01T00:00:00Z',
      source: 'test',
      baudRate: 1200,
      mode: 'historique',
    })
    const half = Math.floor(raw.length / 2)
    const file = join(mkdtempSync(join(tmpdir(), 'linkyrpi-decode-')), 'capture.ticrec')
    writeFileSync(
      file,
      Buffer.concat([
        header,
        encodeRecord(0, raw.subarray(0, half)),
        encodeRecord(500, raw.subarray(half)),
      ]),
    )
    const fromRecording = await run([file])
    const fromRaw = await run([fixture('hist_mono_tempo_pyteleinfo.tic')])
    expect(fromRecording.code).toBe(0)
    expect(fromRecording.stdout).toBe(fromRaw.stdout)
  })
})
