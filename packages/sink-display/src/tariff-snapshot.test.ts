import { describe, expect, it } from 'vitest'
import type { PipelineFrame } from '@linkyrpi/tic-core/stage'
import { tariffKey, tariffOf } from './tariff-snapshot.js'

const frameOf = (period: object, alerts: string[]): PipelineFrame =>
  ({
    reading: {
      contract: { option: 'tempo', optionLabel: 'TEMPO' },
      period,
      alerts,
      calendar: { nextDayProfile: null },
    },
  }) as unknown as PipelineFrame

describe('tariffOf / tariffKey', () => {
  it('takes the option, period and peak alerts of a frame', () => {
    const t = tariffOf(
      frameOf({ index: 2, label: 'HPJB', tempoToday: 'blue', tempoTomorrow: 'red' }, [
        'peak-notice',
      ]),
      1000,
    )
    expect(t).toMatchObject({
      at: 1000,
      option: 'tempo',
      optionLabel: 'TEMPO',
      peakNotice: true,
      peakActive: false,
      nextDayProfile: null,
    })
  })
  it('changes key when the period, colour or an alert changes, not with the time', () => {
    const period = { index: 2, label: 'HPJB', tempoToday: 'blue', tempoTomorrow: 'red' }
    const key = tariffKey(tariffOf(frameOf(period, []), 1000))
    expect(tariffKey(tariffOf(frameOf(period, []), 9000))).toBe(key)
    expect(tariffKey(tariffOf(frameOf({ ...period, index: 1, label: 'HCJB' }, []), 1000))).not.toBe(
      key,
    )
    expect(tariffKey(tariffOf(frameOf({ ...period, tempoTomorrow: 'white' }, []), 1000))).not.toBe(
      key,
    )
    expect(tariffKey(tariffOf(frameOf(period, ['peak-active']), 1000))).not.toBe(key)
  })
})
