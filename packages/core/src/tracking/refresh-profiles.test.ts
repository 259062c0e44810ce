import { describe, expect, it } from 'vitest'
import { API, PYTHON_API, SHOP, WEB_APP, profile, storeWithHistory } from '../../test/read-history.js'
import { refreshProjectProfiles } from './refresh-profiles.js'

describe('refreshProjectProfiles', () => {
  it('stores the profiles whose folders changed, and leaves unchanged and absent folders alone', async () => {
    const store = await storeWithHistory()
    const folders = new Map([[API, PYTHON_API], [SHOP, WEB_APP]])
    expect(await refreshProjectProfiles(store, (path) => folders.get(path))).toEqual([API])
    expect((await store.get('projects', [API]))?.profile).toEqual(PYTHON_API)
    expect(await refreshProjectProfiles(store, (path) => folders.get(path))).toEqual([])
    const next = profile('typescript', 'next', 'web-app')
    expect(await refreshProjectProfiles(store, (path) => (path === SHOP ? next : undefined))).toEqual([SHOP])
    expect((await store.get('projects', [SHOP]))?.profile).toEqual(next)
    expect((await store.get('projects', [API]))?.profile).toEqual(PYTHON_API)
  })
})
