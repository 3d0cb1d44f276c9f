import { describe, expect, it } from 'vitest'
import { PrometheusText } from './prometheus-text.js'

describe('PrometheusText', () => {
  it('writes HELP and TYPE once per family, then its samples, and escapes label values', () => {
    const text = new PrometheusText()
      .add('x_total', 'counter', 'Things.', 3, { a: 'plain' })
      .add('y', 'gauge', 'Other.', 1.5)
      .add('x_total', 'counter', 'ignored', 4, { a: 'q"uote\\back\nline' })
      .add('y', 'gauge', 'Other.', null)
      .toString()
    expect(text).toBe(
      [
        '# HELP x_total Things.',
        '# TYPE x_total counter',
        'x_total{a="plain"} 3',
        'x_total{a="q\\"uote\\\\back\\nline"} 4',
        '# HELP y Other.',
        '# TYPE y gauge',
        'y 1.5',
        '',
      ].join('\n'),
    )
  })

  it('refuses a bad metric or label name', () => {
    expect(() => new PrometheusText().add('bad-name', 'gauge', 'h', 1)).toThrow(TypeError)
    expect(() => new PrometheusText().add('ok', 'gauge', 'h', 1, { 'bad-label': 1 })).toThrow(
      TypeError,
    )
  })
})
