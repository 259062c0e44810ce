import { describe, expect, it } from 'vitest'
import { GPT, SHOP, SONNET, storeWithHistory } from '../../test/read-history.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { leaderboard } from './leaderboard.js'
import { setupReport } from './setup-report.js'

describe('leaderboard', () => {
  it('ranks every setup by skill points, then experience, halted setups last, with current totals', async () => {
    const store = await storeWithHistory()
    const rows = await leaderboard(store)
    expect(rows.map((row) => [row.rank, row.status.setup, row.status.halted, row.window])).toEqual([[1, SONNET, false, undefined], [2, GPT, true, undefined]])
    expect(rows[0]?.status.state.commits).toBe(6)
    expect((await leaderboard(store, { model: 'gpt-5' })).map((row) => row.status.setup)).toEqual([GPT])
    expect(await leaderboard(store, { limit: 1 })).toHaveLength(1)
  })

  it('narrowed to a project or window, ranks only the setups that worked there, counting their commits and bugs there', async () => {
    const store = await storeWithHistory()
    expect((await leaderboard(store, { project: SHOP })).map((row) => [row.status.setup, row.window])).toEqual([[SONNET, { commits: 6, bugs: 0 }]])
    expect((await leaderboard(store, { since: '2026-03-09' })).map((row) => [row.status.setup, row.window])).toEqual([[GPT, { commits: 3, bugs: 1 }]])
    expect(await leaderboard(store, { since: '2026-04-01' })).toEqual([])
  })

  it('leaves out a setup whose only work on a day the window cuts lies outside it, as the report does', async () => {
    const store = createMemoryStore()
    const early = createFactScript({ setup: SONNET, project: SHOP, start: '2026-11-10T02:00:00.000Z' })
    const late = createFactScript({ setup: GPT, project: SHOP, start: '2026-11-10T20:00:00.000Z' })
    await store.applyFacts([early.commit('1b000001'), late.toolCall('bash', true), late.commit('1b000002')])
    const window = { since: '2026-11-10T01:00:00.000Z', until: '2026-11-10T03:00:00.000Z' }
    expect((await leaderboard(store, window)).map((row) => [row.status.setup, row.window])).toEqual([[SONNET, { commits: 1, bugs: 0 }]])
    expect((await setupReport(store, window)).rows.map((row) => row.setup)).toEqual([SONNET])
    // Its tool call counts once the window holds the day's noon, though its commit still lies outside (ranked by its scores, ahead).
    expect((await leaderboard(store, { since: '2026-11-10T01:00:00.000Z', until: '2026-11-10T13:00:00.000Z' })).map((row) => [row.status.setup, row.window])).toEqual([[GPT, { commits: 0, bugs: 0 }], [SONNET, { commits: 1, bugs: 0 }]])
  })
})
