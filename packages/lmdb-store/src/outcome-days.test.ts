import type { OutcomeDay, ProjectProfile, TrackerStore } from '@agent-tracker/core'
import { TrackerError, checkRollups, outcomeDaysOfRollups, readRecommendation } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { META, OUTCOME_DAYS, OUTCOME_DAYS_KEY, toLmdbKey } from './layout.js'
import type { LmdbStore } from './lmdb-store.js'
import { openLmdbStore } from './open-lmdb-store.js'

const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'plan@openai/gpt-5'
const SHOP = '/home/dev/shop'
const CART = '/home/dev/cart'
const API = '/home/dev/api'
const WEB_APP: ProjectProfile = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react', 'vite'], sources: ['package.json'], fingerprint: 'web', profiledAt: '2026-01-01T00:00:00.000Z' }
const PYTHON_API: ProjectProfile = { language: 'python', framework: 'fastapi', scope: 'api', dependencies: ['fastapi'], sources: ['pyproject.toml'], fingerprint: 'py', profiledAt: '2026-01-01T00:00:00.000Z' }

/**
 * Two setups in three projects over two months — commits, user grades, bugs, tool calls, usage
 * with cost — then a day's tool calls alone (no outcome moves), and one setup's work in a project
 * reattributed to the other (rollups removed and put again).
 */
async function trackedHistory(store: LmdbStore): Promise<void> {
  await store.saveProjectProfile(SHOP, WEB_APP)
  await store.saveProjectProfile(CART, WEB_APP)
  await store.saveProjectProfile(API, PYTHON_API)
  const scripts = [
    createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-20T09:00:00.000Z', stepMs: 9 * 3600_000 }),
    createFactScript({ setup: GPT, project: SHOP, start: '2026-03-21T10:00:00.000Z', stepMs: 11 * 3600_000 }),
    createFactScript({ setup: SONNET, project: CART, start: '2026-03-25T08:00:00.000Z', stepMs: 13 * 3600_000 }),
    createFactScript({ setup: GPT, project: API, start: '2026-03-22T08:00:00.000Z', stepMs: 17 * 3600_000 }),
  ]
  for (let i = 0; i < 12; i++) {
    await store.applyFacts(scripts.flatMap((s, n) => [
      s.toolCall('bash', (i + n) % 4 !== 0),
      s.usage({ input: 1000 + i, output: 100 }, 0.01 * (i + 1) + n / 7),
      s.commit(`${String(n)}c${String(i)}`.padEnd(8, 'f')),
      s.grade(`${String(n)}c${String(i)}`.padEnd(8, 'f'), { by: 'user', userGrade: ([5, 2, 1, -1] as const)[(i + n) % 4] ?? 2 }),
      ...(i % 5 === n % 5 ? [s.bug('user', `broke ${String(i)}`)] : []),
    ]))
  }
  // Tool calls alone on a day with work already: its outcome day stays as it was.
  const [shop] = scripts
  if (shop !== undefined) await store.applyFacts([shop.toolCall('read'), shop.toolCall('edit')])
  await store.reattribute({ from: GPT, to: SONNET, project: API, source: 'journal' })
}

