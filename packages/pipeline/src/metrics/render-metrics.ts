import type { TicAlert, TicReading } from '@linkyrpi/tic-core'
import type { DiagnosticsCollector } from '../runtime/diagnostics-collector.js'
import { PrometheusText } from './prometheus-text.js'

const ALERTS: readonly TicAlert[] = [
  'overpower',
  'overvoltage',
  'cutoff-open',
  'cover-open',
  'clock-degraded',
  'phase-missing',
  'peak-notice',
  'peak-active',
]
const COLOURS = ['blue', 'white', 'red'] as const

/** Seconds from epoch milliseconds. */
const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000)

function meterSamples(p: PrometheusText, meter: string, r: TicReading, at: number): void {
  const m = { meter }
  p.add(
    'linkyrpi_meter_info',
    'gauge',
    'A meter seen by this node (value 1), with what it says of itself.',
    1,
    {
      meter,
      prm: r.meter.prm ?? '',
      mode: r.meter.mode,
      phases: r.meter.phases ?? '',
      producer: String(r.meter.producer),
      option: r.contract.option ?? '',
      option_label: r.contract.optionLabel ?? '',
    },
  )
  p.add(
    'linkyrpi_meter_last_frame_timestamp_seconds',
    'gauge',
    "Receive time of the meter's latest frame (Unix seconds).",
    seconds(at),
    m,
  )
  p.add(
    'linkyrpi_meter_import_wh_total',
    'counter',
    'Total energy withdrawn (EAST, or the sum of the historique indexes), Wh.',
    r.energy.importWh,
    m,
  )
  for (const [index, wh] of Object.entries(r.energy.importByIndexWh)) {
    p.add(
      'linkyrpi_meter_index_wh_total',
      'counter',
      'Energy withdrawn per supplier index (1-10, Enedis numbering), Wh.',
      wh,
      { meter, index },
    )
  }
  p.add(
    'linkyrpi_meter_export_wh_total',
    'counter',
    'Total energy injected (EAIT), Wh.',
    r.energy.exportWh,
    m,
  )
  p.add(
    'linkyrpi_meter_apparent_power_va',
    'gauge',
    'Apparent power withdrawn (PAPP / SINSTS), VA.',
    r.power.apparentVA,
    m,
  )
  r.power.apparentVAByPhase?.forEach((va, i) =>
    p.add(
      'linkyrpi_meter_phase_apparent_power_va',
      'gauge',
      'Apparent power withdrawn per phase, VA.',
      va,
      { meter, phase: i + 1 },
    ),
  )
  p.add(
    'linkyrpi_meter_injected_power_va',
    'gauge',
    'Apparent power injected (SINSTI), VA.',
    r.power.injectedVA,
    m,
  )
  p.add(
    'linkyrpi_meter_subscribed_power_va',
    'gauge',
    'Subscribed apparent power, VA.',
    r.contract.subscribedVA,
    m,
  )
  r.current.rmsA?.forEach((a, i) =>
    p.add('linkyrpi_meter_current_amperes', 'gauge', 'RMS current per phase, A.', a, {
      meter,
      phase: i + 1,
    }),
  )
  r.voltage.rmsV?.forEach((v, i) =>
    p.add('linkyrpi_meter_voltage_volts', 'gauge', 'RMS voltage per phase, V.', v, {
      meter,
      phase: i + 1,
    }),
  )
  p.add(
    'linkyrpi_meter_tariff_index',
    'gauge',
    'Supplier index counting now (1-10).',
    r.period.index,
    m,
  )
  if (r.period.label !== null) {
    p.add(
      'linkyrpi_meter_period_info',
      'gauge',
      'Tariff period now (value 1): its label as the meter sends it and its kind.',
      1,
      { meter, period: r.period.label, code: r.period.code ?? '' },
    )
  }
  if (r.contract.option === 'tempo') {
    for (const [day, colour] of [
      ['today', r.period.tempoToday],
      ['tomorrow', r.period.tempoTomorrow],
    ] as const) {
      for (const c of COLOURS) {
        p.add(
          'linkyrpi_meter_tempo_colour',
          'gauge',
          'Tempo colour of the day: 1 for the colour of the day, 0 for the others (all 0 before it is announced).',
          colour === c ? 1 : 0,
          { meter, day, colour: c },
        )
      }
    }
  }
  for (const a of ALERTS)
    p.add(
      'linkyrpi_meter_alert',
      'gauge',
      'A meter alert: 1 while it holds.',
      r.alerts.includes(a) ? 1 : 0,
      { meter, alert: a },
    )
}

