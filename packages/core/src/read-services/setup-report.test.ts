import { describe, expect, it } from 'vitest'
import { API, GPT, SHOP, SONNET, storeWithHistory } from '../../test/read-history.js'
import { exportRecords } from './export-records.js'
import { setupReport, setupTrends } from './setup-report.js'

describe('setupReport', () => {
  it('reports outcomes per setup, best mean user grade first, with the projects it spans', async () => {
    const store = await storeWithHistory()
    const report = await setupReport(store)
    expect(report.rows.map((row) => [row.setup, row.commits, row.bugs, row.userGrades])).toEqual([[SONNET, 6, 0, 5], [GPT, 3, 1, 3]])
    expect(report.rows[0]?.meanUserGrade).toBeCloseTo((2 + 5 + 2 + 5 + 2) / 5, 10)
    expect(report.rows[0]?.toolFailureRate).toBeCloseTo(1 / 6, 10)
    expect(report.projects).toBe(2)
  })

  it('gives each setup’s weekly trend in the window', async () => {
    const store = await storeWithHistory()
    const trends = await setupTrends(store)
    expect(trends.map((trend) => [trend.setup, trend.points.map((point) => [point.week, point.commits, point.meanUserGrade])])).toEqual([
      [SONNET, [['2026-03-02', 6, 16 / 5]]],
      [GPT, [['2026-03-09', 3, 1 / 3]]],
    ])
    expect(await setupTrends(store, { project: API, agent: 'build' })).toEqual([])
  })

  it('narrows by project, window and setup filter', async () => {
    const store = await storeWithHistory()
    expect((await setupReport(store, { project: API })).rows.map((row) => row.setup)).toEqual([GPT])
    expect((await setupReport(store, { agent: 'build' })).projects).toBe(1)
    expect((await setupReport(store, { since: '2026-04-01' })).rows).toEqual([])
  })
})

describe('exportRecords', () => {
  it('exports every collection oldest first, and narrows each by the filters it names', async () => {
    const store = await storeWithHistory()
    const all = await exportRecords(store)
    expect(all.filters).toEqual({})
    expect(all.collections.commits.map((commit) => commit.at)).toEqual([...all.collections.commits.map((commit) => commit.at)].sort())
    expect(all.collections.commits).toHaveLength(9)
    const shop = await exportRecords(store, { project: SHOP, since: '2026-03-01T00:00:00.000Z' })
    expect(shop.filters).toEqual({ project: SHOP, since: '2026-03-01T00:00:00.000Z' })
    expect(shop.collections.setups.map((setup) => setup.id)).toEqual([SONNET])
    expect(shop.collections.projects.map((project) => project.path)).toEqual([SHOP])
    expect(shop.collections.bugs).toEqual([])
    const gpt = await exportRecords(store, { model: 'openai/gpt-5' })
    expect(gpt.collections.setups.map((setup) => setup.id)).toEqual([GPT])
    expect(gpt.collections.projects.map((project) => project.path)).toEqual([API])
  })
})
