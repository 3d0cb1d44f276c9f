import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors.js'
import { loadConfig, parseConfig } from './load-config.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))

async function issuesOf(text: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await parseConfig(text, { env, baseDir: examples })
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('applies the schema defaults and resolves every stage', async () => {
    const config = await parseConfig(`
stages:
  meter: { type: simulator, speed: 0, frames: 3 }
  frames: { type: tic-decode, from: meter }
  out: { type: log, from: frames }
`)
    expect(config.site).toBe('home')
    expect(config.dataDir).toBe('./data')
    expect(config.diagnostics.logIntervalMs).toBe(300_000)
    expect(config.stages.meter?.role).toBe('source')
    expect(config.stages.frames?.options).toEqual({
      mode: 'auto',
      historiqueChecksum: 'auto',
      maxFrameBytes: 4096,
    })
    expect(config.stages.out?.node).toBe('main')
    expect(config.stages.out?.buffer).toEqual({
      size: 100,
      inFlight: 1000,
      overflow: 'drop-oldest',
    })
    expect(config.stages.out?.durable).toBe(false)
    expect(config.stages.frames?.definition.role).toBe('decoder')
  })

  it('deep-freezes the result', async () => {
    const config = await parseConfig(
      'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  o: { type: log, from: f }\n',
    )
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.stages.f?.options)).toBe(true)
    expect(() => {
      ;(config as { site: string }).site = 'x'
    }).toThrow(TypeError)
  })

  it('fills the NATS section with stream and consumer defaults', async () => {
    const config = await parseConfig(`
site: maison
nats: { servers: ["nats://10.0.0.2:4222"], credsFile: /etc/linkyrpi/pi.creds, tls: { caFile: /etc/ca.pem } }
stages:
  m: { type: simulator, node: pi }
  f: { type: tic-decode, from: m, node: pi }
  o: { type: log, from: f, node: server }
`)
    expect(config.nats?.stream).toMatchObject({
      storage: 'file',
      replicas: 1,
      duplicateWindowMs: 120_000,
      partitions: 1,
    })
    expect(config.nats?.consumer).toEqual({
      ackWaitMs: 60_000,
      maxAckPending: 5_000,
      batch: 256,
      leaseMs: 10_000,
    })
    expect(config.nats?.publish).toEqual({
      batchFrames: 1,
      batchMs: 20,
      timeoutMs: 5_000,
      wire: 'json',
    })
    expect(config.nats?.tls).toEqual({ caFile: '/etc/ca.pem', handshakeFirst: false })
  })

  it('validates NATS batching: at most 1 024 frames per message, a positive pull batch', async () => {
    const error = await parseConfig(`
nats: { publish: { batchFrames: 2000, batchMs: -1 }, consumer: { batch: 0 } }
stages:
  m: { type: simulator, node: pi }
  f: { type: tic-decode, from: m, node: pi }
  o: { type: log, from: f, node: server }
`).catch((e: unknown) => e)
    const text =
      String((error as Error).message) +
      JSON.stringify((error as { problems?: unknown }).problems ?? '')
    expect(text).toContain('nats.publish.batchFrames')
    expect(text).toContain('nats.publish.batchMs')
    expect(text).toContain('nats.consumer.batch')
  })

  it('reports every problem at once, each with its path', async () => {
    const issues = await issuesOf(`
version: 2
site: "Bad Site"
colour: blue
stages:
  meter: { type: simulator, speed: -1, seed: 1.5 }
  frames: { type: tic-decode, from: meter, mode: klingon }
  out: { type: log, from: nowhere, level: loud }
  x: { type: teleporter, from: frames }
`)
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^site: site must be lowercase/),
        expect.stringMatching(/^\(root\): .*colour/),
        expect.stringMatching(/^stages\.meter\.speed: /),
        expect.stringMatching(/^stages\.meter\.seed: /),
        expect.stringMatching(/^stages\.frames\.mode: /),
        expect.stringMatching(/^stages\.out\.level: /),
        expect.stringMatching(
          /^stages\.x\.type: unknown stage type 'teleporter' \(built-in: automation, display, log, metrics, mqtt, postgres, replay, serial, simulator, sqlite, tic-decode; or a module/,
        ),
      ]),
    )
    expect(issues.length).toBeGreaterThanOrEqual(8)
  })

  it('reports a missing from, roles in the wrong order and a missing nats section', async () => {
    const issues = await issuesOf(`
stages:
  m: { type: simulator, from: f }
  f: { type: tic-decode, node: pi }
  a: { type: log, from: m }
  b: { type: log, from: ghost }
  c: { type: log, from: f, node: server }
`)
    expect(issues).toEqual(
      expect.arrayContaining([
        'stages.m.from: a source reads from no other stage',
        'stages.f.from: a decoder must read from a source: every chain starts at a source',
        "stages.a.from: a sink reads from a decoder, but 'm' is a source",
        "stages.b.from: no stage named 'ghost'",
        "stages.c.from: 'c' runs on node 'server' and 'f' on node 'pi': an edge between nodes needs a 'nats' section",
      ]),
    )
  })

  it('reports cycles once', async () => {
    const issues = await issuesOf(`
stages:
  a: { type: tic-decode, from: b }
  b: { type: tic-decode, from: a }
  c: { type: log, from: a }
`)
    expect(issues.filter((i) => i.includes('cycle'))).toEqual(['stages.a.from: cycle: a → b → a'])
  })

  it('expands ${VAR} and ${VAR:-default}, and reports every unset variable', async () => {
    const config = await parseConfig(
      'site: ${SITE}\ndataDir: ${DATA:-/var/lib/linkyrpi}\nstages:\n  m: { type: simulator, seed: 3 }\n  f: { type: tic-decode, from: m }\n  o: { type: "${SINK_TYPE}", from: f }\n',
      { env: { SITE: 'chalet', SINK_TYPE: 'log' } },
    )
    expect(config.site).toBe('chalet')
    expect(config.dataDir).toBe('/var/lib/linkyrpi')
    const issues = await issuesOf(
      'site: ${NOPE}\nnats: { servers: ["${NATS_HOST}"], token: "a$$b" }\nstages: { m: { type: simulator } }\n',
    )
    expect(issues).toEqual(
      expect.arrayContaining([
        'site: environment variable NOPE is not set',
        'nats.servers[0]: environment variable NATS_HOST is not set',
      ]),
    )
  })

  it('reports YAML syntax errors with their line', async () => {
    const issues = await issuesOf('stages:\n  m: { type: simulator\n')
    expect(issues[0]).toMatch(/^line \d+:\d+: /)
  })

  it('loads a custom stage type from a module path and validates its options', async () => {
    const config = await parseConfig(
      'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  csv: { type: ./csv-sink.mjs, from: f, path: out/x.csv }\n',
      { baseDir: examples },
    )
    expect(config.stages.csv?.role).toBe('sink')
    expect(config.stages.csv?.durable).toBe(true)
    const issues = await issuesOf(
      'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  csv: { type: ./csv-sink.mjs, from: f, colour: red }\n  y: { type: ./missing.mjs, from: f }\n',
    )
    expect(issues).toEqual(
      expect.arrayContaining([
        'stages.csv: path: a file path is required',
        'stages.csv: colour: unknown option',
        expect.stringMatching(/^stages\.y\.type: cannot load module '\.\/missing\.mjs'/),
      ]),
    )
  })

  it('loads a custom stage type from an npm package (module:<name>) installed next to the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-npm-stage-'))
    const pkg = join(dir, 'node_modules', 'linkyrpi-stage-null')
    await mkdir(pkg, { recursive: true })
    await writeFile(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'linkyrpi-stage-null', type: 'module', exports: './index.js' }),
    )
    await writeFile(
      join(pkg, 'index.js'),
      "export const stage = { role: 'sink', summary: 'drops frames', create: () => (input) => input }\n",
    )
    const file = join(dir, 'linkyrpi.config.yaml')
    await writeFile(
      file,
      'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  n: { type: "module:linkyrpi-stage-null", from: f }\n  x: { type: "module:linkyrpi-stage-absent", from: f }\n',
    )
    await expect(loadConfig(file)).rejects.toThrow(
      /stages\.x\.type: cannot load module 'linkyrpi-stage-absent'/,
    )
    await writeFile(
      file,
      'stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  n: { type: "module:linkyrpi-stage-null", from: f }\n',
    )
    const config = await loadConfig(file)
    expect(config.stages.n).toMatchObject({ role: 'sink', type: 'module:linkyrpi-stage-null' })
    expect(config.stages.n?.definition.summary).toBe('drops frames')
  })

  it('loadConfig resolves module paths against the file and reports an unreadable file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linky-config-'))
    const file = join(dir, 'linkyrpi.config.yaml')
    await writeFile(
      file,
      `stages:\n  m: { type: simulator }\n  f: { type: tic-decode, from: m }\n  csv: { type: "${join(examples, 'csv-sink.mjs')}", from: f, path: out.csv }\n`,
    )
    const config = await loadConfig(file, { env: {} })
    expect(config.baseDir).toBe(dir)
    await expect(loadConfig(join(dir, 'absent.yaml'))).rejects.toThrow(
      /cannot read .*absent\.yaml: ENOENT/,
    )
  })
})
