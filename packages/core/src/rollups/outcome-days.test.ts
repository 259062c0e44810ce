import { describe, expect, it } from 'vitest'
import type { UsageRecord } from '../store/records.js'
import { OUTCOME_FIELDS, outcomeDayFrom, outcomeDayMove, outcomeDayOf, outcomeDaysOfRollups, outcomeNumbers } from './outcome-days.js'
import { emptyUsage } from './usage-rollup.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const SHOP = '/home/dev/shop'

/** A day rollup of the shop with a commit, a user grade of 5 and some cost. */
function rollup(change: Partial<UsageRecord> = {}): UsageRecord {
  const empty = emptyUsage(SETUP, SHOP, '2026-03-02')
  return { ...empty, toolCalls: 4, commits: 1, messages: 3, cost: 0.25, grades: { ...empty.grades, user: { count: 1, sum: 5, squares: 25 } }, ...change }
}

describe('outcome days', () => {
  it("are a rollup's ten outcome numbers, read back as they were written", () => {
    const day = outcomeDayOf(rollup({ bugs: 2, estimatedCost: 0.1, unpricedMessages: 1 }))
    expect(day).toEqual({ setup: SETUP, project: SHOP, day: '2026-03-02', commits: 1, bugs: 2, grades: { user: { count: 1, sum: 5, squares: 25 } }, cost: 0.25, messages: 3, estimatedCost: 0.1, unpricedMessages: 1 })
    expect(outcomeNumbers(day)).toHaveLength(OUTCOME_FIELDS.length)
    // Read from the middle of a longer array, as a store keeps them.
    expect(outcomeDayFrom(SETUP, SHOP, '2026-03-02', [7, 7, ...outcomeNumbers(day)], 2)).toEqual(day)
    // An estimate or an unpriced count the rollup does not hold is 0.
    expect(outcomeDayOf(rollup())).toMatchObject({ estimatedCost: 0, unpricedMessages: 0 })
  })

  it('move with a rollup only when its outcome does: new, changed, emptied or removed', () => {
    const stored = rollup()
    expect(outcomeDayMove(undefined, stored)).toEqual(outcomeDayOf(stored))
    // Tool calls and tokens alone: the outcome day stays as it was.
    expect(outcomeDayMove(stored, rollup({ toolCalls: 9, tokens: { input: 10, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 } }))).toBe('keep')
    expect(outcomeDayMove(stored, rollup({ commits: 2 }))).toMatchObject({ commits: 2 })
    expect(outcomeDayMove(stored, rollup({ cost: 0.5 }))).toMatchObject({ cost: 0.5 })
    expect(outcomeDayMove(stored, undefined)).toBe('remove')
    // A rollup that counts no work has no outcome day: put over one, it takes it away; removed, nothing moves.
    const nothing = emptyUsage(SETUP, SHOP, '2026-03-02')
    expect(outcomeDayMove(stored, nothing)).toBe('remove')
    expect(outcomeDayMove(undefined, nothing)).toBe('keep')
    expect(outcomeDayMove(nothing, undefined)).toBe('keep')
  })

  it('of rollups leave out those that count no work', () => {
    const days = outcomeDaysOfRollups([rollup(), emptyUsage(SETUP, SHOP, '2026-03-03'), rollup({ day: '2026-03-04', commits: 0, grades: emptyUsage(SETUP, SHOP, '2026-03-04').grades })])
    expect([...days.values()].map((day) => [day.day, day.commits])).toEqual([['2026-03-02', 1], ['2026-03-04', 0]])
  })
})
