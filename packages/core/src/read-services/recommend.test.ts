import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import { API, SHOP, SONNET, WEB_APP, storeWithHistory } from '../../test/read-history.js'
import { recommend } from './recommend.js'

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

  it('refuses a project with no profile to compare by', async () => {
    const error = await recommend(await storeWithHistory(), { project: API }).then(() => undefined, (caught: unknown) => caught)
    expect(isTrackerError(error, 'UNKNOWN_PROJECT')).toBe(true)
    expect((error as Error).message).toBe(`No profile of ${API}: it has no stored profile and its folder cannot be read here, so there is nothing to compare other projects with.`)
  })
})
