import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import { API, GPT, SHOP, SONNET, storeWithHistory } from '../../test/read-history.js'
import { activity } from './activity.js'
import { history } from './history.js'
import { retrospectives } from './retrospectives.js'

describe('history', () => {
  it('merges a setup’s commits, grades, bugs and journal newest first, up to the limit', async () => {
    const store = await storeWithHistory()
    expect((await history(store, { setup: GPT, limit: 3 })).map((entry) => entry.kind)).toEqual(['bug', 'grade', 'commit'])
    const all = await history(store, { setup: SONNET })
    expect(all).toHaveLength(12)
    expect(all.map((entry) => entry.at)).toEqual([...all.map((entry) => entry.at)].sort().reverse())
    expect(await history(store, { setup: SONNET, project: API })).toEqual([])
    expect(await history(store, { setup: SONNET, limit: 0 })).toEqual([])
  })

  it('rejects a bad limit and a bad window by code', async () => {
    const store = await storeWithHistory()
    for (const [query, code] of [[{ setup: GPT, limit: 2.5 }, 'INVALID_QUERY'], [{ setup: GPT, since: 'yesterday' }, 'INVALID_TIMESTAMP']] as const) {
      const error = await history(store, query).then(() => undefined, (caught: unknown) => caught)
      expect(isTrackerError(error, code)).toBe(true)
    }
  })
})

describe('activity and retrospectives', () => {
  it('list journal entries and retrospectives newest first, 20 unless told, narrowed by setup and project', async () => {
    const store = await storeWithHistory()
    expect((await activity(store)).map((entry) => entry.task)).toEqual(['Stripe payment webhooks'])
    expect(await activity(store, { setup: GPT })).toEqual([])
    const retros = await retrospectives(store, { setup: SONNET })
    expect(retros).toHaveLength(5)
    expect(retros.find((retro) => retro.commit === '5a1b0c0ffee')?.agentNote).toBe('rounded in cents')
    expect(await retrospectives(store, { project: SHOP, limit: 2 })).toHaveLength(2)
    expect(await retrospectives(store)).toHaveLength(8)
  })
})
