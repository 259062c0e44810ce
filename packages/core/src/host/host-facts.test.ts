import { describe, expect, it } from 'vitest'
import { validateFact } from '../facts/validate-fact.js'
import { commitFactId, hostCommitFact, hostPushFact, hostToolCallFact, hostUsageFact, pushFactId, responseCost, toolCallFactId, usageFactId } from './host-facts.js'

const context = { host: 'claude-code', session: 's1', setup: 'claude-code@anthropic/claude-opus-4-8', project: '/p', at: '2026-11-29T05:00:00.000Z' } as const

describe('fact ids derived from a host’s own ids', () => {
  it('name the host and its ids, the same every time', () => {
    expect(toolCallFactId('opencode', 'ses_1', 'call_1')).toBe('opencode:ses_1:call_1')
    expect(usageFactId('opencode', 'msg_1')).toBe('opencode:msg_1')
    expect(usageFactId('claude-code', 'msg_1', 'req_1')).toBe('claude-code:msg_1:req_1')
    expect(pushFactId('codex', 't1', 'call_9')).toBe('codex:t1:call_9:push')
  })

  it('give a commit the same id whether git printed its short hash or confirmed the full one', () => {
    expect(commitFactId('opencode', 's', 'c', 'bb48aff')).toBe(commitFactId('opencode', 's', 'c', 'BB48AFF1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7'))
  })

  it('refuse an empty id part', () => {
    expect(() => toolCallFactId('codex', 't1', '')).toThrow(/INVALID_FACT|non-empty/)
  })
})

describe('host facts', () => {
  it('are valid facts carrying the derived ids', () => {
    const facts = [
      hostToolCallFact(context, { callId: 'toolu_1', tool: 'Bash', ok: false, exitCode: 2 }),
      hostCommitFact(context, 'toolu_1', { hash: 'bb48aff', message: 'add a' }),
      hostCommitFact(context, 'toolu_2', { hash: 'cc59b00', message: 'add a, linted', amends: 'bb48aff'.padEnd(40, '0') }),
      hostPushFact(context, 'toolu_1', { remote: 'origin' }),
      hostUsageFact(context, { responseIds: ['msg_1', 'req_1'], tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 }, cost: { cost: 0.0013275, costSource: 'estimate' } }),
    ]
    expect(facts.map((fact) => validateFact(fact))).toEqual([
      { ...context, id: 's1:toolu_1', kind: 'tool_call', tool: 'Bash', ok: false, exitCode: 2 },
      { ...context, id: 's1:toolu_1:commit:bb48aff', kind: 'commit', hash: 'bb48aff', message: 'add a' },
      { ...context, id: 's1:toolu_2:commit:cc59b00', kind: 'commit', hash: 'cc59b00', message: 'add a, linted', amends: 'bb48aff'.padEnd(40, '0') },
      { ...context, id: 's1:toolu_1:push', kind: 'push', remote: 'origin' },
      { ...context, id: 'msg_1:req_1', kind: 'usage', tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 }, cost: 0.0013275, costSource: 'estimate' },
    ].map(({ host, id, ...fact }) => ({ ...fact, id: `${host}:${id}` })))
  })
})

describe('responseCost', () => {
  it("takes the host's own figure, else the estimate, else marks the cost unknown (never a real 0)", () => {
    expect(responseCost(0.5, () => 9)).toEqual({ cost: 0.5 })
    expect(responseCost(0, () => 9)).toEqual({ cost: 0 })
    expect(responseCost(undefined, () => 0.25)).toEqual({ cost: 0.25, costSource: 'estimate' })
    expect(responseCost(undefined, () => undefined)).toEqual({ cost: 0, costSource: 'unknown' })
  })
})
