import { describe, expect, it } from 'vitest'
import { GPT, SHOP, SONNET, storeWithHistory } from '../../test/read-history.js'
import { leaderboard } from './leaderboard.js'

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
})
