#!/usr/bin/env node
// tic-core decoding throughput (issue 2 §5). Builds a >= 50 MB stream per mode from the real
// captures in ../fixtures, then measures, in the same run and on the same bytes:
//   baseline   a straightforward decoder (split on ETX and CR LF, split fields, verify checksum,
//              build a label -> value object), written here as a peer project would;
//   framing    (a) framing + checksum + group decoding (createTicDecoder, no reading), with and
//              without the group memo;
//   reading    (b) the full mode-agnostic reading of every frame;
//   cli        `linkyrpi decode FILE --format summary` as a whole process (built dist).
// Prints one JSON line per measurement. Run: pnpm bench decode
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTicDecoder } from '../dist/index.js'
import { naiveDecode as baseline } from './naive-decoder.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const fixtures = join(here, '..', 'fixtures')
const cli = join(here, '..', '..', '..', 'apps', 'linkyrpi', 'dist', 'main.js')
const TARGET = 50 * 1024 * 1024
const CHUNK = 64 * 1024
const REPEATS = 5

function stream(prefix) {
  const parts = readdirSync(fixtures)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.tic'))
    .sort()
    .map((f) => readFileSync(join(fixtures, f)))
  const one = Buffer.concat(parts)
  const out = Buffer.alloc(Math.ceil(TARGET / one.length) * one.length)
  for (let o = 0; o < out.length; o += one.length) one.copy(out, o)
  return out
}

function ours(buf, options) {
  const d = createTicDecoder(options)
  let frames = 0
  let groups = 0
  let rejected = 0
  const onEvent = (e) => {
    if (e.kind !== 'frame') return
    frames++
    groups += e.frame.groups.length
    rejected += e.frame.rejected.length
  }
  for (let o = 0; o < buf.length; o += CHUNK) d.write(buf.subarray(o, o + CHUNK), onEvent)
  for (const e of d.end()) onEvent(e)
  return { frames, groups, rejected }
}

function measure(name, mode, buf, fn) {
  fn(buf.subarray(0, 4 * 1024 * 1024)) // warm-up
  let best = Infinity
  let result
  for (let i = 0; i < REPEATS; i++) {
    const t0 = process.hrtime.bigint()
    result = fn(buf)
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    best = Math.min(best, s)
  }
  const mbs = buf.length / 1e6 / best
  const line = {
    bench: 'tic-core/decode',
    variant: name,
    mode,
    MB: +(buf.length / 1e6).toFixed(1),
    MBps: +mbs.toFixed(1),
    framesPerSec: Math.round(result.frames / best),
    frames: result.frames,
    groups: result.groups,
    rejected: result.rejected,
  }
  console.log(JSON.stringify(line))
  return mbs
}

const dir = mkdtempSync(join(tmpdir(), 'linkyrpi-bench-'))
try {
  for (const [mode, prefix] of [
    ['historique', 'hist_'],
    ['standard', 'std_'],
  ]) {
    const buf = stream(prefix)
    const base = measure('baseline', mode, buf, baseline)
    const framing = measure('framing+checksum+groups', mode, buf, (b) =>
      ours(b, { reading: false }),
    )
    measure('framing+checksum+groups (memo off)', mode, buf, (b) =>
      ours(b, { reading: false, memo: false }),
    )
    measure('full reading', mode, buf, (b) => ours(b, { reading: true }))
    console.log(
      JSON.stringify({
        bench: 'tic-core/decode',
        variant: 'ratio framing/baseline',
        mode,
        ratio: +(framing / base).toFixed(2),
      }),
    )
    const file = join(dir, `${mode}.tic`)
    writeFileSync(file, buf)
    let best = Infinity
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint()
      const r = spawnSync(process.execPath, [cli, 'decode', file, '--format', 'summary'], {
        encoding: 'utf8',
      })
      if (r.status !== 0) throw new Error(`cli failed: ${r.stderr}`)
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9)
    }
    console.log(
      JSON.stringify({
        bench: 'tic-core/decode',
        variant: 'cli decode --format summary (whole process)',
        mode,
        MB: +(buf.length / 1e6).toFixed(1),
        MBps: +(buf.length / 1e6 / best).toFixed(1),
        ratioToFraming: +(buf.length / 1e6 / best / framing).toFixed(2),
      }),
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
