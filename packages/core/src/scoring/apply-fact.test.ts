import { describe, expect, it } from 'vitest'
import type { AgentState } from './agent-state.js'
import { communicationCap, initialState, isHalted } from './agent-state.js'
import { applyFact, applyFacts } from './apply-fact.js'
import type { Fact } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import { resolveRules } from './rules.js'
import { createFactScript } from '../testing/fact-script.js'

const rules = resolveRules()
const s = createFactScript({ setup: 'build@fake/m1', project: '/p' })
const start = initialState(rules)
const at = (state: Partial<AgentState>): AgentState => ({ ...start, ...state })
const run = (facts: Fact[], from: AgentState = start): AgentState => applyFacts(from, facts, rules)
const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make)

describe('applyFact under the default rules', () => {
  it('starts at SP 1, XP 0, CS 60 with no commits or bugs', () => {
    expect(start).toMatchObject({ skillPoints: 1, experience: 0, communication: 60, commits: 0, bugs: 0 })
  })

  it('gives XP +0.1 per successful tool call and nothing for a failed one', () => {
    expect(run([s.toolCall()])).toMatchObject({ experience: 0.1, toolCalls: 1, toolFailures: 0 })
    expect(run([s.toolCall('bash', false, 2)])).toMatchObject({ experience: 0, toolCalls: 1, toolFailures: 1 })
  })

  it('levels up after exactly 100 successful tool calls despite 0.1 not being exact in binary', () => {
    expect(run(times(99, () => s.toolCall()))).toMatchObject({ skillPoints: 1, experience: 9.9 })
    expect(run(times(100, () => s.toolCall()))).toMatchObject({ skillPoints: 2, experience: 0 })
  })

  it('gives XP +1 and counts a commit', () => {
    expect(run([s.commit('aaaa')])).toMatchObject({ experience: 1, commits: 1 })
  })

  it('gives XP +10 for a push, which levels SP 1 up to SP 2', () => {
    expect(run([s.push()])).toMatchObject({ skillPoints: 2, experience: 0, pushes: 1 })
  })

  it('chains level-ups while XP ≥ 10 × SP', () => {
    const generous = resolveRules({ experience: { push: 65 } })
    // 65 → SP2 (55 left) → SP3 (35 left) → SP4 (5 left); 5 < 40 stops.
    expect(applyFact(start, s.push(), generous)).toMatchObject({ skillPoints: 4, experience: 5 })
    // Exactly at the threshold levels up again: 10 + 20 + 30 = 60.
    expect(applyFact(start, s.push(), resolveRules({ experience: { push: 60 } }))).toMatchObject({ skillPoints: 4, experience: 0 })
  })

  it('counts a command; commands give no XP by default', () => {
    expect(run([s.command('grade')])).toMatchObject({ commands: 1, experience: 0 })
  })

  it.each<[Grade | undefined, Grade | undefined, number]>([
    [-1, -1, -2],
    [1, 1, 2],
    [2, 5, 7],
    [5, 5, 10],
  ])('moves CS by agent %s + user %s = %s for one graded commit', (agentGrade, userGrade, delta) => {
    const state = run([s.grade('aaaa', { by: 'user', ...(agentGrade === undefined ? {} : { agentGrade }), ...(userGrade === undefined ? {} : { userGrade }) })])
    expect(state.communication).toBe(60 + delta)
    expect(state.experience).toBe(1)
    expect(state.userGrades).toEqual({ count: 1, sum: userGrade })
    expect(state.agentGrades).toEqual({ count: 1, sum: agentGrade })
  })

  it('gives XP for a graded commit with the user grade, not for a self-grade alone', () => {
    expect(run([s.grade('aaaa', { by: 'agent', agentGrade: 5 })])).toMatchObject({ communication: 65, experience: 0 })
  })

  it('clamps CS to max(100, SP × 100) and never below 0', () => {
    expect(run([s.grade('aaaa', { by: 'user', agentGrade: 5, userGrade: 5 })], at({ communication: 98 })).communication).toBe(100)
    expect(run([s.grade('aaaa', { by: 'user', agentGrade: 5, userGrade: 5 })], at({ skillPoints: 3, communication: 295 })).communication).toBe(300)
    expect(run([s.grade('aaaa', { by: 'user', agentGrade: -1, userGrade: -1 })], at({ communication: 1 })).communication).toBe(0)
    expect(communicationCap(0, rules)).toBe(100)
  })

  it('lowers the CS cap with SP: a bug at SP 2 and CS 180 leaves CS 100', () => {
    expect(run([s.bug()], at({ skillPoints: 2, communication: 180 }))).toMatchObject({ skillPoints: 1, communication: 100 })
  })

  it('takes SP −1 per bug, halts at SP ≤ 0 and never goes below 0', () => {
    const once = run([s.bug()])
    expect(once).toMatchObject({ skillPoints: 0, bugs: 1 })
    expect(isHalted(once)).toBe(true)
    const twice = run([s.bug(), s.bug('agent')])
    expect(twice).toMatchObject({ skillPoints: 0, bugs: 2 })
  })

  it('stays halted while XP accrues, without levelling up', () => {
    const halted = run([s.bug(), s.push(), s.push(), ...times(30, () => s.toolCall())])
    expect(halted).toMatchObject({ skillPoints: 0, experience: 23, pushes: 2 })
    expect(isHalted(halted)).toBe(true)
  })

  it('reinstates a halted setup to SP 1, then levels up with the XP it earned meanwhile', () => {
    expect(run([s.bug(), s.reinstate()])).toMatchObject({ skillPoints: 1, experience: 0 })
    expect(run([s.bug(), s.push(), s.push(), s.reinstate()])).toMatchObject({ skillPoints: 2, experience: 10 })
  })

  it('leaves a setup that is not halted unchanged on reinstate', () => {
    const state = at({ skillPoints: 3, experience: 4 })
    expect(run([s.reinstate()], state)).toEqual(state)
  })

  it('sums tokens and cost of finished messages', () => {
    const state = run([s.usage({ input: 1000, output: 200, cacheRead: 50 }, 0.02), s.usage({ input: 10, reasoning: 7 }, 0.001)])
    expect(state.tokens).toEqual({ input: 1010, output: 200, reasoning: 7, cacheRead: 50, cacheWrite: 0 })
    expect(state.messages).toBe(2)
    expect(state.cost).toBeCloseTo(0.021, 12)
    // A response without a known price counts with cost 0, whatever figure came with it.
    const unpriced = run([s.usage({ input: 100 }, 0.2), { ...s.usage({ input: 100 }, 0.5), costSource: 'unknown' }])
    expect([unpriced.messages, unpriced.cost]).toEqual([2, 0.2])
  })

  it('changes no score for activities and retrospective narratives', () => {
    expect(run([s.activity('x'), s.retrospective('aaaa', { task: 'x', agentNote: 'y' })])).toEqual(start)
  })

  it('does not mutate the state it is given', () => {
    const frozen = Object.freeze({ ...start })
    expect(() => applyFact(frozen, s.commit('bbbb'), rules)).not.toThrow()
    expect(frozen.commits).toBe(0)
  })
})
