import { describe, expect, it } from 'vitest'
import { API, GPT, SHOP, SONNET, storeWithHistory } from '../../test/read-history.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { exportRecordStream, exportRecords } from './export-records.js'
import { groupedReport, setupReport, setupTrends } from './setup-report.js'
import { totalsOfRollups } from '../rollups/setup-totals.js'
import type { TrackerStore } from '../store/tracker-store.js'
import type { UsageRecord } from '../store/records.js'
import { emptyUsage } from '../rollups/usage-rollup.js'
import { buildReportGroups, rollupsSplitBy } from '../reports/report-groups.js'
import type { ReportGrouping } from '../reports/report-groups.js'
import { countersCountIn } from './window-rollups.js'
import type { Fact } from '../facts/facts.js'

describe('setupReport', () => {
  it('reports outcomes per setup, best mean user grade first, with the projects it spans', async () => {
    const store = await storeWithHistory()
    const report = await setupReport(store)
    expect(report.rows.map((row) => [row.setup, row.commits, row.bugs, row.userGrades])).toEqual([[SONNET, 6, 0, 5], [GPT, 3, 1, 3]])
    expect(report.rows[0]?.meanUserGrade).toBeCloseTo((2 + 5 + 2 + 5 + 2) / 5, 10)
    expect(report.rows[0]?.toolFailureRate).toBeCloseTo(1 / 6, 10)
    // Sonnet worked in the shop, GPT in the API.
    expect(report.rows.map((row) => row.projects)).toEqual([1, 1])
  })

  it('reads all time from the setup totals of a store that keeps them, with the same rows as from the rollups', async () => {
    const store = await storeWithHistory()
    const fromRollups = await setupReport(store)
    const rollups = await store.find('usage')
    let totalsRead = 0
    const withTotals: TrackerStore = Object.assign(Object.create(store) as TrackerStore, {
      setupTotals: () => {
        totalsRead += 1
        return Promise.resolve([...totalsOfRollups(rollups).values()])
      },
    })
    expect(await setupReport(withTotals)).toEqual(fromRollups)
    expect(await setupReport(withTotals, { agent: 'build', limit: 1 })).toEqual(await setupReport(store, { agent: 'build', limit: 1 }))
    expect(totalsRead).toBe(2)
    // A window or a project needs the days: the totals are not read.
    await setupReport(withTotals, { project: API })
    await setupReport(withTotals, { since: '2026-03-02' })
    expect(totalsRead).toBe(2)
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

  it('counts commits, bugs and grades exactly on a day the window cuts, from that day’s records', async () => {
    // Sonnet's facts run from 09:00 on 2 March, a minute apart; GPT's bug comes on 9 March.
    const store = await storeWithHistory()
    const commitsOf = async (query: Parameters<typeof setupReport>[1]): Promise<number[]> => (await setupReport(store, query)).rows.map((row) => row.commits)
    expect(await commitsOf({ setup: SONNET })).toEqual([6])
    expect(await commitsOf({ setup: SONNET, since: '2026-03-02T09:10:00Z' })).toEqual([4])
    expect(await commitsOf({ setup: SONNET, until: '2026-03-02T09:10:00Z' })).toEqual([2])
    expect(await commitsOf({ setup: SONNET, since: '2026-03-02T09:05:00Z', until: '2026-03-02T09:10:00Z' })).toEqual([1])
    const cut = await setupReport(store, { setup: SONNET, since: '2026-03-02T09:10:00Z' })
    expect(cut.rows[0]).toMatchObject({ userGrades: 3, meanUserGrade: (2 + 5 + 2) / 3 })
    // Tool calls and cost are kept per day: a cut day keeps all of them.
    expect(cut.rows[0]?.toolCalls).toBe(6)
    expect((await setupReport(store, { setup: GPT, since: '2026-03-09T09:06:00Z' })).rows[0]).toMatchObject({ commits: 0, bugs: 1 })
    expect((await setupReport(store, { limit: 1 })).rows).toHaveLength(1)
  })

  it('says which days the window cuts hold tool calls and cost, and whether each counts them whole or not at all', async () => {
    // Sonnet's tool calls and cost ($0.05 a commit) all fall on the morning of 2 March; GPT records none.
    const store = await storeWithHistory()
    const fromNine = await setupReport(store, { setup: SONNET, since: '2026-03-02T09:10:00Z' })
    expect(fromNine.cutDays).toEqual([{ day: '2026-03-02', counted: true }])
    expect(fromNine.rows[0]).toMatchObject({ commits: 4, toolCalls: 6 })
    // A window that ends before noon counts none of the day's tool calls and cost, its commits exactly.
    const untilNine = await setupReport(store, { setup: SONNET, until: '2026-03-02T09:10:00Z' })
    expect(untilNine.cutDays).toEqual([{ day: '2026-03-02', counted: false }])
    expect(untilNine.rows[0]).toMatchObject({ commits: 2, toolCalls: 0, cost: 0 })
    // The weekly trend counts the cut day's cost as the report does: not at all, so nothing in the window says what its work cost.
    expect((await setupTrends(store, { setup: SONNET, until: '2026-03-02T09:10:00Z' })).map((trend) => trend.points.map((point) => [point.commits, point.cost]))).toEqual([[[2, null]]])
    expect((await setupTrends(store, { setup: SONNET, since: '2026-03-02T09:10:00Z' }))[0]?.points[0]?.cost).toBeCloseTo(0.3, 10)
    const grouped = await groupedReport(store, { by: 'project', until: '2026-03-02T09:10:00Z' })
    expect(grouped.cutDays).toEqual([{ day: '2026-03-02', counted: false }])
    // Whole UTC days, no window, or a cut day without tool calls or cost in the setups reported: nothing to say.
    expect((await setupReport(store, { since: '2026-03-02', until: '2026-03-03' })).cutDays).toEqual([])
    expect((await setupReport(store)).cutDays).toEqual([])
    expect((await setupReport(store, { setup: GPT, since: '2026-03-09T09:01:00Z' })).cutDays).toEqual([])
    expect((await setupReport(store, { agent: 'plan', since: '2026-03-02T09:10:00Z' })).cutDays).toEqual([])
  })

  it('counts and names a cut day whose rollup holds only an estimated cost or responses without a known price, as the grouped report does', async () => {
    // Rollups an import brought (a legacy baseline): one holding only the estimated part of a cost, one only responses without a known price.
    const store = await storeWithHistory()
    const only = (day: string, counters: { estimatedCost?: number; unpricedMessages?: number }): UsageRecord => ({ ...emptyUsage(SONNET, SHOP, day), ...counters })
    const imported = await store.importRecords({ usage: [only('2026-03-20', { estimatedCost: 0.25 }), only('2026-03-23', { unpricedMessages: 2 })] })
    expect(imported.written).toBe(2)
    const window = { setup: SONNET, since: '2026-03-20T09:00:00Z', until: '2026-03-23T15:00:00Z' }
    const report = await setupReport(store, window)
    expect(report.rows[0]).toMatchObject({ estimatedCost: 0.25, unpricedMessages: 2 })
    // Kept per day, they count whole on both cut days, and the report says so.
    expect(report.cutDays).toEqual([{ day: '2026-03-20', counted: true }, { day: '2026-03-23', counted: true }])
    const byDay = await groupedReport(store, { ...window, by: 'day' })
    expect(byDay.groups.map((group) => [group.key, group.rows[0]?.estimatedCost, group.rows[0]?.unpricedMessages])).toEqual([['2026-03-20', 0.25, 0], ['2026-03-23', 0, 2]])
    expect(byDay.cutDays).toEqual(report.cutDays)
    // Ending before the second day's noon, the window counts none of it, and says so.
    const before = await setupReport(store, { ...window, until: '2026-03-23T09:00:00Z' })
    expect(before.rows[0]).toMatchObject({ estimatedCost: 0.25, unpricedMessages: 0 })
    expect(before.cutDays).toEqual([{ day: '2026-03-20', counted: true }, { day: '2026-03-23', counted: false }])
    // An import takes such a rollup's counters into a day that holds only commits and grades (GPT's
    // days hold no tool calls or cost), and counts them once however often it comes.
    const gpt = { ...emptyUsage(GPT, API, '2026-03-09'), estimatedCost: 0.5 }
    expect((await store.importRecords({ usage: [gpt] })).written).toBe(1)
    expect((await store.importRecords({ usage: [gpt] })).written).toBe(0)
    expect((await setupReport(store, { setup: GPT })).rows[0]).toMatchObject({ commits: 3, estimatedCost: 0.5 })
  })

  it('narrows by project, window and setup filter', async () => {
    const store = await storeWithHistory()
    expect((await setupReport(store, { project: API })).rows.map((row) => row.setup)).toEqual([GPT])
    expect((await setupReport(store, { agent: 'build' })).rows.map((row) => row.projects)).toEqual([1])
    expect((await setupReport(store, { since: '2026-04-01' })).rows).toEqual([])
  })
})

/**
 * `store`, noting each collection read: the one `find` and `scan` are given, `commits` for
 * `findCommitRefs`.
 */
function watchReads(store: TrackerStore): { watched: TrackerStore; reads: string[] } {
  const reads: string[] = []
  const watched: TrackerStore = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown
      if ((name !== 'find' && name !== 'scan' && name !== 'findCommitRefs') || typeof value !== 'function') return value
      return (...args: unknown[]) => {
        reads.push(name === 'findCommitRefs' ? 'commits' : String(args[0]))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return { watched, reads }
}

describe('exportRecordStream', () => {
  it('gives every record once, oldest first, a page at a time, also when many share one instant', async () => {
    const store = createMemoryStore()
    const tied = createFactScript({ setup: SONNET, project: SHOP, start: '2026-04-01T00:00:00.000Z', stepMs: 0 })
    const later = createFactScript({ setup: GPT, project: API, start: '2026-04-02T00:00:00.000Z', stepMs: 1000 })
    await store.applyFacts([...Array.from({ length: 7 }, (_, i) => tied.activity(`tied ${String(i)}`)), ...Array.from({ length: 5 }, (_, i) => later.activity(`later ${String(i)}`))])
    let pauses = 0
    const streamed: string[] = []
    for await (const item of exportRecordStream(store, {}, { pageSize: 2, betweenPages: () => { pauses += 1 } })) {
      if (item.collection === 'activities') streamed.push(item.record.task)
    }
    expect(streamed).toEqual((await store.find('activities', { order: 'oldest' })).map((a) => a.task))
    expect(streamed).toHaveLength(12)
    expect(pauses).toBeGreaterThan(3)
  })

  it('holds no more than a page of records at once, however many evidence records and day rollups a window spans', async () => {
    const store = createMemoryStore()
    const facts = []
    // Forty days of work in two projects, each day with a tool call (its rollup) and twenty pieces of evidence.
    for (let day = 0; day < 40; day++) {
      for (const project of [SHOP, API]) {
        const script = createFactScript({ setup: SONNET, project, start: new Date(Date.UTC(2026, 2, 1 + day, 9)).toISOString() })
        facts.push(script.toolCall('bash', true), script.commit(`c${String(day)}${String(project.length)}`))
        for (let n = 0; n < 20; n++) {
          const base = script.activity('scan')
          facts.push({ id: `git:survival:${project}:${String(day)}:${String(n)}`, at: base.at, setup: SONNET, project, kind: 'evidence' as const, signal: 'survival' as const, commit: 'a'.repeat(40), source: 'b'.repeat(40), days: 7, added: 10, surviving: 9 })
        }
      }
    }
    await store.applyFacts(facts)
    let largest = 0
    const counting: TrackerStore = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown
        if (name !== 'find' || typeof value !== 'function') return value
        return async (...args: unknown[]) => {
          const found = (await (value as (...a: unknown[]) => Promise<unknown[]>).apply(target, args))
          largest = Math.max(largest, found.length)
          return found
        }
      },
    })
    // A window that cuts its first and last days, so that their rollups are counted again.
    const window = { since: '2026-03-02T15:00:00.000Z', until: '2026-04-08T06:00:00.000Z' }
    const counts = new Map<string, number>()
    for await (const item of exportRecordStream(counting, window, { pageSize: 25 })) counts.set(item.collection, (counts.get(item.collection) ?? 0) + 1)
    // The work of 3 March to 7 April: on the cut days (2 March and 8 April) it is at 09:00, outside the
    // window, and their usage does not count (their noon is outside it too), so their rollups are left out.
    expect(counts.get('evidence')).toBe(36 * 2 * 20)
    expect(counts.get('usage')).toBe(36 * 2)
    // A page of 25 and the records it gave already at the instant the next page starts from.
    expect(largest).toBeLessThanOrEqual(30)
  })

  it('reads only the collection asked for, but for the records that name the setups or projects of a narrowed export', async () => {
    const store = await storeWithHistory()
    const { watched, reads } = watchReads(store)
    const given = async (query: Parameters<typeof exportRecordStream>[1], only: 'setups' | 'usage' | 'projects'): Promise<string[]> => {
      reads.length = 0
      const keys: string[] = []
      for await (const item of exportRecordStream(watched, query, { only })) {
        expect(item.collection).toBe(only)
        keys.push(item.collection === 'setups' ? item.record.id : item.collection === 'projects' ? item.record.path : item.collection === 'usage' ? `${item.record.setup} ${item.record.day}` : '')
      }
      return keys
    }
    expect((await given({}, 'setups')).sort()).toEqual([GPT, SONNET].sort())
    expect([...new Set(reads)]).toEqual(['setups'])
    expect(await given({}, 'usage')).toHaveLength((await store.find('usage')).length)
    expect([...new Set(reads)]).toEqual(['usage'])
    // Narrowed to the API project, the setups are those its records name: every collection is read to name them.
    expect(await given({ project: API }, 'setups')).toEqual([GPT])
    expect(reads).toEqual(expect.arrayContaining(['commits', 'activities', 'usage', 'setups']))
    expect(await given({ project: API }, 'projects')).toEqual([API])
  })
})

