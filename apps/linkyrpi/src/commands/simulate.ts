import { createWriteStream } from 'node:fs'
import { performance } from 'node:perf_hooks'
import type { Writable } from 'node:stream'
import { simulatorSource } from '@linkyrpi/pipeline'
import { encodeRecord, encodeRecordingHeader } from '@linkyrpi/source-serial'
import { createMeterSimulator, parseOffPeakHours, simulatedFrames } from '@linkyrpi/simulator'
import type {
  MeterSimulatorOptions,
  SimulatedFrame,
  SimulatedMeterKind,
  SimulatedOption,
} from '@linkyrpi/simulator'
import type { TimedChunk } from '@linkyrpi/tic-core/stage'
import { DEFAULT_CONFIG } from '@linkyrpi/pipeline'
import { EXIT, UsageError, parseCommandArgs } from './command.js'
import type { Command, CommandIo } from './command.js'
import { parseDuration, parseRate, parseSpeed } from '../duration.js'
import { openPtyBridge } from '../pty-bridge.js'

const HELP = `Usage: linkyrpi simulate [options] [--out FILE | --pty [--link PATH]]

A virtual meter emitting byte-exact TIC, deterministic from a seed, with simulated time:
a household (base load, fridge, water heater at off-peak start, cooking, heating following
the season, PV), the tariff calendar (HC hours, Tempo colours, EJP notices, DST) and faults.
Without --out or --pty, the bytes go to standard output.

Meter:
  --mode M          historique (default) or standard
  --phases N        1 (default) or 3
  --option O        hc (default, the meter 'linkyrpi run' simulates), base, ejp or tempo
  --producer        PV production and injection (export labels in standard mode)
  --meter K         linky (default), cbemm (single-phase, historique) or cbetm (three-phase)
  --icc             a CBEMM with ICC (sends PAPP)
  --subscribed KVA  subscribed power in kVA (default 6 single-phase, 12 three-phase)
  --off-peak H      off-peak hours, e.g. 22:00-06:00 (default) or 01:00-07:00,13:00-15:00
  --no-heating      no electric heating
  --overpower       a daily overpower episode around 19:30 (ADPS, short frames, STGE bit 7)
  --seed N          seed of every random choice (default 1); the meter id (ADS) is drawn from
                    the seed and the profile (option, phases, producer, meter): another
                    contract is another meter
  --start ISO-DATE  simulated start (default: now); with --seed, output is byte-identical

Time:
  --duration D      stop after D of simulated time (30s, 15m, 2h, 7d); required with --speed max
  --speed N|max     1 = real time (default), N = N times faster, max = as fast as possible
  --interval D      simulated time between frames (default: the real pace, back-to-back
                    frames at 120 or 960 chars/s); e.g. 1m for one frame a minute

Faults:
  --noise RATE      probability per byte of a flipped bit (0.001 or 0.1%)
  --drop RATE       probability per byte of losing it
  --eot RATE        probability per frame of an interruption (EOT)
  --wrong-baud      emit what a reader at the other baud rate sees (garbage)
  --switch-mode-after D  the meter switches historique <-> standard after D

Output:
  --out FILE        write to FILE: raw bytes, or the timed recording format when FILE ends
                    in .ticrec or with --format record
  --format F        raw or record (see docs/sources.md)
  --pty             create a pseudo-terminal with socat and print its path on stdout; any TIC
                    reader can open it as a serial port (a pty ignores baud and parity)
  --link PATH       with --pty: also create the symlink PATH to the pty
  --truth FILE      also write the ground truth, one JSON line per frame: the true power
                    (W) per appliance and phase, production, import/export, tariff period

A summary with the ground truth (energy per appliance) goes to standard error at the end.
Exit codes: 0 done (or interrupted by Ctrl-C), 1 output failure, 2 bad arguments.
`

