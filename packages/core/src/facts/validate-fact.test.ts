import { describe, expect, it } from 'vitest'
import { validateFact } from './validate-fact.js'

const base = { setup: 'build@fake/m1', project: '/p', at: '2026-01-01T10:00:00+01:00', id: 'x1' }

describe('validateFact', () => {
  it('normalises time and grade labels and drops unknown fields', () => {
    expect(validateFact({ ...base, kind: 'grade', commit: 'abcd', by: 'user', userGrade: 'Excellence', agentGrade: '2', colour: 'red' })).toEqual({
      ...base, at: '2026-01-01T09:00:00.000Z', kind: 'grade', commit: 'abcd', by: 'user', userGrade: 5, agentGrade: 2,
    })
  })

  it('keeps a grade\'s channel and a vouch, and drops a vouch that is false', () => {
    const grade = { ...base, kind: 'grade', commit: 'abcd', by: 'user', userGrade: 5 }
    expect(validateFact({ ...grade, channel: 'ingest', vouched: true })).toMatchObject({ channel: 'ingest', vouched: true })
    expect(validateFact({ ...grade, id: 'x2', channel: 'cli-script', vouched: false })).not.toHaveProperty('vouched')
    expect(validateFact({ ...grade, id: 'x3' })).not.toHaveProperty('channel')
    expect(validateFact({ ...grade, id: 'x4', by: 'agent', userGrade: undefined, agentGrade: 2, channel: 'agent-tool' })).toMatchObject({ by: 'agent', channel: 'agent-tool' })
  })

  it('fills id and time from the defaults when absent', () => {
    const fact = validateFact({ kind: 'push', setup: 'build', project: '/p' }, { newId: () => 'n1', now: () => new Date('2026-03-03T03:03:03Z') })
    expect(fact).toEqual({ kind: 'push', id: 'n1', at: '2026-03-03T03:03:03.000Z', setup: 'build', project: '/p' })
  })

  it.each([
    [42, 'Invalid fact: a fact must be a JSON object, got 42.'],
    [{ ...base, kind: 'deploy' }, 'Invalid fact: field "kind" is "deploy"; accepted kinds are tool_call, command, commit, push, grade, bug, reinstate, retrospective, activity, usage, evidence, verdict.'],
    [{ ...base, kind: undefined }, 'Invalid fact: field "kind" is missing; accepted kinds are tool_call, command, commit, push, grade, bug, reinstate, retrospective, activity, usage, evidence, verdict.'],
    [{ ...base, kind: {} }, 'Invalid fact: field "kind" is an object; accepted kinds are tool_call, command, commit, push, grade, bug, reinstate, retrospective, activity, usage, evidence, verdict.'],
    [{ ...base, kind: 'tool_call', tool: 'bash' }, 'Invalid tool_call fact: field "ok" must be true or false, got undefined.'],
    [{ ...base, kind: 'commit' }, 'Invalid commit fact: field "hash" is required: a non-empty string.'],
    [{ ...base, kind: 'grade', commit: 'a', by: 'user' }, 'Invalid grade fact: needs "agentGrade" or "userGrade" (or both).'],
    [{ ...base, kind: 'grade', commit: 'a', by: 'agent', userGrade: 5 }, 'Invalid grade fact: an agent may not give a user grade: "userGrade" requires "by": "user".'],
    [{ ...base, kind: 'grade', commit: 'a', by: 'user', userGrade: 3 }, 'Invalid grade fact: Invalid field "userGrade" 3: accepted values are -1 (bad), 1 (neutral), 2 (good), 5 (excellence).'],
    [{ ...base, kind: 'grade', commit: 'a', by: 'user', userGrade: 5, channel: 'email' }, 'Invalid grade fact: field "channel" is "email"; accepted are "slash-command", "cli-terminal", "cli-script", "ingest", "agent-tool", "import".'],
    [{ ...base, kind: 'grade', commit: 'a', by: 'user', userGrade: 5, channel: 'agent-tool' }, 'Invalid grade fact: a grade "by": "user" cannot come through the "agent-tool" channel.'],
    [{ ...base, kind: 'grade', commit: 'a', by: 'user', userGrade: 5, vouched: 'yes' }, 'Invalid grade fact: field "vouched" must be true or false, got "yes".'],
    [{ ...base, kind: 'bug', by: 'ci' }, 'Invalid bug fact: field "by" is "ci"; accepted are "agent" and "user".'],
    [{ ...base, kind: 'usage', tokens: { input: -5 } }, 'Invalid usage fact: field "tokens.input" must be a number from 0 to 1000000000, got -5.'],
    [{ ...base, kind: 'push', at: 'soon' }, 'Invalid push fact: Invalid field "at" "soon": use an ISO 8601 date'],
    [{ ...base, kind: 'push', at: '2026-11-10T10:00:00' }, 'Invalid push fact: Invalid field "at" "2026-11-10T10:00:00": a date-time needs its zone, Z (UTC) or an offset ±hh:mm'],
    [{ ...base, kind: 'push', setup: 'build@x' }, 'Invalid push fact: Invalid setup id "build@x"'],
    [{ kind: 'push', setup: 'build', project: '/p', at: base.at }, 'Invalid push fact: field "id" is required: a non-empty string.'],
    [{ ...base, kind: 'usage', cost: 1, costSource: 'guess' }, 'Invalid usage fact: field "costSource" is "guess"; accepted are "host", "estimate", "unknown".'],
    [{ ...base, kind: 'commit', hash: 'abcd123', amends: 'abcd' }, 'Invalid commit fact: field "amends" is "abcd"; accepted is a full commit hash: 40 lowercase hex digits (SHA-1), or 64 (SHA-256), as `git rev-parse HEAD` prints it.'],
    [{ ...base, kind: 'commit', hash: 'abcd123', amends: 'A'.repeat(40) }, `Invalid commit fact: field "amends" is "${'A'.repeat(40)}"; accepted is a full commit hash`],
    [{ ...base, kind: 'commit', hash: 'abcd123', amends: 'a'.repeat(41) }, 'Invalid commit fact: field "amends" is'],
    [{ ...base, kind: 'commit', hash: 'abcd123', amends: 40 }, 'Invalid commit fact: field "amends" is 40; accepted is a full commit hash'],
  ])('rejects %j: %s', (input, message) => {
    expect(() => validateFact(input)).toThrow(message)
  })
})

