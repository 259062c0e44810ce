import { describe, expect, it } from 'vitest'
import type { AgentState } from './agent-state.js'
import { initialState } from './agent-state.js'
import { combineSetup, planSetupImport, withoutSource } from './combine-setups.js'
import type { SetupRecord } from '../store/records.js'
import { DEFAULT_RULES } from './rules.js'
import { validateRecord } from '../validation/validate-record.js'

const START = initialState(DEFAULT_RULES)
const ID = 'build@anthropic/claude-sonnet-4-5'

function setup(state: Partial<AgentState>, extra: Partial<SetupRecord> = {}): SetupRecord {
  return { v: 1, id: ID, agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5', state: { ...START, ...state }, firstSeenAt: '2026-01-05T00:00:00.000Z', lastSeenAt: '2026-01-06T00:00:00.000Z', ...extra }
}

function combined(outcome: ReturnType<typeof combineSetup>): SetupRecord {
  if (outcome.change === 'unchanged') throw new Error('expected a change')
  return outcome.record
}

describe('combineSetup', () => {
  it('sums counters and moves scores by what they moved in the source, leaving level-ups to the next fact', () => {
    const stored = setup({ skillPoints: 2, experience: 15, communication: 64, commits: 10, bugs: 1, toolCalls: 40, toolFailures: 4, cost: 1.25, userGrades: { count: 2, sum: 7 } })
    const incoming = setup({ skillPoints: 1, experience: 8, communication: 70, commits: 5, bugs: 2, toolCalls: 10, cost: 0.5, userGrades: { count: 1, sum: 5 } }, { firstSeenAt: '2026-01-01T00:00:00.000Z' })
    const record = combined(combineSetup(stored, incoming, 'merge:/b', DEFAULT_RULES))
    // SP 2 + 0, XP 15 + 8 (a level-up waits for the next fact), CS 64 + 10.
    expect(record.state).toMatchObject({ skillPoints: 2, experience: 23, communication: 74, commits: 15, bugs: 3, toolCalls: 50, toolFailures: 4, cost: 1.75, userGrades: { count: 3, sum: 12 } })
    expect(record.firstSeenAt).toBe('2026-01-01T00:00:00.000Z')
    expect(record.imports).toEqual({ 'merge:/b': incoming.state })
  })

  it('holds scores summed from two sources to what a setup may hold, so that the result stays mergeable', () => {
    const first = combined(combineSetup(undefined, setup({ skillPoints: 6000, cost: 6e8 }), 'legacy-files:/a', DEFAULT_RULES))
    const both = combined(combineSetup(first, setup({ skillPoints: 6000, cost: 6e8 }), 'legacy-files:/b', DEFAULT_RULES))
    expect(both.state).toMatchObject({ skillPoints: 10_000, cost: 1e9 })
    expect(() => validateRecord('setups', both, DEFAULT_RULES)).not.toThrow()
  })

  it('keeps a source\'s own part at 0 or above when its record holds less than the parts it imported, so that the result stays mergeable', () => {
    // Another database took in a migrated part (XP 46) and then levelled up on its next facts: its
    // record holds less experience than that part, and its own part would be below 0.
    const incoming = setup({ skillPoints: 5, experience: 6 }, { imports: { 'legacy-files:/a': { ...START, skillPoints: 4, experience: 46 } } })
    const record = combined(combineSetup(undefined, incoming, 'database:b', DEFAULT_RULES))
    expect(record.imports?.['database:b']?.experience).toBe(0)
    expect(() => validateRecord('setups', record, DEFAULT_RULES)).not.toThrow()
  })

  it('gives the same counters whichever source comes first', () => {
    const a = setup({ commits: 3, bugs: 1, messages: 7, agentGrades: { count: 2, sum: 4 } })
    const b = setup({ commits: 4, pushes: 2, messages: 1, agentGrades: { count: 1, sum: 5 } })
    const ab = combined(combineSetup(combined(combineSetup(undefined, a, 'a', DEFAULT_RULES)), b, 'b', DEFAULT_RULES))
    const ba = combined(combineSetup(combined(combineSetup(undefined, b, 'b', DEFAULT_RULES)), a, 'a', DEFAULT_RULES))
    expect(ab.state).toEqual(ba.state)
    expect(ab.state).toMatchObject({ commits: 7, bugs: 1, pushes: 2, messages: 8, agentGrades: { count: 3, sum: 9 } })
  })

  it('adds only what changed when the same source comes again, and nothing when it did not change', () => {
    const first = combined(combineSetup(undefined, setup({ commits: 3 }), 'merge:/laptop', DEFAULT_RULES))
    expect(combineSetup(first, setup({ commits: 3 }), 'merge:/laptop', DEFAULT_RULES)).toEqual({ change: 'unchanged' })
    expect(combined(combineSetup(first, setup({ commits: 5 }), 'merge:/laptop', DEFAULT_RULES)).state.commits).toBe(5)
  })

  it('never counts twice what both databases imported, nor the store\'s own part coming back', () => {
    const legacy = { ...START, commits: 4 }
    // This store imported the legacy database and has 2 commits of its own.
    const stored = setup({ commits: 6 }, { imports: { 'project-database:/p': legacy } })
    // The other machine imported the same legacy database, merged this store (2 commits), and made 1 commit.
    const incoming = setup({ commits: 7 }, { imports: { 'project-database:/p': legacy, 'database:mine': { ...START, commits: 2 } } })
    const record = combined(combineSetup(stored, incoming, 'database:theirs', DEFAULT_RULES, 'database:mine'))
    expect(record.state.commits).toBe(7)
  })

  it('takes a source\'s part back out', () => {
    const record = combined(combineSetup(setup({ commits: 2 }), setup({ commits: 3, userGrades: { count: 1, sum: 2 } }), 'legacy-files:/p', DEFAULT_RULES))
    const taken = withoutSource(record, 'legacy-files:/p', DEFAULT_RULES)
    expect(taken?.record.state).toEqual(setup({ commits: 2 }).state)
    expect(taken?.part.commits).toBe(3)
    expect(withoutSource(record, 'other', DEFAULT_RULES)).toBeUndefined()
  })

  it('plans an import of several setups with the before and after of each combined one', () => {
    const stored = setup({ commits: 1 })
    const other = { ...setup({ commits: 2 }), id: 'plan', agent: 'plan' }
    const plan = planSetupImport((id) => (id === ID ? stored : undefined), [setup({ commits: 2 }), other], 'merge:/x', DEFAULT_RULES)
    expect(plan.result).toEqual({ written: 1, skipped: 0, combined: [{ id: ID, before: stored.state, after: expect.objectContaining({ commits: 3 }) as unknown }] })
    expect(plan.puts.map((record) => record.id)).toEqual([ID, 'plan'])
  })
})
