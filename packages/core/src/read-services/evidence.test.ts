import { describe, expect, it } from 'vitest'
import type { EvidenceRecord } from '../store/records.js'
import { verdictFacts } from './evidence.js'

/** A suspected bug as a scan stores it: a later fix (`source`, its subject when known) changed the commit's lines. */
function suspected(subject: string | undefined): EvidenceRecord {
  return { v: 1, id: 'ev-1', setup: 'build@openai/gpt-5', project: '/w/shop', commit: 'c0ffee01', at: '2026-03-01T09:00:00.000Z', signal: 'suspected-bug', source: 'bb3f8ae0c0ffee', status: 'open', ...(subject === undefined ? {} : { subject }) } as unknown as EvidenceRecord
}

describe('a confirmed suspected bug', () => {
  it('becomes a bug noted with the fix that found it, its subject when known, in words with single spaces', () => {
    const note = (record: EvidenceRecord): unknown => verdictFacts(record, 'confirmed', '2026-03-02T09:00:00.000Z').find((fact) => fact.kind === 'bug')
    expect(note(suspected('fix: round cart totals'))).toMatchObject({ kind: 'bug', by: 'user', commit: 'c0ffee01', note: 'confirmed suspected bug: bb3f8ae fix: round cart totals fixed lines of it' })
    expect(note(suspected(undefined))).toMatchObject({ note: 'confirmed suspected bug: bb3f8ae fixed lines of it' })
    expect(verdictFacts(suspected(undefined), 'confirmed', '2026-03-02T09:00:00.000Z', 'my own words').find((fact) => fact.kind === 'bug')).toMatchObject({ note: 'my own words' })
  })
})