describe('an amended commit', () => {
  it('keeps the full hash of the commit it replaced, SHA-1 or SHA-256, and leaves an absent one out', () => {
    const commit = { ...base, kind: 'commit', hash: 'b'.repeat(40), message: 'fix: lint' }
    expect(validateFact({ ...commit, amends: 'a'.repeat(40) })).toMatchObject({ amends: 'a'.repeat(40) })
    expect(validateFact({ ...commit, amends: 'c'.repeat(64) })).toMatchObject({ amends: 'c'.repeat(64) })
    expect(validateFact({ ...commit, amends: null })).not.toHaveProperty('amends')
  })
})

describe('usage cost sources', () => {
  it("keeps an estimate or an unknown price, and leaves the host's own figure (the default) out", () => {
    const usage = { ...base, kind: 'usage', tokens: { input: 100 }, cost: 0.25 }
    expect(validateFact({ ...usage, costSource: 'estimate' })).toMatchObject({ cost: 0.25, costSource: 'estimate' })
    expect(validateFact({ ...usage, cost: 0, costSource: 'unknown' })).toMatchObject({ cost: 0, costSource: 'unknown' })
    // Kept as given (its id, made from it, stays the same), and counted with cost 0: see countedCost.
    expect(validateFact({ ...usage, cost: 0.5, costSource: 'unknown' })).toMatchObject({ cost: 0.5, costSource: 'unknown' })
    expect(() => validateFact({ ...usage, cost: -1, costSource: 'unknown' })).toThrow('field "cost"')
    expect(validateFact({ ...usage, costSource: 'host' })).not.toHaveProperty('costSource')
  })
})

describe('a fact read back', () => {
  it('is accepted as it was stored: a commit without a message keeps an empty one', () => {
    const stored = validateFact({ kind: 'commit', id: 'c1', at: '2026-01-01T00:00:00.000Z', setup: 'build', project: '/p', hash: 'abcd1234' })
    expect(stored).toMatchObject({ message: '' })
    const readBack = JSON.parse(JSON.stringify(stored)) as unknown
    expect(validateFact(readBack)).toEqual(stored)
    expect(() => validateFact({ ...stored, message: '   ' })).toThrow('field "message" must be a non-empty string')
  })
})

describe('validateFact memo', () => {
  it('returns a fact it built before as is', () => {
    const fact = validateFact({ kind: 'tool_call', id: 'm1', at: '2026-01-01T00:00:00.000Z', setup: 'build', project: '/p', tool: 'bash', ok: true })
    expect(validateFact(fact)).toBe(fact)
  })

  it('marks a fact so that no copy, encoding or comparison sees the mark', () => {
    const input = { kind: 'tool_call', id: 'm2', at: '2026-01-01T00:00:00.000Z', setup: 'build', project: '/p', tool: 'bash', ok: true }
    const fact = validateFact(input)
    expect(Object.keys(fact).sort()).toEqual(Object.keys(input).sort())
    expect(fact).toStrictEqual(input)
    expect(JSON.parse(JSON.stringify(fact))).toStrictEqual(input)
    expect(Object.getOwnPropertySymbols(fact).every((symbol) => !Object.getOwnPropertyDescriptor(fact, symbol)?.enumerable)).toBe(true)
  })

  it('still checks an equal object it has not seen', () => {
    const fact = validateFact({ kind: 'tool_call', id: 'm3', at: '2026-01-01T00:00:00.000Z', setup: 'build', project: '/p', tool: 'bash', ok: true })
    expect(() => validateFact({ ...fact, ok: 'no' })).toThrow('field "ok" must be true or false')
  })
})