/**
 * The Prometheus exposition of a node: the latest reading of each meter (indexes, powers,
 * currents, voltages, period, Tempo colours, alerts) and the pipeline's health (bytes and frames
 * per source, discarded bytes and rejected groups by reason, per-sink counters and spool,
 * reconnections), plus the process's memory and CPU. Computed at each scrape from counters the
 * pipeline keeps anyway.
 */
export function renderMetrics(diagnostics: DiagnosticsCollector): string {
  const p = new PrometheusText()
  for (const [meter, { reading, at }] of diagnostics.latestReadings())
    meterSamples(p, meter, reading, at)
  const c = diagnostics.counters()
  for (const s of c.sources) {
    const l = { source: s.id }
    p.add('linkyrpi_source_bytes_total', 'counter', 'Bytes read by a source.', s.bytes, l)
    p.add('linkyrpi_source_frames_total', 'counter', 'Frames decoded from a source.', s.frames, l)
    p.add(
      'linkyrpi_source_last_frame_timestamp_seconds',
      'gauge',
      "Time of the source's latest frame (Unix seconds).",
      seconds(s.lastFrameAt),
      l,
    )
    p.add(
      'linkyrpi_source_state',
      'gauge',
      'State of a source (value 1): detecting, locked, disconnected, retrying…',
      1,
      { ...l, state: s.state },
    )
  }
  for (const [reason, bytes] of Object.entries(c.discardedByReason))
    p.add(
      'linkyrpi_discarded_bytes_total',
      'counter',
      'Bytes discarded by the framer, by reason.',
      bytes,
      { reason },
    )
  for (const [reason, n] of Object.entries(c.rejectedByReason))
    p.add(
      'linkyrpi_rejected_groups_total',
      'counter',
      'Groups rejected by the decoder, by reason.',
      n,
      { reason },
    )
  for (const s of c.sinks) {
    const l = { sink: s.id }
    p.add(
      'linkyrpi_sink_received_total',
      'counter',
      "Frames handed to a sink's buffer.",
      s.received,
      l,
    )
    p.add(
      'linkyrpi_sink_acked_total',
      'counter',
      'Frames a sink acknowledged (stored, published, broadcast).',
      s.acked,
      l,
    )
    p.add(
      'linkyrpi_sink_lag_frames',
      'gauge',
      'Frames received by a sink and not acknowledged yet.',
      s.lag,
      l,
    )
    p.add(
      'linkyrpi_sink_dropped_total',
      'counter',
      "Frames dropped by a sink's overflow policy.",
      s.dropped,
      l,
    )
    p.add('linkyrpi_sink_errors_total', 'counter', 'Errors of a sink.', s.errors, l)
    p.add(
      'linkyrpi_sink_retries_total',
      'counter',
      'Restarts of a sink after an error.',
      s.retries,
      l,
    )
    p.add('linkyrpi_sink_state', 'gauge', 'State of a sink (value 1).', 1, { ...l, state: s.state })
    if (s.spool !== null) {
      p.add(
        'linkyrpi_sink_spool_bytes',
        'gauge',
        "Bytes in a store sink's outage spool.",
        s.spool.usedBytes,
        l,
      )
      p.add(
        'linkyrpi_sink_spool_capacity_bytes',
        'gauge',
        "Capacity of a store sink's outage spool, bytes.",
        s.spool.capacityBytes,
        l,
      )
    }
  }
  for (const [stage, n] of Object.entries(c.reconnectsByStage))
    p.add(
      'linkyrpi_stage_reconnects_total',
      'counter',
      'Reconnection attempts of a stage (source reopened, MQTT reconnect).',
      n,
      { stage },
    )
  const mem = process.memoryUsage()
  const cpu = process.cpuUsage()
  p.add('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss)
  p.add('nodejs_heap_used_bytes', 'gauge', 'V8 heap used, bytes.', mem.heapUsed)
  p.add(
    'process_cpu_seconds_total',
    'counter',
    'User and system CPU time spent, seconds.',
    (cpu.user + cpu.system) / 1e6,
  )
  p.add(
    'process_start_time_seconds',
    'gauge',
    'Start time of the process (Unix seconds).',
    Math.round(Date.now() / 1000 - process.uptime()),
  )
  return p.toString()
}