describe('groupedReport', () => {
  /** Three setups in two projects over six weeks: work at all hours (some near midnight), grades days later, bugs, usage. */
  async function busyStore(): Promise<TrackerStore> {
    const store = createMemoryStore()
    const facts: Fact[] = []
    const setups = [SONNET, GPT, 'build@google/gemini-2.5-pro']
    for (let day = 0; day < 42; day++) {
      for (const [s, setup] of setups.entries()) {
        if ((day + s) % 3 === 0) continue
        const project = (day + s) % 2 === 0 ? SHOP : API
        const hour = (day * 7 + s * 5) % 24
        const script = createFactScript({ setup, project, session: `ses_${String(day)}_${String(s)}`, start: new Date(Date.UTC(2026, 2, 1 + day, hour, 50)).toISOString(), stepMs: 7 * 60_000 })
        const hash = `c${String(day).padStart(2, '0')}${String(s)}0ffee`
        facts.push(script.toolCall('bash', day % 5 !== 0), script.usage({ input: 1000 + day, output: 200 }, 0.01 * (s + 1)), script.commit(hash))
        if (day % 4 !== 1) facts.push(script.grade(hash, { by: 'user', userGrade: ([-1, 1, 2, 5] as const)[(day + s) % 4] ?? 1, agentGrade: 1, ...(day % 7 === 3 ? { channel: 'cli-script' as const } : {}) }))
        if (day % 9 === 2) facts.push(script.bug('user', 'broke the cart', hash))
      }
    }
    await store.applyFacts(facts)
    return store
  }

  it('splits by project and agent in any zone, and by period in UTC, from the day rollups: the groups the records give, without reading them', async () => {
    const store = await busyStore()
    const { watched, reads } = watchReads(store)
    // The groups as the records give them, the way every grouping is counted in a zone the rollups do not split.
    const fromRecords = async (query: Parameters<typeof groupedReport>[1]): Promise<unknown> => {
      const scope = { ...(query.since === undefined ? {} : { since: query.since }), ...(query.until === undefined ? {} : { until: query.until }), order: 'any' as const }
      const [setups, commits, gradeEvents, bugs, usage] = await Promise.all([store.find('setups'), store.findCommitRefs(scope), store.find('gradeEvents', scope), store.find('bugs', scope), store.find('usage', scope)])
      return buildReportGroups({ setups, commits, gradeEvents, bugs, usage: usage.filter(countersCountIn(query)) }, query.by, { timeZone: query.timeZone ?? 'UTC', filter: query, rules: store.rules })
    }
    const windows = [{}, { since: '2026-03-10T15:30:00.000Z' }, { until: '2026-04-02T06:00:00.000Z' }, { since: '2026-03-05T20:00:00.000Z', until: '2026-03-29T03:00:00.000Z', agent: 'build' }]
    const groupings: [ReportGrouping, string][] = [
      ['project', 'UTC'], ['agent', 'UTC'], ['project', 'Asia/Tokyo'], ['agent', 'America/New_York'], ['day', 'UTC'], ['week', 'UTC'], ['month', 'UTC'],
      // Zones whose weeks and months start inside UTC days, one of them changing its clocks in the window (29 March).
      ['week', 'Asia/Tokyo'], ['week', 'America/New_York'], ['week', 'Europe/Berlin'], ['month', 'UTC+05:30'], ['month', 'America/Los_Angeles'], ['day', 'Asia/Kathmandu'],
    ]
    for (const window of windows) {
      for (const [by, timeZone] of groupings) {
        const query = { ...window, by, timeZone }
        reads.length = 0
        const report = await groupedReport(watched, query)
        expect(report.groups.length, `${by} ${timeZone} ${JSON.stringify(window)}`).toBeGreaterThan(0)
        expect(report.groups, `${by} ${timeZone} ${JSON.stringify(window)}`).toEqual(await fromRecords(query))
        // Only a day the window cuts has its records read, to recount that day.
        if (Object.keys(window).length === 0 && rollupsSplitBy(by, timeZone)) expect([...new Set(reads)].sort()).toEqual(['setups', 'usage'])
      }
    }
    // By week in a zone whose weeks start inside UTC days, only the records of one UTC day a week are read.
    const commitsRead = async (query: Parameters<typeof groupedReport>[1]): Promise<number> => {
      reads.length = 0
      await groupedReport(watched, query)
      return reads.filter((read) => read === 'commits').length
    }
    // Tokyo's Monday starts on Sunday at 15:00 UTC, and its April on 31 March at 15:00 UTC.
    const worked = new Set((await store.find('usage')).map((rollup) => rollup.day))
    expect(await commitsRead({ by: 'week', timeZone: 'Asia/Tokyo' })).toBe([...worked].filter((day) => new Date(day).getUTCDay() === 0).length)
    expect(await commitsRead({ by: 'month', timeZone: 'Asia/Tokyo' })).toBe(worked.has('2026-03-31') ? 1 : 0)
    // By day there, each day starts inside a UTC day: the records are read once, as they are.
    expect(await commitsRead({ by: 'day', timeZone: 'Asia/Tokyo' })).toBe(1)
    expect(reads).toEqual(expect.arrayContaining(['gradeEvents', 'bugs']))
  })

  it('splits the report by week, project and agent', async () => {
    const store = await storeWithHistory()
    const weeks = await groupedReport(store, { by: 'week' })
    expect(weeks).toMatchObject({ by: 'week', timeZone: 'UTC' })
    expect(weeks.groups.map((group) => [group.key, group.rows.map((row) => [row.setup, row.commits])])).toEqual([['2026-03-02', [[SONNET, 6]]], ['2026-03-09', [[GPT, 3]]]])
    expect((await groupedReport(store, { by: 'project' })).groups.map((group) => group.key)).toEqual([API, SHOP])
    expect((await groupedReport(store, { by: 'agent' })).groups.map((group) => [group.key, group.rows.length])).toEqual([['build', 1], ['plan', 1]])
    expect((await groupedReport(store, { by: 'month', since: '2026-03-09' })).groups.map((group) => [group.key, group.rows.map((row) => row.setup)])).toEqual([['2026-03', [GPT]]])
  })

  it('counts calendar days in the time zone asked for', async () => {
    const store = createMemoryStore()
    const late = createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-02T23:30:00.000Z' })
    await store.applyFacts([late.commit('a1', 'late at night in London, early morning in Berlin')])
    expect((await groupedReport(store, { by: 'day' })).groups.map((group) => group.key)).toEqual(['2026-03-02'])
    // The commit falls on the 3rd in Berlin; its UTC day's rollup, which holds no tool call, token or cost, opens no group of the 2nd.
    const berlin = await groupedReport(store, { by: 'day', timeZone: 'Europe/Berlin' })
    expect(berlin.groups.map((group) => [group.key, group.rows.map((row) => row.commits)])).toEqual([['2026-03-03', [1]]])
    // Usage, kept per UTC day, stays with the 2nd.
    await store.applyFacts([late.toolCall('bash', true)])
    const withUsage = await groupedReport(store, { by: 'day', timeZone: 'Europe/Berlin' })
    expect(withUsage.groups.map((group) => [group.key, group.rows.map((row) => [row.commits, row.toolCalls])])).toEqual([['2026-03-02', [[0, 1]]], ['2026-03-03', [[1, 0]]]])
    // From Berlin's midnight of the 3rd, the day of usage whose noon falls before it stays out.
    const fromThird = await groupedReport(store, { by: 'day', timeZone: 'Europe/Berlin', since: '2026-03-02T23:00:00.000Z' })
    expect(fromThird.groups.map((group) => [group.key, group.rows.map((row) => row.commits)])).toEqual([['2026-03-03', [1]]])
    await expect(groupedReport(store, { by: 'member' as 'day' })).rejects.toThrow('Invalid grouping "member": accepted are day, week, month, project, agent.')
    await expect(groupedReport(store, { by: 'day', timeZone: 'Nowhere/Land' })).rejects.toThrow('Invalid time zone "Nowhere/Land"')
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

describe('the cost of a response without a known price', () => {
  it('is in no sum — the setup\'s, its rollups\', the report\'s — whatever figure came with it, and is counted apart', async () => {
    const store = createMemoryStore()
    const script = createFactScript({ setup: SONNET, project: SHOP, start: '2026-11-10T10:00:00.000Z' })
    await store.applyFacts([script.usage({ input: 100 }, 0.2), { ...script.usage({ input: 100 }, 0.5), costSource: 'unknown' as const }])
    expect((await setupReport(store)).rows[0]).toMatchObject({ cost: 0.2, unpricedMessages: 1 })
    expect((await store.get('setups', [SONNET]))?.state.cost).toBe(0.2)
    expect((await store.find('usage')).map((rollup) => [rollup.cost, rollup.unpricedMessages])).toEqual([[0.2, 1]])
  })
})
