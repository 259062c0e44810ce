import type { Fact } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { decodeFactBatch, encodeFactBatch } from './fact-log-codec.js'

describe('a fact-log batch', () => {
  it('gives back every fact field for field, keeping repeated strings once', () => {
    const s = createFactScript({ setup: 'build@fake/m1', project: '/w/a', session: 'ses_1', start: '2026-02-01T10:00:00.000Z' })
    const t = createFactScript({ setup: 'plan@fake/m2', project: '/w/b', start: '2026-02-01T09:00:00.000Z' })
    const facts: Fact[] = [
      s.toolCall('bash', false, 2), s.toolCall('read'), t.toolCall('edit'), s.commit('c1', 'add'), s.grade('c1', { by: 'user', userGrade: 5, agentGrade: 2, userNote: 'good' }),
      t.bug('agent', 'oops', 'c1'), t.retrospective('c1', { task: 'x', extra: { sp_before: 1.5, nested: { a: [1, 2] } } }), s.activity('task'), s.usage({ input: 10, cacheRead: 3 }, 0.25),
      t.push('origin', 'main'), t.reinstate(), s.command('grade'),
    ]
    const batch = encodeFactBatch(facts)
    expect(decodeFactBatch(structuredClone(batch))).toEqual(facts)
    expect(batch.strings.filter((text) => text === 'build@fake/m1')).toHaveLength(1)
    expect(batch.at[2]).toBeLessThan(0)
    expect(decodeFactBatch(encodeFactBatch([]))).toEqual([])
  })

  it('keeps every time to the millisecond, across minutes, hours, days, years and a leap day', () => {
    const times = ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.001Z', '2027-01-01T00:00:59.400Z', '2027-01-01T00:01:00.000Z', '2024-02-29T12:34:56.789Z', '2027-01-01T00:00:30.050Z', '1999-12-31T23:59:59.000Z']
    const s = createFactScript({ setup: 'build@fake/m1', project: '/w/a' })
    const facts = times.map((at) => ({ ...s.toolCall('bash'), at }))
    const batch = encodeFactBatch(facts)
    expect(decodeFactBatch(structuredClone(batch)).map((fact) => fact.at)).toEqual(times)
    expect(batch.at.map((offset) => batch.start + offset)).toEqual(times.map((at) => Date.parse(at)))
  })
})
