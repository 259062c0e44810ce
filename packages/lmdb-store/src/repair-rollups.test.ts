import { join } from 'node:path'
import type { UsageRecord } from '@agent-tracker/core'
import { checkRollups } from '@agent-tracker/core'
import { emptyUsage } from '@agent-tracker/core/store'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { toLmdbKey } from './layout.js'
import type { LmdbStore } from './lmdb-store.js'
import { openEnvironment } from './open-environment.js'
import { openLmdbStore } from './open-lmdb-store.js'

const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'plan@openai/gpt-5'
const SHOP = '/home/dev/shop'
const API = '/home/dev/api'
const MAP_SIZE = 64 * 1024 * 1024

/** Two setups over two days in two projects, with every kind of fact a rollup counts, and one reattribution. */
async function trackedHistory(databasePath: string): Promise<void> {
  const store = openLmdbStore({ databasePath })
  const shop = createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-01T20:00:00.000Z', stepMs: 37 * 60_000 })
  const api = createFactScript({ setup: GPT, project: API, start: '2026-03-01T21:00:00.000Z', stepMs: 53 * 60_000 })
  for (let i = 0; i < 6; i++) {
    await store.applyFacts([
      shop.toolCall('bash', i % 3 !== 0), shop.usage({ input: 900, output: 120 }, 0.011), shop.commit(`5a${String(i)}c0ffee`), shop.grade(`5a${String(i)}c0ffee`, { by: 'user', userGrade: i % 2 === 0 ? 5 : 2 }),
      api.toolCall('edit'), api.command('grade'), api.push('origin', 'main'), api.commit(`ap${String(i)}beef`), ...(i % 3 === 0 ? [api.bug('user', `broke ${String(i)}`)] : []),
    ])
  }
  // Facts logged under GPT in the api project count for Sonnet from now on: the repair must read them so.
  await store.reattribute({ from: GPT, to: SONNET, project: API, source: 'journal' })
  await store.close()
}

/** Changes the stored rollups behind the store's back, as a lost or doubled write (or a bug) would. */
function tamper(databasePath: string, change: (usage: { get(key: string[]): UsageRecord | undefined; put(key: string[], record: UsageRecord): void; remove(key: string[]): void }, totals: { put(setup: string, change: (totals: Record<string, unknown>) => Record<string, unknown>): void }) => void): void {
  const { root, tables, setupTotals } = openEnvironment(databasePath, MAP_SIZE, false)
  try {
    root.transactionSync(() => {
      change({
        get: (key) => tables.usage.get(toLmdbKey(key)),
        put: (key, record) => { tables.usage.putSync(toLmdbKey(key), record) },
        remove: (key) => { tables.usage.removeSync(toLmdbKey(key)) },
      }, {
        put: (setup, alter) => {
          const stored = setupTotals?.get(toLmdbKey([setup])) as unknown as Record<string, unknown>
          setupTotals?.putSync(toLmdbKey([setup]), alter(stored) as never)
        },
      })
    })
  } finally {
    void root.close()
  }
}

