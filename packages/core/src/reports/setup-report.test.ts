import { describe, expect, it } from 'vitest'
import { toTimeWindow } from '../time/time-window.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { buildHistory } from './history.js'
import { buildLeaderboard } from './leaderboard.js'
import { buildSetupReport, nonUserChannels } from './setup-report.js'
import { buildReportGroups } from './report-groups.js'
import { trendsOfWeeks } from './trends.js'

async function records(store: TrackerStore, query = {}) {
  return {
    setups: await store.find('setups'),
    commits: await store.find('commits', query),
    gradeEvents: await store.find('gradeEvents', query),
    bugs: await store.find('bugs', query),
    usage: await store.find('usage', query),
    activities: await store.find('activities', query),
  }
}

async function history(): Promise<TrackerStore> {
  const store = createMemoryStore()
  const sonnet = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/w/shop', start: '2026-03-02T09:00:00.000Z', stepMs: 3_600_000 })
  const gpt = createFactScript({ setup: 'build@openai/gpt-5', project: '/w/api', start: '2026-03-09T09:00:00.000Z', stepMs: 3_600_000 })
  await store.applyFacts([
    sonnet.toolCall('bash', true), sonnet.toolCall('bash', false, 1), sonnet.toolCall('edit', true), sonnet.toolCall('read', true),
    sonnet.usage({ input: 3000, output: 1000 }, 0.3), sonnet.commit('s1', 'cart'), sonnet.grade('s1', { by: 'user', agentGrade: 2, userGrade: 5 }),
    sonnet.usage({ input: 1000, output: 1000 }, 0.1), sonnet.commit('s2', 'checkout'), sonnet.grade('s2', { by: 'user', agentGrade: 2, userGrade: 2 }),
    sonnet.push(),
    gpt.toolCall('bash', true), gpt.usage({ input: 500, output: 500 }, 0.05), gpt.commit('g1', 'auth'),
    gpt.grade('g1', { by: 'user', userGrade: -1 }), gpt.bug('user', 'login broken', 'g1'), gpt.activity('auth', 'failed review'),
  ])
  return store
}

