import { describe, expect, it } from 'vitest'
import type { UsageRecord } from '../store/records.js'
import { addRollupToTotals, emptySetupTotals, totalsOfRollups } from './setup-totals.js'
import { emptyUsage } from './usage-rollup.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'

function rollup(project: string, day: string, more: Partial<UsageRecord>): UsageRecord {
  return { ...emptyUsage(SETUP, project, day), ...more }
}

const monday = rollup('/w/shop', '2026-03-02', {
  toolCalls: 12, toolFailures: 2, commits: 3, bugs: 1, cost: 0.75, estimatedCost: 0.25, tokens: { input: 900, output: 300, reasoning: 10, cacheRead: 50, cacheWrite: 5 },
  grades: { agent: { count: 2, sum: 6, squares: 18 }, user: { count: 1, sum: 5, squares: 25 }, userByChannel: { 'cli-terminal': { grades: 1, counted: 1, sum: 5 } }, communication: 4 },
})
const tuesday = rollup('/w/api', '2026-03-03', { toolCalls: 4, commits: 1, unpricedMessages: 2, grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 1, sum: -1, squares: 1 }, userByChannel: { 'agent-tool': { grades: 1, counted: 0, sum: -1 } }, communication: -3 } })

describe('setup totals', () => {
  it('add up every counter, outcome and grade sum of the rollups, and count the projects', () => {
    const totals = totalsOfRollups([monday, tuesday, rollup('/w/shop', '2026-03-04', { commits: 2 })]).get(SETUP)
    expect(totals).toMatchObject({
      setup: SETUP, projects: 2, toolCalls: 16, toolFailures: 2, commits: 6, bugs: 1, cost: 0.75, estimatedCost: 0.25, unpricedMessages: 2,
      tokens: { input: 900, output: 300, reasoning: 10, cacheRead: 50, cacheWrite: 5 },
      grades: { agent: { count: 2, sum: 6, squares: 18 }, user: { count: 2, sum: 4, squares: 26 }, userByChannel: { 'cli-terminal': { grades: 1, counted: 1, sum: 5 }, 'agent-tool': { grades: 1, counted: 0, sum: -1 } }, communication: 1 },
    })
  })

  it('come back to exactly nothing when costs that do not add up exactly in binary are taken away again', () => {
    const cheap = rollup('/w/shop', '2026-03-02', { cost: 0.1, estimatedCost: 0.1, grades: { agent: { count: 1, sum: 0.1, squares: 0.01 }, user: { count: 0, sum: 0, squares: 0 }, userByChannel: {}, communication: 0.3 } })
    const dearer = rollup('/w/shop', '2026-03-03', { cost: 0.2, estimatedCost: 0.2, grades: { agent: { count: 1, sum: 0.2, squares: 0.04 }, user: { count: 0, sum: 0, squares: 0 }, userByChannel: {}, communication: 0.6 } })
    const both = addRollupToTotals(addRollupToTotals(emptySetupTotals(SETUP), cheap, 1, 1), dearer, 1)
    expect(both.cost).not.toBe(0.3) // 0.30000000000000004: the residue this guards against
    const neither = addRollupToTotals(addRollupToTotals(both, cheap, -1), dearer, -1, -1)
    expect(neither).toMatchObject({ projects: 0, cost: 0, estimatedCost: 0, grades: { agent: { count: 0, sum: 0, squares: 0 }, communication: 0 } })
  })

  it('come back to nothing when every rollup added is taken away, channels included', () => {
    const added = addRollupToTotals(addRollupToTotals(emptySetupTotals(SETUP), monday, 1, 1), tuesday, 1, 1)
    const removed = addRollupToTotals(addRollupToTotals(added, tuesday, -1, -1), monday, -1, -1)
    expect(removed).toEqual({ ...emptySetupTotals(SETUP), estimatedCost: 0, unpricedMessages: 0 })
  })
})
