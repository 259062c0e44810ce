import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import { API, GPT, PYTHON_API, SHOP, SONNET, WEB_APP, storeWithHistory } from '../../test/read-history.js'
import { recommendSetups } from '../projects/recommend.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { createFactScript } from '../testing/fact-script.js'
import { answerRecommendation, readRecommendation, recommend, recommendByProfile } from './recommend.js'

describe('recommend', () => {
  it('ranks setups for a project by its stored profile, saying which projects it could not compare', async () => {
    const answer = await recommend(await storeWithHistory(), { project: SHOP })
    expect(answer).toMatchObject({ project: SHOP, state: 'ranked', profile: WEB_APP, unprofiledProjects: [API] })
    expect(answer.similarProjects.map((project) => project.path)).toEqual([SHOP])
    expect(answer.setups[0]).toMatchObject({ setup: SONNET, rank: 1, samples: 5 })
    expect(Object.keys(answer)[0]).toBe('project')
  })

  it('takes a given profile, else one read through the injected profiler, before the stored one', async () => {
    const store = await storeWithHistory()
    const newApp = '/work/new-app'
    const given = await recommend(store, { project: newApp, profile: WEB_APP, minSamples: 6 })
    expect(given).toMatchObject({ state: 'not-enough-data', profile: WEB_APP })
    const profiled = await recommend(store, { project: newApp }, { profileFolder: (path) => (path === newApp || path === API ? WEB_APP : undefined) })
    expect(profiled.similarProjects.map((project) => project.path).sort()).toEqual([API, SHOP])
    expect(profiled.unprofiledProjects).toEqual([])
  })

  it('counts commits, grades and bugs from the day rollups as the model counts them one by one: the same commits and samples, scores within a hundredth', async () => {
    const store = await storeWithHistory()
    // The API project, profiled as a web app, brings its bug into the comparison.
    const profileFolder = (path: string) => (path === API ? WEB_APP : undefined)
    const answer = await recommend(store, { project: SHOP }, { profileFolder })
    const all = { order: 'any' } as const
    const [recorded, commits, gradeEvents, bugs, usage] = await Promise.all([store.find('projects', all), store.findCommitRefs(all), store.find('gradeEvents', all), store.find('bugs', all), store.find('usage', all)])
    const projects = recorded.map((project) => {
      const profile = project.profile ?? profileFolder(project.path)
      return profile === undefined ? project : { ...project, profile }
    })
    const oneByOne = recommendSetups(WEB_APP, { projects, commits, gradeEvents, bugs, usage })
    expect(answer.setups.map((s) => [s.setup, s.commits, s.samples, s.rank])).toEqual(oneByOne.setups.map((s) => [s.setup, s.commits, s.samples, s.rank]))
    expect(answer.setups.some((s) => s.commits > 0)).toBe(true)
    expect(answer.setups.some((s) => s.samples > 0)).toBe(true)
    expect(answer.setups.some((s) => s.bugsPerCommit > 0)).toBe(true)
    for (const [index, setup] of answer.setups.entries()) {
      expect(Math.abs(setup.score - (oneByOne.setups[index]?.score ?? NaN))).toBeLessThan(0.01)
      expect(Math.abs(setup.bugsPerCommit - (oneByOne.setups[index]?.bugsPerCommit ?? NaN))).toBeLessThan(0.01)
    }
  })

  it('counts no user grade that came through a channel not the user\'s own: a script\'s praise moves nothing', async () => {
    const store = await storeWithHistory()
    const before = await recommend(store, { project: SHOP })
    const shop = createFactScript({ setup: SONNET, project: SHOP, session: 'ses_c', start: '2026-03-20T09:00:00.000Z' })
    const praise = [1, 2, 3].flatMap((i) => [shop.commit(`7c${String(i)}a0c0ffee`, `scripted ${String(i)}`), shop.grade(`7c${String(i)}a0c0ffee`, { by: 'user', userGrade: 5, channel: 'cli-script' })])
    await store.applyFacts(praise)
    const after = await recommend(store, { project: SHOP })
    const sonnet = (answer: typeof before) => answer.setups.find((s) => s.setup === SONNET)
    expect(sonnet(after)).toMatchObject({ samples: sonnet(before)?.samples, meanUserGrade: sonnet(before)?.meanUserGrade, commits: (sonnet(before)?.commits ?? 0) + 3 })
    expect(sonnet(after)?.expectedGrade).toBeCloseTo(sonnet(before)?.expectedGrade ?? NaN, 9)
    // Vouched for, the same praise counts.
    await store.applyFacts([shop.commit('7c4a0c0ffee', 'scripted 4'), shop.grade('7c4a0c0ffee', { by: 'user', userGrade: 5, channel: 'cli-script', vouched: true })])
    expect(sonnet(await recommend(store, { project: SHOP }))?.samples).toBe((sonnet(before)?.samples ?? 0) + 1)
  })

  it('answers from what was read once the store is closed, as it answers from the open store', async () => {
    const store = await storeWithHistory()
    const profileFolder = (path: string) => (path === API ? WEB_APP : undefined)
    const open = await recommend(store, { project: SHOP, minSamples: 3 }, { profileFolder })
    const reading = await readRecommendation(store, { project: SHOP, minSamples: 3 }, { profileFolder })
    await store.close()
    await expect(store.find('usage')).rejects.toThrow()
    expect(answerRecommendation(reading)).toEqual(open)
    expect(open.similarProjects.map((project) => project.path).sort()).toEqual([API, SHOP])
  })

  it('counts each day rollup as the store gives it, keeping none, and answers as from all of them at once', async () => {
    const store = await storeWithHistory()
    const profileFolder = (path: string) => (path === API ? WEB_APP : undefined)
    const all = { order: 'any' } as const
    const [recorded, usage, evidence] = await Promise.all([store.find('projects', all), store.find('usage', all), store.find('evidence', all)])
    const projects = recorded.map((project) => {
      const profile = project.profile ?? profileFolder(project.path)
      return profile === undefined ? project : { ...project, profile }
    })
    const fromAll = recommendSetups(WEB_APP, { projects, usage, evidence }, { minSamples: 3 })
    // A store that gives the rollups one at a time, and no array of them.
    let visited = 0
    const streaming = {
      get: store.get.bind(store),
      find: (collection: string, query: object) => (collection === 'usage' ? Promise.reject(new Error('every rollup read at once')) : store.find(collection as 'projects', query)),
      visitRecords: async (collection: 'usage', query: object, visit: (record: unknown) => void) => {
        for (const record of await store.find(collection, query)) {
          visited += 1
          visit(record)
        }
      },
    } as unknown as TrackerStore
    const reading = await readRecommendation(streaming, { project: SHOP, profile: WEB_APP, minSamples: 3 }, { profileFolder })
    expect(visited).toBe(usage.length)
    expect(JSON.stringify(reading)).not.toContain('"day"')
    expect(answerRecommendation(reading)).toEqual({ project: SHOP, ...fromAll, unprofiledProjects: [], halted: [GPT] })
    expect(fromAll.setups.filter((s) => s.samples > 0).length).toBeGreaterThan(0)
  })

  it('marks a halted setup, and when the one it ranks first is halted, says so and names the best one that is not', async () => {
    const store = await storeWithHistory()
    const profileFolder = (path: string) => (path === API ? WEB_APP : undefined)
    const ask = () => recommend(store, { project: SHOP, minSamples: 3 }, { profileFolder })
    // The history's plan setup is halted already; the one ranked first is not, and the message is the model's.
    const before = await ask()
    expect(before.setups.map((s) => [s.setup, s.rank])).toEqual([[SONNET, 1], [GPT, 2]])
    expect(before.halted).toEqual([GPT])
    expect(before.message).not.toContain('halted')
    // Bugs in a project not like the shop halt the first without moving the ranking.
    const elsewhere = createFactScript({ setup: SONNET, project: '/work/other', session: 'ses_h', start: '2026-03-25T09:00:00.000Z' })
    for (let i = 0; i < 20 && (await store.get('setups', [SONNET]))?.state.skillPoints !== 0; i++) await store.applyFacts([elsewhere.bug('user', `broke it ${String(i)}`)])
    const bothHalted = await ask()
    expect(bothHalted.setups.map((s) => [s.setup, s.rank])).toEqual([[SONNET, 1], [GPT, 2]])
    expect(bothHalted.halted).toEqual([SONNET, GPT])
    expect(bothHalted.message).toBe(`${before.message} ${SONNET} is halted, though: its tool calls are blocked until you reinstate it (agent-tracker reinstate ${SONNET}); no other ranked setup can take its place.`)
    // The plan setup reinstated, it is the one to use meanwhile.
    await store.applyFacts([createFactScript({ setup: GPT, project: API, session: 'ses_r', start: '2026-03-26T09:00:00.000Z' }).reinstate()])
    const oneHalted = await ask()
    expect(oneHalted.halted).toEqual([SONNET])
    expect(oneHalted.message).toBe(`${before.message} ${SONNET} is halted, though: its tool calls are blocked until you reinstate it (agent-tracker reinstate ${SONNET}); the best ranked setup that is not halted is ${GPT}.`)
  })

  it('refuses a project with no profile to compare by', async () => {
    const error = await recommend(await storeWithHistory(), { project: API }).then(() => undefined, (caught: unknown) => caught)
    expect(isTrackerError(error, 'UNKNOWN_PROJECT')).toBe(true)
    expect((error as Error).message).toBe(`No profile of ${API}: it has no stored profile and its folder cannot be read here, so there is nothing to compare other projects with.`)
  })
})

