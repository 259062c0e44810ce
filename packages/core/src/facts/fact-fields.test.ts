import { describe, expect, it } from 'vitest'
import { COMMON_FACT_FIELDS, FACT_FIELDS, checkFactFields } from './fact-fields.js'
import type { FactKind } from './facts.js'
import { FACT_KINDS } from './facts.js'
import { validateFact } from './validate-fact.js'

const base = { id: 'f1', at: '2026-03-01T10:00:00Z', setup: 'build@fake/m1', project: '/p', session: 's1' }
const HASH = 'a'.repeat(40)

/** A fact of each kind with every field its kind takes. */
const FULL: Readonly<Record<FactKind, Record<string, unknown>>> = {
  tool_call: { tool: 'bash', ok: false, exitCode: 1 },
  command: { command: 'tracker' },
  commit: { hash: 'abcd123', message: 'm', task: 't', amends: HASH },
  push: { remote: 'origin', branch: 'main' },
  grade: { commit: 'abcd123', by: 'user', agentGrade: 2, userGrade: 5, agentNote: 'a', userNote: 'u', task: 't', channel: 'ingest', vouched: true },
  bug: { by: 'user', commit: 'abcd123', note: 'n' },
  reinstate: { note: 'n' },
  retrospective: { commit: 'abcd123', task: 't', agentNote: 'a', userNote: 'u', extra: { kept: 1 } },
  activity: { task: 't', actions: 'a', outcome: 'o', decisions: 'd' },
  usage: { tokens: { input: 1, output: 2, reasoning: 3, cacheRead: 4, cacheWrite: 5 }, cost: 0.1, costSource: 'estimate', message: 'msg_1' },
  evidence: { signal: 'churn', commit: 'abcd123', source: 'git', subject: 's', files: ['a.ts'], lines: 3, pattern: 'p', days: 2, added: 4, surviving: 1 },
  verdict: { evidence: 'e1', verdict: 'confirmed', note: 'n' },
}

describe('the fields a fact takes', () => {
  it.each(FACT_KINDS)('are, for a %s, every field validateFact keeps of it, and no other', (kind) => {
    const input = { ...base, kind, ...FULL[kind] }
    expect(() => { checkFactFields(input) }).not.toThrow()
    const kept = Object.keys(validateFact(input))
    expect(kept.sort()).toEqual([...COMMON_FACT_FIELDS, ...FACT_FIELDS[kind]].sort())
  })

  it.each([
    [{ ...base, kind: 'grade', commit: 'abcd123', by: 'user', userGrade: 5, user_note: 'lovely' }, 'Invalid grade fact: unknown field "user_note" (did you mean "userNote"?); a grade fact takes kind, id, at, setup, project, session, commit, by, agentGrade, userGrade, agentNote, userNote, task, channel, vouched.'],
    [{ ...base, kind: 'tool_call', tool: 'bash', ok: false, exit_code: 2 }, 'Invalid tool_call fact: unknown field "exit_code" (did you mean "exitCode"?); a tool_call fact takes kind, id, at, setup, project, session, tool, ok, exitCode.'],
    [{ ...base, kind: 'commit', hash: 'abcd123', mesage: 'Add cart', branch: null }, 'Invalid commit fact: unknown fields "mesage" (did you mean "message"?), "branch"; a commit fact takes kind, id, at, setup, project, session, hash, message, task, amends.'],
    [{ ...base, kind: 'usage', tokens: { input: 1, ouput: 2 }, cost: 0 }, 'Invalid usage fact: unknown field "tokens.ouput" (did you mean "tokens.output"?); "tokens" takes tokens.input, tokens.output, tokens.reasoning, tokens.cacheRead, tokens.cacheWrite.'],
  ])('refuses %j, naming the field, what it was likely meant to be and what the kind takes', (input, message) => {
    expect(() => { checkFactFields(input) }).toThrow(message)
    // validateFact alone would have kept the rest and dropped the field without a word.
    expect(() => validateFact(input)).not.toThrow()
  })

  it('leaves what is no fact of a known kind to validateFact', () => {
    for (const input of [null, 'x', [1], { kind: 'gossip', rumour: 1 }, { rumour: 1 }]) expect(() => { checkFactFields(input) }).not.toThrow()
  })
})