async function withStore<T>(databasePath: string, work: (store: LmdbStore) => Promise<T>): Promise<T> {
  const store = openLmdbStore({ databasePath })
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

describe('repairRollups', () => {
  it('rewrites drifted day rollups, removes those nothing backs and rebuilds drifted setup totals, until the check finds nothing', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await trackedHistory(databasePath)
    const exact = await withStore(databasePath, async (store) => ({ check: await checkRollups(store), usage: await store.find('usage', { order: 'any' }) }))
    expect(exact.check.drift).toEqual([])
    const [first, second] = exact.usage
    if (first === undefined || second === undefined) throw new Error('the history should leave at least two day rollups')

    tamper(databasePath, (usage, totals) => {
      usage.put([first.setup, first.project, first.day], { ...first, toolCalls: first.toolCalls + 7, grades: { ...first.grades, user: { count: 9, sum: 9, squares: 9 } } })
      usage.remove([second.setup, second.project, second.day])
      usage.put([GPT, '/home/dev/nowhere', '2026-03-05'], { ...first, setup: GPT, project: '/home/dev/nowhere', day: '2026-03-05' })
      totals.put(SONNET, (stored) => ({ ...stored, commits: (stored.commits as number) + 100 }))
    })

    await withStore(databasePath, async (store) => {
      const drifted = await checkRollups(store)
      expect(drifted.drift.length).toBeGreaterThan(0)
      expect(drifted.drift).toEqual(expect.arrayContaining([
        { key: [first.setup, first.project, first.day], field: 'toolCalls', stored: first.toolCalls + 7, expected: first.toolCalls },
        { key: [SONNET], field: 'commits', stored: expect.any(Number) as unknown, expected: expect.any(Number) as unknown },
      ]))

      const repaired = await store.repairRollups()
      expect(repaired).toEqual({ rollups: exact.usage.length, facts: drifted.facts, rewritten: 2, removed: 1, setupTotalsRebuilt: true, projectDaysRebuilt: true, outcomeDaysRebuilt: true })
      expect(await checkRollups(store)).toEqual(exact.check)
      expect(await store.find('usage', { order: 'any' })).toEqual(exact.usage)

      // Nothing left to repair: nothing is written.
      expect(await store.repairRollups()).toEqual({ rollups: exact.usage.length, facts: drifted.facts, rewritten: 0, removed: 0, setupTotalsRebuilt: false, projectDaysRebuilt: false, outcomeDaysRebuilt: false })
    })
  })

  it('reports a drifted day rollup alone, not the setup totals and project days that are right, and the repair leaves all of them right', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await trackedHistory(databasePath)
    const exact = await withStore(databasePath, async (store) => ({ check: await checkRollups(store), usage: await store.find('usage', { order: 'any' }), totals: await store.setupTotals(), days: await store.projectDays() }))
    const first = exact.usage.find((rollup) => rollup.commits > 0)
    if (first === undefined) throw new Error('the history should leave a day rollup with commits')
    // The day rollup drifts, as a doubled write of it alone would leave it; the totals and days stay right.
    tamper(databasePath, (usage) => { usage.put([first.setup, first.project, first.day], { ...first, toolCalls: first.toolCalls + 7, commits: first.commits + 1 }) })
    await withStore(databasePath, async (store) => {
      expect((await checkRollups(store)).drift).toEqual([
        { key: [first.setup, first.project, first.day], field: 'toolCalls', stored: first.toolCalls + 7, expected: first.toolCalls },
        { key: [first.setup, first.project, first.day], field: 'commits', stored: first.commits + 1, expected: first.commits },
      ])
      expect(await store.repairRollups()).toMatchObject({ rewritten: 1, removed: 0 })
      expect(await checkRollups(store)).toEqual(exact.check)
      expect(await store.setupTotals()).toEqual(exact.totals)
      expect(await store.projectDays()).toEqual(exact.days)
    })
  })

  it('reports setup totals that drifted with their rollup at the recounted sum, not the drifted one', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await trackedHistory(databasePath)
    const exact = await withStore(databasePath, async (store) => ({ check: await checkRollups(store), usage: await store.find('usage', { order: 'any' }), totals: await store.setupTotals() }))
    const first = exact.usage[0]
    const right = exact.totals?.find((totals) => totals.setup === first?.setup)
    if (first === undefined || right === undefined) throw new Error('the history should leave a day rollup and its setup\'s totals')
    // Both off by the same, as a write that counted a tool call twice would leave them.
    tamper(databasePath, (usage, totals) => {
      usage.put([first.setup, first.project, first.day], { ...first, toolCalls: first.toolCalls + 7 })
      totals.put(first.setup, (stored) => ({ ...stored, toolCalls: (stored.toolCalls as number) + 7 }))
    })
    await withStore(databasePath, async (store) => {
      expect((await checkRollups(store)).drift).toEqual([
        { key: [first.setup, first.project, first.day], field: 'toolCalls', stored: first.toolCalls + 7, expected: first.toolCalls },
        { key: [first.setup], field: 'toolCalls', stored: right.toolCalls + 7, expected: right.toolCalls },
      ])
      await store.repairRollups()
      expect(await checkRollups(store)).toEqual(exact.check)
    })
  })

  it('finds project days that no longer add up the rollups, and rebuilds them', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await trackedHistory(databasePath)
    const exact = await withStore(databasePath, async (store) => ({ check: await checkRollups(store), days: await store.projectDays() }))
    expect(exact.days).toEqual(expect.arrayContaining([expect.objectContaining({ project: SHOP, day: '2026-03-01' })]))
    const { root, projectDays } = openEnvironment(databasePath, MAP_SIZE, false)
    root.transactionSync(() => {
      const key = toLmdbKey([SHOP, '2026-03-01'])
      const stored = projectDays?.get(key)
      if (stored === undefined) throw new Error('the history should have a day of work in the shop on 2026-03-01')
      projectDays?.putSync(key, [stored[0], stored[1], stored[2] + 100])
      projectDays?.putSync(toLmdbKey([API, '2026-02-01']), [Date.UTC(2026, 1, 1) / 86_400_000, 1, 0])
    })
    await root.close()

    await withStore(databasePath, async (store) => {
      const { drift } = await checkRollups(store)
      expect(drift).toEqual(expect.arrayContaining([
        { key: [SHOP, '2026-03-01'], field: 'commits', stored: expect.any(Number) as unknown, expected: expect.any(Number) as unknown },
        { key: [API, '2026-02-01'], field: 'rollups', stored: 1, expected: 0 },
      ]))
      expect(drift.every((entry) => entry.key.length === 2)).toBe(true)
      expect(await store.repairRollups()).toMatchObject({ rewritten: 0, removed: 0, setupTotalsRebuilt: false, projectDaysRebuilt: true, outcomeDaysRebuilt: false })
      expect(await checkRollups(store)).toEqual(exact.check)
      expect(await store.projectDays()).toEqual(exact.days)
    })
  })

  it('writes nothing on a database whose check is clean, though facts that count nothing fall on days of their own', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    // A day apart each: the grade repeated, the narrative, the activity and the reinstatement each touch a day with nothing counted.
    const s = createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-01T10:00:00.000Z', stepMs: 24 * 3600_000 })
    await withStore(databasePath, async (store) => {
      await store.applyFacts([s.toolCall(), s.commit('c0ffee1'), s.grade('c0ffee1', { by: 'user', userGrade: 5 })])
      const repeated = await store.applyFacts([s.grade('c0ffee1', { by: 'user', userGrade: 2 })])
      expect(repeated.skipped).toHaveLength(1)
      await store.applyFacts([s.retrospective('c0ffee1', { userNote: 'kept the tests' }), s.activity('tidy the cart'), s.reinstate('back to work')])
    })
    await withStore(databasePath, async (store) => {
      const before = await store.find('usage', { order: 'any' })
      expect(before.map((rollup) => rollup.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03'])
      expect((await checkRollups(store)).drift).toEqual([])
      expect(await store.repairRollups()).toEqual({ rollups: 3, facts: 7, rewritten: 0, removed: 0, setupTotalsRebuilt: false, projectDaysRebuilt: false, outcomeDaysRebuilt: false })
      expect(await store.find('usage', { order: 'any' })).toEqual(before)
      expect((await checkRollups(store)).drift).toEqual([])
    })
  })

  it('reports a stored rollup of zeros that nothing backs, and the repair removes it', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await trackedHistory(databasePath)
    const exact = await withStore(databasePath, async (store) => store.find('usage', { order: 'any' }))
    // What the repair of earlier versions wrote for a day with only a grade or an activity on it.
    tamper(databasePath, (usage) => { usage.put([SONNET, SHOP, '2026-03-09'], emptyUsage(SONNET, SHOP, '2026-03-09')) })
    await withStore(databasePath, async (store) => {
      expect((await checkRollups(store)).drift).toEqual([{ key: [SONNET, SHOP, '2026-03-09'], field: 'rollup', stored: 1, expected: 0 }])
      expect(await store.repairRollups()).toMatchObject({ rewritten: 0, removed: 1, setupTotalsRebuilt: false, projectDaysRebuilt: false, outcomeDaysRebuilt: false })
      expect(await store.find('usage', { order: 'any' })).toEqual(exact)
      expect((await checkRollups(store)).drift).toEqual([])
    })
  })

  it('keeps the part of a rollup that no logged fact backs (its baseline), and repairs around it', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await trackedHistory(databasePath)
    const baseline = { toolCalls: 40, toolFailures: 2, commands: 0, pushes: 3, messages: 5, tokens: { input: 100, output: 10, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 1.5 }
    let key: string[] = []
    tamper(databasePath, (usage) => {
      // A rollup brought in by an import: its counters hold the baseline on top of what the log backs.
      const found = usage.get([SONNET, SHOP, '2026-03-01'])
      if (found === undefined) throw new Error('the history should have a Sonnet rollup on 2026-03-01')
      key = [found.setup, found.project, found.day]
      usage.put(key, { ...found, toolCalls: found.toolCalls + 40, toolFailures: found.toolFailures + 2, pushes: found.pushes + 3, messages: found.messages + 5, cost: found.cost + 1.5, tokens: { ...found.tokens, input: found.tokens.input + 100, output: found.tokens.output + 10 }, baseline })
    })
    await withStore(databasePath, async (store) => {
      // The setup totals and the outcome day (its messages and cost) were not moved with the import above: only they drift.
      const { drift } = await checkRollups(store)
      expect(drift.length).toBeGreaterThan(0)
      expect(drift.filter((entry) => entry.key.length !== 1).map((entry) => [entry.key, entry.field])).toEqual([[key, 'outcome.cost'], [key, 'outcome.messages']])
      const before = await store.get('usage', key)
      expect(before?.baseline).toEqual(baseline)
      expect(await store.repairRollups()).toMatchObject({ rewritten: 0, removed: 0, setupTotalsRebuilt: true, projectDaysRebuilt: false, outcomeDaysRebuilt: true })
      expect(await store.get('usage', key)).toEqual(before)
      expect((await checkRollups(store)).drift).toEqual([])
    })
    tamper(databasePath, (usage) => {
      const found = usage.get(key)
      if (found === undefined) throw new Error(`no rollup under ${key.join(' ')}`)
      usage.put(key, { ...found, toolCalls: found.toolCalls - 40 })
    })
    await withStore(databasePath, async (store) => {
      expect(await store.repairRollups()).toMatchObject({ rewritten: 1, removed: 0 })
      expect((await store.get('usage', key))?.baseline).toEqual(baseline)
      expect((await checkRollups(store)).drift).toEqual([])
    })
  })
})
