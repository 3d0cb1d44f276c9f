import { describe, expect, it } from 'vitest'
import { createTicDecoder } from '@linkyrpi/tic-core'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { buildFrame } from '@linkyrpi/tic-core/testing'
import { DiagnosticsCollector } from '../runtime/diagnostics-collector.js'
import { renderMetrics } from './render-metrics.js'

function frame(groups: readonly (readonly [string, string])[]): PipelineFrame {
  const decoder = createTicDecoder({ reading: true })
  for (const e of decoder.push(buildFrame('historique', groups))) {
    if (e.kind === 'frame' && e.frame.reading !== undefined)
      return {
        ...e.frame,
        reading: e.frame.reading,
        meta: { seq: 1, receivedAt: 1_767_225_600_000, source: 'meter' },
      }
  }
  throw new Error('no frame')
}

const TEMPO = frame([
  ['ADCO', '021861348497'],
  ['OPTARIF', 'BBR('],
  ['ISOUSC', '45'],
  ['BBRHCJB', '001234567'],
  ['BBRHPJB', '002345678'],
  ['BBRHCJW', '000000010'],
  ['BBRHPJW', '000000020'],
  ['BBRHCJR', '000000000'],
  ['BBRHPJR', '000000000'],
  ['PTEC', 'HPJB'],
  ['DEMAIN', 'ROUG'],
  ['IINST', '005'],
  ['PAPP', '01150'],
])

const line = (text: string, start: string): string | undefined =>
  text.split('\n').find((l) => l.startsWith(start))

describe('renderMetrics', () => {
  it('exposes the latest reading of each meter: indexes in Wh, power, current, period, Tempo colours', () => {
    const d = new DiagnosticsCollector(() => 0)
    d.observeReading(TEMPO, TEMPO.meta.receivedAt)
    const text = renderMetrics(d)
    expect(line(text, 'linkyrpi_meter_index_wh_total{meter="021861348497",index="2"}')).toBe(
      'linkyrpi_meter_index_wh_total{meter="021861348497",index="2"} 2345678',
    )
    expect(line(text, 'linkyrpi_meter_import_wh_total{')).toBe(
      'linkyrpi_meter_import_wh_total{meter="021861348497"} 3580275',
    )
    expect(line(text, 'linkyrpi_meter_apparent_power_va{')).toBe(
      'linkyrpi_meter_apparent_power_va{meter="021861348497"} 1150',
    )
    expect(line(text, 'linkyrpi_meter_current_amperes{')).toBe(
      'linkyrpi_meter_current_amperes{meter="021861348497",phase="1"} 5',
    )
    expect(line(text, 'linkyrpi_meter_tariff_index{')).toBe(
      'linkyrpi_meter_tariff_index{meter="021861348497"} 2',
    )
    expect(line(text, 'linkyrpi_meter_period_info{')).toBe(
      'linkyrpi_meter_period_info{meter="021861348497",period="HPJB",code="hp"} 1',
    )
    expect(
      line(text, 'linkyrpi_meter_tempo_colour{meter="021861348497",day="today",colour="blue"}'),
    ).toMatch(/ 1$/)
    expect(
      line(text, 'linkyrpi_meter_tempo_colour{meter="021861348497",day="today",colour="red"}'),
    ).toMatch(/ 0$/)
    expect(
      line(text, 'linkyrpi_meter_tempo_colour{meter="021861348497",day="tomorrow",colour="red"}'),
    ).toMatch(/ 1$/)
    expect(line(text, 'linkyrpi_meter_last_frame_timestamp_seconds{')).toBe(
      'linkyrpi_meter_last_frame_timestamp_seconds{meter="021861348497"} 1767225600',
    )
    // No voltage, no export on a historique single-phase consumer: no sample rather than a fake 0.
    expect(text).not.toContain('linkyrpi_meter_voltage_volts')
    expect(text).not.toContain('linkyrpi_meter_export_wh_total')
  })

  it('exposes the pipeline health: sources, rejections, sinks with spool, reconnections', () => {
    const d = new DiagnosticsCollector(() => 0)
    d.source('meter')
    d.addBytes('meter', 1200)
    d.addFrame('meter', 5_000)
    d.report({ kind: 'bytes-discarded', stage: 'frames', reason: 'interrupted', byteCount: 17 })
    d.report({
      kind: 'group-rejected',
      stage: 'frames',
      rejection: { reason: 'checksum', raw: 'x' } as never,
    })
    const store = d.sink('store')
    store.received = 10
    store.acked = 8
    store.lag = 2
    d.report({
      kind: 'state',
      stage: 'store',
      state: 'outage',
      detail: { spoolBytes: 4096, spoolCapacityBytes: 65536 },
    })
    d.sink('ha')
    d.report({
      kind: 'state',
      stage: 'ha',
      state: 'reconnecting',
      detail: { meter: '021861348497' },
    })
    d.report({
      kind: 'state',
      stage: 'ha',
      state: 'reconnecting',
      detail: { meter: '021861348497' },
    })
    const text = renderMetrics(d)
    for (const expected of [
      'linkyrpi_source_bytes_total{source="meter"} 1200',
      'linkyrpi_source_frames_total{source="meter"} 1',
      'linkyrpi_source_last_frame_timestamp_seconds{source="meter"} 5',
      'linkyrpi_discarded_bytes_total{reason="interrupted"} 17',
      'linkyrpi_rejected_groups_total{reason="checksum"} 1',
      'linkyrpi_sink_acked_total{sink="store"} 8',
      'linkyrpi_sink_lag_frames{sink="store"} 2',
      'linkyrpi_sink_state{sink="store",state="outage"} 1',
      'linkyrpi_sink_spool_bytes{sink="store"} 4096',
      'linkyrpi_sink_spool_capacity_bytes{sink="store"} 65536',
      'linkyrpi_stage_reconnects_total{stage="ha"} 2',
    ]) {
      expect(text.split('\n')).toContain(expected)
    }
    // A sink's own state report does not make it a source.
    expect(text).not.toContain('linkyrpi_source_bytes_total{source="store"}')
    expect(d.snapshot().sinks.find((s) => s.id === 'store')?.spool).toEqual({
      usedBytes: 4096,
      capacityBytes: 65536,
    })
  })
})