/** The store with no outcome days of its own: a recommendation reads its rollups, as it does from any store that keeps none. */
function withoutOutcomeDays(store: TrackerStore): TrackerStore {
  return new Proxy(store, {
    get: (target, name) => {
      if (name === 'outcomeDays') return undefined
      const value: unknown = Reflect.get(target, name)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}

const bySlot = (days: readonly OutcomeDay[]): OutcomeDay[] => [...days].sort((a, b) => `${a.project} ${a.setup} ${a.day}`.localeCompare(`${b.project} ${b.setup} ${b.day}`))

describe('outcome days', () => {
  it("hold every working day rollup's outcome, in step with every write, and a recommendation read from them has the outcomes the rollups give", async () => {
    const store = openLmdbStore({ databasePath: `${tempFolder()}/tracker.lmdb` })
    try {
      await trackedHistory(store)
      const rollups = await store.find('usage', { order: 'any' })
      const kept = await store.outcomeDays()
      expect(kept?.length).toBeGreaterThan(10)
      expect(new Set(kept?.map((day) => day.day.slice(0, 7)))).toEqual(new Set(['2026-03', '2026-04']))
      expect(bySlot(kept ?? [])).toEqual(bySlot([...outcomeDaysOfRollups(rollups).values()]))
      expect((await checkRollups(store)).drift).toEqual([])
      // The API's work moved to Sonnet: none of it is GPT's any more.
      expect(kept?.filter((day) => day.project === API).map((day) => day.setup)).toEqual(expect.arrayContaining([SONNET]))
      expect(kept?.some((day) => day.project === API && day.setup === GPT)).toBe(false)

      // Only the projects asked for: the two web apps like the shop, not the Python API.
      const similar = await store.outcomeDays([SHOP, CART])
      expect(new Set(similar?.map((day) => day.project))).toEqual(new Set([SHOP, CART]))
      expect(bySlot(similar ?? [])).toEqual(bySlot((kept ?? []).filter((day) => day.project !== API)))

      const question = { project: '/home/dev/new-shop', profile: WEB_APP, minSamples: 3 }
      const fromDays = await readRecommendation(store, question)
      const fromRollups = await readRecommendation(withoutOutcomeDays(store), question)
      expect(fromDays.outcomes.map((outcome) => outcome.setup)).toEqual([SONNET, GPT])
      expect(fromDays.outcomes).toEqual(fromRollups.outcomes)
      expect(fromDays.outcomes.reduce((sum, outcome) => sum + outcome.gradeCount, 0)).toBeGreaterThan(0)
    } finally {
      await store.close()
    }
  })

  it('are written on the first writable open of a database written before them; read-only, a recommendation reads the rollups to the same outcomes', async () => {
    const databasePath = `${tempFolder()}/tracker.lmdb`
    const store = openLmdbStore({ databasePath })
    await trackedHistory(store)
    const kept = await store.outcomeDays()
    const question = { project: '/home/dev/new-shop', profile: WEB_APP, minSamples: 3 }
    const reading = await readRecommendation(store, question)
    await store.close()
    // As a build before the outcome days left it: none, and no mark that they are complete.
    const root = open({ path: databasePath, noSubdir: true, maxDbs: 32 })
    await root.openDB({ name: OUTCOME_DAYS }).drop()
    await root.openDB({ name: META }).remove(OUTCOME_DAYS_KEY)
    await root.close()

    const reader = openLmdbStore({ databasePath, readOnly: true })
    expect(await reader.outcomeDays()).toBeUndefined()
    expect(await readRecommendation(reader, question)).toEqual(reading)
    await reader.close()
    const writer = openLmdbStore({ databasePath })
    expect(await writer.outcomeDays()).toEqual(kept)
    expect(await readRecommendation(writer, question)).toEqual(reading)
    await writer.close()
  })

  it('that drifted or cannot be read are reported by the check and written again by the repair; writes go on meanwhile', async () => {
    const databasePath = `${tempFolder()}/tracker.lmdb`
    const store = openLmdbStore({ databasePath })
    await trackedHistory(store)
    const kept = await store.outcomeDays()
    const shopDay = kept?.find((day) => day.project === SHOP && day.commits > 0)
    if (shopDay === undefined) throw new Error('the history should leave an outcome day with commits in the shop')
    await store.close()

    const tamper = (change: (months: { get(key: string[]): unknown; put(key: string[], value: unknown): void }) => void): void => {
      const root = open({ path: databasePath, noSubdir: true, maxDbs: 32 })
      const months = root.openDB({ name: OUTCOME_DAYS })
      root.transactionSync(() => {
        change({ get: (key): unknown => months.get(toLmdbKey(key)) as unknown, put: (key, value) => { months.putSync(toLmdbKey(key), value) } })
      })
      void root.close()
    }
    // One number off, as a lost write would leave it.
    tamper((months) => {
      const key = [SHOP, shopDay.day.slice(0, 7)]
      const [setups, entries] = months.get(key) as [string[], number[]]
      const at = entries.findIndex((value, index) => index % 11 === 0 && setups[value] === shopDay.setup)
      months.put(key, [setups, entries.map((value, index) => (index === at + 2 ? value + 3 : value))])
    })
    const drifted = openLmdbStore({ databasePath })
    try {
      const { drift } = await checkRollups(drifted)
      expect(drift).toContainEqual(expect.objectContaining({ key: [expect.any(String), SHOP, expect.stringMatching(/^2026-0[34]/)], field: 'outcome.commits' }))
      expect(drift.every((entry) => entry.field.startsWith('outcome'))).toBe(true)
      expect(await drifted.repairRollups()).toMatchObject({ rewritten: 0, removed: 0, setupTotalsRebuilt: false, projectDaysRebuilt: false, outcomeDaysRebuilt: true })
      expect(await drifted.outcomeDays()).toEqual(kept)
      expect((await checkRollups(drifted)).drift).toEqual([])
    } finally {
      await drifted.close()
    }

    // Months that are no months, as a damaged file would hold them: each is said as damage, never read as numbers.
    const nine = [0, 0, 0, 0, 0, 0, 0, 0, 0]
    for (const garbled of [[[SONNET], [0, 1e12, ...nine]], [[SONNET], [3, 20_500, ...nine]], [[SONNET], [0, 20_500, 'x', ...nine.slice(1)]], [[SONNET], [0, 20_500]], 'not a month']) {
      tamper((months) => { months.put([SHOP, shopDay.day.slice(0, 7)], garbled) })
      const reader = openLmdbStore({ databasePath, readOnly: true })
      const failure = await reader.outcomeDays([SHOP]).then(() => undefined, (error: unknown) => error)
      await reader.close()
      expect(failure, JSON.stringify(garbled)).toBeInstanceOf(TrackerError)
      expect(failure).toMatchObject({ code: 'DAMAGED_RECORD', message: expect.stringContaining(`outcome days of ${SHOP}`) as unknown })
    }
    const damaged = openLmdbStore({ databasePath })
    try {
      // A write onto the damaged month goes through, and takes the month from the day rollups.
      const later = createFactScript({ setup: SONNET, project: SHOP, start: `${shopDay.day}T23:00:00.000Z` })
      await damaged.applyFacts([later.commit('feedf00d')])
      const after = await damaged.outcomeDays([SHOP])
      expect(after?.find((day) => day.setup === SONNET && day.day === shopDay.day)?.commits).toBe((await damaged.get('usage', [SONNET, SHOP, shopDay.day]))?.commits)
      expect((await checkRollups(damaged)).drift).toEqual([])
    } finally {
      await damaged.close()
    }
  })
})