describe('buildSetupReport', () => {
  it('tells the cost estimated from list prices, and responses of unpriced models, apart from what the host recorded', async () => {
    const store = createMemoryStore()
    const codex = createFactScript({ setup: 'codex@openai/gpt-5-codex', project: '/w/api', start: '2026-03-02T09:00:00.000Z' })
    const base = (id: string) => ({ ...codex.usage({ input: 100 }, 0), id })
    await store.applyFacts([
      { ...base('u1'), cost: 0.5 },
      { ...base('u2'), cost: 0.25, costSource: 'estimate' },
      { ...base('u3'), cost: 0, costSource: 'unknown' },
    ])
    const [row] = buildSetupReport(await records(store))
    expect(row).toMatchObject({ messages: 3, cost: 0.75, estimatedCost: 0.25, unpricedMessages: 1 })
    expect(await store.find('usage')).toEqual([expect.objectContaining({ cost: 0.75, estimatedCost: 0.25, unpricedMessages: 1 })])
  })

  it('computes commits, bugs per commit, mean grades, failure rate and cost per commit per setup', async () => {
    const rows = buildSetupReport(await records(await history()))
    expect(rows.map((r) => r.setup)).toEqual(['build@anthropic/claude-sonnet-4-5', 'build@openai/gpt-5'])
    expect(rows[0]).toMatchObject({
      commits: 2, pushes: 1, bugs: 0, bugsPerCommit: 0, agentGrades: 2, meanAgentGrade: 2, userGrades: 2, meanUserGrade: 3.5,
      toolCalls: 4, toolFailures: 1, toolFailureRate: 0.25, messages: 2, tokensPerCommit: 3000, projects: 1, trustTier: 'Junior',
    })
    expect(rows[0]?.costPerCommit).toBeCloseTo(0.2, 10)
    // Two grades: the assumed spread of 2 grade points, 1.645 × 2 / √2 either side of the mean —
    // and no higher than the best grade, 5: a mean of grades cannot be above it.
    expect(rows[0]?.userGradeInterval?.[0]).toBeCloseTo(3.5 - 1.645 * 2 / Math.SQRT2, 10)
    expect(3.5 + 1.645 * 2 / Math.SQRT2).toBeGreaterThan(5)
    expect(rows[0]?.userGradeInterval?.[1]).toBe(5)
    expect(rows[1]).toMatchObject({ commits: 1, bugs: 1, bugsPerCommit: 1, meanUserGrade: -1, meanAgentGrade: null, toolFailureRate: 0, halted: true })
  })

  it('counts only counted user grades, and shows every user grade by channel', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: 'build@fake/m1', project: '/w/shop' })
    await store.applyFacts([
      s.commit('c1'), s.grade('c1', { by: 'user', userGrade: 2 }),
      s.commit('c2'), s.grade('c2', { by: 'user', userGrade: 5, channel: 'cli-script' }), s.grade('c2', { by: 'user', userGrade: -1, channel: 'slash-command' }),
      s.commit('c3'), s.grade('c3', { by: 'user', userGrade: 5, channel: 'ingest', vouched: true }), s.grade('c3', { by: 'agent', agentGrade: 5, channel: 'agent-tool' }),
    ])
    const rows = buildSetupReport(await records(store))
    // The uncounted cli-script grade moved CS by nothing: 2 − 1 + 5 (vouched) + 5 (self-grade).
    expect(rows[0]).toMatchObject({ userGrades: 3, meanUserGrade: 2, agentGrades: 1, communicationGained: 11 })
    expect(rows[0]?.userGradesByChannel).toEqual([
      { channel: 'slash-command', grades: 1, counted: 1, meanGrade: -1 },
      { channel: 'cli-script', grades: 1, counted: 0, meanGrade: 5 },
      { channel: 'ingest', grades: 1, counted: 1, meanGrade: 5 },
      { channel: 'unrecorded', grades: 1, counted: 1, meanGrade: 2 },
    ])
    expect(nonUserChannels(rows)).toEqual(['cli-script', 'ingest'])
    expect(nonUserChannels(buildSetupReport(await records(await history())))).toEqual([])
    const [week] = trendsOfWeeks(buildReportGroups(await records(store), 'week', { timeZone: 'UTC' }))[0]?.points ?? []
    expect(week?.meanUserGrade).toBe(2)
    expect(buildHistory(await records(store)).filter((entry) => entry.kind === 'grade').map((entry) => entry.summary)).toEqual([
      'c3 graded agent excellence via agent-tool',
      'c3 graded user excellence via ingest (vouched for)',
      'c2 graded user bad via slash-command',
      "c2 graded user excellence via cli-script — not counted: not the user's own channel",
      'c1 graded user good',
    ])
  })

  it('filters by agent, model and time window', async () => {
    const store = await history()
    expect(buildSetupReport(await records(store), { model: 'openai/gpt-5' }).map((r) => r.setup)).toEqual(['build@openai/gpt-5'])
    expect(buildSetupReport(await records(store), { model: 'claude-sonnet-4-5' }).map((r) => r.setup)).toEqual(['build@anthropic/claude-sonnet-4-5'])
    expect(buildSetupReport(await records(store), { agent: 'plan' })).toEqual([])
    const march2to8 = toTimeWindow({ since: '2026-03-02', until: '2026-03-08' })
    expect(buildSetupReport(await records(store, march2to8)).map((r) => r.setup)).toEqual(['build@anthropic/claude-sonnet-4-5'])
  })

  it('gives the XP and CS the counted work earned, by the rules, not the current totals', async () => {
    const store = await history()
    const [sonnet, gpt] = buildSetupReport(await records(store), {}, store.rules)
    // 3 successful tool calls × 0.1 + 2 commits × 1 + 1 push × 10 + 2 user-graded commits × 1
    expect(sonnet).toMatchObject({ experienceGained: 14.3, communicationGained: 11 })
    // The level-up turned 10 of those 14.3 XP into a skill point: the current total is smaller than what was earned.
    expect(sonnet?.experience).toBeCloseTo(4.3, 10)
    expect(gpt).toMatchObject({ experienceGained: 2.1, communicationGained: -1 })
    const doubled = buildSetupReport(await records(store), {}, { ...store.rules, experience: { ...store.rules.experience, push: 20 } })
    expect(doubled[0]?.experienceGained).toBe(24.3)
    const secondWeek = buildSetupReport(await records(store, toTimeWindow({ since: '2026-03-09' })), {}, store.rules)
    expect(secondWeek.map((row) => [row.setup, row.experienceGained, row.communicationGained])).toEqual([['build@openai/gpt-5', 2.1, -1]])
  })

  it('ranks the leaderboard by SP, XP, CS with halted setups last', async () => {
    const store = await history()
    const board = buildLeaderboard(await store.find('setups'), store.rules)
    expect(board.map((row) => [row.rank, row.status.setup, row.status.halted])).toEqual([
      [1, 'build@anthropic/claude-sonnet-4-5', false],
      [2, 'build@openai/gpt-5', true],
    ])
  })

  it('merges a setup history newest first and builds weekly trends', async () => {
    const store = await history()
    const gpt = await records(store, { setup: 'build@openai/gpt-5' })
    expect(buildHistory(gpt).map((entry) => [entry.kind, entry.summary])).toEqual([
      ['activity', 'auth → failed review'],
      ['bug', 'reported by the user on g1: login broken'],
      ['grade', 'g1 graded user bad'],
      ['commit', 'g1 auth'],
    ])
    const trends = trendsOfWeeks(buildReportGroups(await records(store), 'week', { timeZone: 'UTC' }))
    expect(trends.map((t) => [t.setup, t.points.map((p) => [p.week, p.commits, p.meanUserGrade])])).toEqual([
      ['build@anthropic/claude-sonnet-4-5', [['2026-03-02', 2, 3.5]]],
      ['build@openai/gpt-5', [['2026-03-09', 1, -1]]],
    ])
    // Weeks are those of the zone asked for: in Tokyo, Sonnet's Monday-morning (UTC) work is still that Monday's week,
    // and a commit late on Sunday 8 March (UTC) is on Monday 9 March there.
    const late = await history()
    await late.applyFacts([createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/w/shop', start: '2026-03-08T20:00:00.000Z' }).commit('s3', 'late')])
    const weeksIn = async (timeZone: string): Promise<unknown> => trendsOfWeeks(buildReportGroups(await records(late), 'week', { timeZone }))[0]?.points.map((p) => [p.week, p.commits])
    expect(await weeksIn('UTC')).toEqual([['2026-03-02', 3]])
    expect(await weeksIn('Asia/Tokyo')).toEqual([['2026-03-02', 2], ['2026-03-09', 1]])
  })

  it('makes a bare --until date include that whole day', () => {
    expect(toTimeWindow({ since: '2026-03-01', until: '2026-03-31' })).toEqual({ since: '2026-03-01T00:00:00.000Z', until: '2026-04-01T00:00:00.000Z' })
    expect(toTimeWindow({ until: '2026-03-31T12:00:00Z' })).toEqual({ until: '2026-03-31T12:00:00.000Z' })
    expect(() => toTimeWindow({ since: 'last week' })).toThrow('Invalid --since "last week": use an ISO 8601 date')
  })
})
