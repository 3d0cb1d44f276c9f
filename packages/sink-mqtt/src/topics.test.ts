import { describe, expect, it } from 'vitest'
import { isTopicSafeMeter, meterTopics, prefixProblems } from './topics.js'

describe('topics', () => {
  it('puts the meter id in topics as it is', () => {
    expect(meterTopics('linkyrpi', '021861348497')).toEqual({
      state: 'linkyrpi/021861348497/state',
      availability: 'linkyrpi/021861348497/availability',
      event: 'linkyrpi/021861348497/event',
    })
  })

  it('refuses meter ids and prefixes that would make a wildcard or an odd level', () => {
    expect(isTopicSafeMeter('021861348497')).toBe(true)
    for (const bad of ['', 'a/b', 'a+b', '#', 'NJOURF+1', 'SMAXSN-1', 'a b'])
      expect(isTopicSafeMeter(bad)).toBe(false)
    expect(prefixProblems('home/linky')).toEqual([])
    expect(prefixProblems('a/#')).not.toEqual([])
    expect(prefixProblems('/a')).not.toEqual([])
    expect(prefixProblems('')).toEqual(['must not be empty'])
  })
})