describe('recommendByProfile', () => {
  it('recommends for each kind of project recorded, by the projects of that kind', async () => {
    const store = await storeWithHistory()
    const byKind = await recommendByProfile(store)
    expect(byKind.map((entry) => [entry.kind, entry.projects, entry.recommendation.state])).toEqual([['typescript/react/web-app', [SHOP], 'ranked']])
    expect(byKind[0]?.recommendation.setups[0]).toMatchObject({ setup: SONNET, rank: 1 })
    const withApi = await recommendByProfile(store, { minSamples: 3 }, { profileFolder: (path) => (path === API ? PYTHON_API : undefined) })
    expect(withApi.map((entry) => [entry.kind, entry.recommendation.state])).toEqual([['python/fastapi/api', 'ranked'], ['typescript/react/web-app', 'ranked']])
  })

  it('judges only the outcomes in a scope: the setups a filter names, the work of a window or a project', async () => {
    const store = await storeWithHistory()
    // Both projects web apps: each setup's outcomes count for the kind.
    const profileFolder = (path: string) => (path === API ? WEB_APP : undefined)
    const compared = (entries: Awaited<ReturnType<typeof recommendByProfile>>) => entries.map((entry) => [entry.kind, entry.projects, entry.recommendation.setups.map((s) => s.setup).sort()])
    expect(compared(await recommendByProfile(store, {}, { profileFolder }))).toEqual([['typescript/react/web-app', [API, SHOP], [SONNET, GPT].sort()]])
    expect(compared(await recommendByProfile(store, {}, { profileFolder }, { agent: 'plan' }))).toEqual([['typescript/react/web-app', [API], [GPT]]])
    expect(compared(await recommendByProfile(store, {}, { profileFolder }, { model: 'anthropic/claude-sonnet-4-5' }))).toEqual([['typescript/react/web-app', [SHOP], [SONNET]]])
    expect(compared(await recommendByProfile(store, {}, { profileFolder }, { setup: GPT }))).toEqual([['typescript/react/web-app', [API], [GPT]]])
    // The shop's work was all before 9 March, the API's after.
    expect(compared(await recommendByProfile(store, {}, { profileFolder }, { since: '2026-03-09T00:00:00.000Z' }))).toEqual([['typescript/react/web-app', [API], [GPT]]])
    expect(compared(await recommendByProfile(store, {}, { profileFolder }, { until: '2026-03-09T00:00:00.000Z' }))).toEqual([['typescript/react/web-app', [SHOP], [SONNET]]])
    expect(compared(await recommendByProfile(store, {}, { profileFolder }, { project: SHOP }))).toEqual([['typescript/react/web-app', [SHOP], [SONNET]]])
    expect(await recommendByProfile(store, {}, { profileFolder }, { agent: 'review' })).toEqual([])
  })
})