const OPTIONS = {
  mode: { type: 'string' },
  phases: { type: 'string' },
  option: { type: 'string' },
  producer: { type: 'boolean' },
  meter: { type: 'string' },
  icc: { type: 'boolean' },
  subscribed: { type: 'string' },
  'off-peak': { type: 'string' },
  'no-heating': { type: 'boolean' },
  overpower: { type: 'boolean' },
  seed: { type: 'string' },
  start: { type: 'string' },
  duration: { type: 'string' },
  speed: { type: 'string' },
  interval: { type: 'string' },
  noise: { type: 'string' },
  drop: { type: 'string' },
  eot: { type: 'string' },
  'wrong-baud': { type: 'boolean' },
  'switch-mode-after': { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  pty: { type: 'boolean' },
  link: { type: 'string' },
  truth: { type: 'string' },
} as const

/** The option simulated without --option: the one of `linkyrpi run`'s embedded simulator. */
export const DEFAULT_OPTION: SimulatedOption = DEFAULT_CONFIG.stages.meter.option

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  option: string,
): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${option} must be ${allowed.join(', ')}, got '${value}'`)
  return value as T
}

/** Turns parsed `simulate` arguments into simulator options (exported for `linkyrpi` tests). */
export function simulatorOptionsFromArgs(
  v: Record<string, string | boolean | undefined>,
  now: number,
): MeterSimulatorOptions {
  const str = (k: string): string | undefined => v[k] as string | undefined
  const phasesText = oneOf(str('phases'), ['1', '3'], '--phases')
  let start = now
  if (str('start') !== undefined) {
    start = Date.parse(str('start')!)
    if (Number.isNaN(start))
      throw new UsageError(
        `--start must be an ISO date like 2026-01-12 or 2026-01-12T06:00:00+01:00, got '${str('start')!}'`,
      )
  }
  let offPeak
  try {
    offPeak = str('off-peak') === undefined ? undefined : parseOffPeakHours(str('off-peak')!)
  } catch (error) {
    throw new UsageError(`--off-peak: ${(error as Error).message}`)
  }
  const seed = str('seed') === undefined ? 1 : Number(str('seed'))
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed must be a non-negative integer, got '${str('seed')!}'`)
  const subscribed = str('subscribed') === undefined ? undefined : Number(str('subscribed'))
  if (subscribed !== undefined && !(subscribed >= 3 && subscribed <= 36))
    throw new UsageError(
      `--subscribed must be a power in kVA between 3 and 36, got '${str('subscribed')!}'`,
    )
  const options: MeterSimulatorOptions = {
    mode: oneOf(str('mode'), ['historique', 'standard'], '--mode'),
    phases: phasesText === undefined ? undefined : (Number(phasesText) as 1 | 3),
    option:
      oneOf<SimulatedOption>(str('option'), ['base', 'hc', 'ejp', 'tempo'], '--option') ??
      DEFAULT_OPTION,
    producer: v.producer === true,
    meter: oneOf<SimulatedMeterKind>(str('meter'), ['linky', 'cbemm', 'cbetm'], '--meter'),
    icc: v.icc === true,
    subscribedKVA: subscribed,
    offPeak,
    heating: v['no-heating'] !== true,
    overpower: v.overpower === true,
    seed,
    start: Math.floor(start / 1000) * 1000,
    intervalMs:
      str('interval') === undefined ? undefined : parseDuration(str('interval')!, '--interval'),
    faults: {
      bitErrorRate: parseRate(str('noise'), '--noise'),
      dropRate: parseRate(str('drop'), '--drop'),
      eotRate: parseRate(str('eot'), '--eot'),
      wrongBaud: v['wrong-baud'] === true,
      modeSwitchAtMs:
        str('switch-mode-after') === undefined
          ? undefined
          : parseDuration(str('switch-mode-after')!, '--switch-mode-after'),
    },
  }
  try {
    createMeterSimulator(options)
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/"(\w+)"/, '--$1'))
  }
  return options
}

/** `linkyrpi simulate`: a virtual meter onto stdout, a file or a pseudo-terminal. */
export const simulateCommand: Command = {
  name: 'simulate',
  help: HELP,
  async run(args, io) {
    const v = parseCommandArgs(args, { options: OPTIONS, allowPositionals: false }).values
    const options = simulatorOptionsFromArgs(v, Date.now())
    const speed = parseSpeed(v.speed)
    const durationMs =
      v.duration === undefined ? undefined : parseDuration(v.duration, '--duration')
    if (speed === 'max' && durationMs === undefined)
      throw new UsageError('--speed max needs --duration (it would write forever)')
    if (v.out !== undefined && v.pty === true)
      throw new UsageError('choose --out FILE or --pty, not both')
    if (v.link !== undefined && v.pty !== true) throw new UsageError('--link needs --pty')
    const format =
      oneOf(v.format, ['raw', 'record'], '--format') ??
      (v.out?.endsWith('.ticrec') === true ? 'record' : 'raw')
    return simulate(
      options,
      { speed, durationMs, out: v.out, format, pty: v.pty === true, link: v.link, truth: v.truth },
      io,
    )
  },
}

interface Output {
  readonly speed: number | 'max'
  readonly durationMs: number | undefined
  readonly out: string | undefined
  readonly format: 'raw' | 'record'
  readonly pty: boolean
  readonly link: string | undefined
  readonly truth: string | undefined
}

/** One line of the --truth file. */
function truthLine(f: SimulatedFrame): string {
  const round = (x: number): number => Math.round(x * 10) / 10
  return `${JSON.stringify({
    at: new Date(f.at).toISOString(),
    consumptionW: round(f.power.consumptionW),
    productionW: round(f.power.productionW),
    importW: round(f.power.importW),
    exportW: round(f.power.exportW),
    apparentVA: round(f.power.apparentVA),
    byApplianceW: Object.fromEntries(
      Object.entries(f.power.byAppliance).map(([k, w]) => [k, round(w)]),
    ),
    byPhaseW: f.power.byPhaseW.map(round),
    index: f.tariff.index,
    period: f.tariff.code,
    tempoToday: f.tariff.tempoToday,
  })}\n`
}

async function simulate(
  options: MeterSimulatorOptions,
  output: Output,
  io: CommandIo,
): Promise<number> {
  let sink: Writable
  let closeSink: () => Promise<void>
  let lossy = false
  if (output.pty) {
    const bridge = await openPtyBridge(output.link)
    io.stdout.write(`${bridge.path}\n`)
    io.stderr.write(
      `linkyrpi simulate: serving ${options.mode ?? 'historique'} TIC on ${bridge.path} (Ctrl-C to stop)\n`,
    )
    sink = bridge.input
    closeSink = bridge.close
    lossy = true
  } else if (output.out !== undefined) {
    const file = createWriteStream(output.out)
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve())
      file.once('error', reject)
    }).catch((error: unknown) => {
      throw new Error(
        `cannot write ${output.out!}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { cause: error },
      )
    })
    sink = file
    closeSink = () =>
      new Promise<void>((resolve, reject) =>
        file.end((error?: Error | null) => (error ? reject(error) : resolve())),
      )
  } else {
    sink = io.stdout as Writable
    closeSink = async () => undefined
  }
  const truthFile = output.truth === undefined ? null : createWriteStream(output.truth)
  let truthText: string[] = []
  const addTruth = (f: SimulatedFrame): void => {
    if (truthFile === null) return
    truthText.push(truthLine(f))
    if (truthText.length >= 1000) {
      truthFile.write(truthText.join(''))
      truthText = []
    }
  }
  const sim = createMeterSimulator(options)
  const start = sim.now
  const record = output.format === 'record'
  const t0 = performance.now()
  let frames = 0
  let bytes = 0
  let dropped = 0
  let truth = sim.truth()
  const write = async (data: Uint8Array): Promise<void> => {
    bytes += data.length
    if (lossy && sink.writableLength > 1 << 16) {
      // Nobody is reading the pty: like a serial line, the bytes are lost, memory stays bounded.
      dropped += data.length
      return
    }
    if (!sink.write(data)) await new Promise<void>((resolve) => sink.once('drain', resolve))
  }
  if (record)
    await write(
      encodeRecordingHeader({
        startedAt: new Date(start).toISOString(),
        source: 'simulator',
        tool: 'linkyrpi simulate',
        mode: options.mode ?? 'historique',
        seed: options.seed,
      }),
    )
  try {
    if (output.speed === 'max') {
      let batch: Uint8Array[] = []
      let size = 0
      for (const f of simulatedFrames(sim, { durationMs: output.durationMs })) {
        if (io.signal.aborted) break
        frames++
        addTruth(f)
        const piece = record ? encodeRecord(f.at, f.bytes) : f.bytes
        batch.push(piece)
        size += piece.length
        if (size >= 1 << 20) {
          await write(Buffer.concat(batch))
          batch = []
          size = 0
        }
      }
      if (size > 0) await write(Buffer.concat(batch))
      truth = sim.truth()
    } else {
      const source = simulatorSource({
        ...options,
        speed: output.speed,
        durationMs: output.durationMs,
        onFrame: (f, s) => {
          frames++
          addTruth(f)
          truth = s.truth()
        },
      })
      await new Promise<void>((resolve, reject) => {
        const sub = source.subscribe({
          next: (chunk: TimedChunk) => {
            // Each chunk carries its simulated receive time: the recording keeps the simulated clock.
            void write(record ? encodeRecord(chunk.receivedAt ?? start, chunk) : chunk).catch(
              reject,
            )
          },
          error: reject,
          complete: resolve,
        })
        io.signal.addEventListener('abort', () => {
          sub.unsubscribe()
          resolve()
        })
      })
    }
  } finally {
    await closeSink()
    if (truthFile !== null) {
      const file = truthFile
      await new Promise<void>((resolve) => file.end(truthText.join(''), () => resolve()))
    }
  }
  const elapsed = (performance.now() - t0) / 1000
  const kwh = (wh: number): number => Math.round(wh) / 1000
  io.stderr.write(
    `linkyrpi simulate: ${String(frames)} frames, ${String(bytes)} bytes, ${((truth.at - start) / 3_600_000).toFixed(2)} h simulated in ${elapsed.toFixed(2)} s` +
      (dropped > 0 ? `, ${String(dropped)} bytes lost (nobody reading the pty)` : '') +
      '\n' +
      `ground truth: ${JSON.stringify({ importKWh: kwh(truth.importWh), exportKWh: kwh(truth.exportWh), productionKWh: kwh(truth.productionWh), byApplianceKWh: Object.fromEntries(Object.entries(truth.byApplianceWh).map(([k, wh]) => [k, kwh(wh)])) })}\n`,
  )
  return EXIT.ok
}
