import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import { createMemoryStore } from '../testing/memory-store.js'
import type { RecordQuery } from '../store/tracker-store.js'
import { API, GPT, SHOP, SONNET, storeWithHistory } from '../../test/read-history.js'
import { latestProjectOf, latestSetupIn, resolveProject, suggestSetups } from './lookups.js'
import { projectList } from './project-list.js'
import { setupStatuses } from './setup-statuses.js'

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  if (!isTrackerError(error)) throw new Error(`expected a TrackerError, got ${String(error)}`)
  return error
}

describe('resolveProject', () => {
  it('finds a project by its path as typed or as resolved, else by its name', async () => {
    const store = await storeWithHistory()
    expect(await resolveProject(store, { ref: SHOP })).toBe(SHOP)
    expect(await resolveProject(store, { ref: '../api', path: API })).toBe(API)
    expect(await resolveProject(store, { ref: 'shop', path: '/elsewhere/shop' })).toBe(SHOP)
  })

  it('names the known projects when nothing matches, and the paths when a name is ambiguous', async () => {
    const store = await storeWithHistory()
    const unknown = await failure(resolveProject(store, { ref: 'nowhere' }))
    expect(unknown.code).toBe('UNKNOWN_PROJECT')
    expect(unknown.message).toBe('No recorded project matches "nowhere" (as a path or a name). Known projects: api, shop.')
    expect((await failure(resolveProject(store, { ref: 'shpo' }))).message).toBe('No recorded project matches "shpo" (as a path or a name). Did you mean shop? Known projects: api, shop.')
    await store.applyFacts([{ id: 'x1', kind: 'command', command: 'grade', setup: SONNET, project: '/other/shop', at: '2026-03-20T00:00:00.000Z' }])
    const ambiguous = await failure(resolveProject(store, { ref: 'shop' }))
    expect(ambiguous.code).toBe('AMBIGUOUS_PROJECT')
    expect(ambiguous.message).toBe(`Several projects are named "shop": /other/shop, ${SHOP}. Give the path.`)
    expect((await failure(resolveProject(createMemoryStore(), { ref: 'shop' }))).message).toBe('No recorded project matches "shop" (as a path or a name).')
  })
})

describe('setup lookups', () => {
  it('suggest setups close to an unknown id, else the most recently active', async () => {
    const store = await storeWithHistory()
    expect(await suggestSetups(store, 'plan@openai/gpt-6')).toEqual({ close: [GPT], recent: [GPT, SONNET] })
    expect(await suggestSetups(store, 'plan@nobody/nothing')).toEqual({ close: [], recent: [GPT, SONNET] })
    expect(await suggestSetups(store, 'gpt5')).toEqual({ close: [GPT], recent: [GPT, SONNET] })
    expect((await suggestSetups(store, 'Claude Sonet')).close).toEqual([SONNET])
    expect(await suggestSetups(store, 'review')).toEqual({ close: [], recent: [GPT, SONNET] })
    expect(await suggestSetups(createMemoryStore(), 'build')).toEqual({ close: [], recent: [] })
  })

  it('find where a setup worked last, and who worked in a project last: its latest committer first', async () => {
    const store = await storeWithHistory()
    expect(await latestProjectOf(store, SONNET)).toBe(SHOP)
    expect(await latestProjectOf(store, 'ghost')).toBeUndefined()
    expect(await latestSetupIn(store, API)).toBe(GPT)
    await store.applyFacts([{ id: 'u1', kind: 'usage', tokens: { input: 1, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0, setup: 'review@fake/m1', project: '/work/docs', at: '2026-03-20T00:00:00.000Z' }])
    expect(await latestSetupIn(store, '/work/docs')).toBe('review@fake/m1')
    expect(await latestSetupIn(store, '/work/none')).toBeUndefined()
  })
})

describe('catalogues', () => {
  it('list every setup’s status and every project with its commits, most recently active first', async () => {
    const store = await storeWithHistory()
    expect((await setupStatuses(store)).map((status) => [status.setup, status.halted])).toEqual([[GPT, true], [SONNET, false]])
    expect(await setupStatuses(store, { limit: 1 })).toHaveLength(1)
    expect((await projectList(store)).map((project) => [project.path, project.commits, project.profile?.scope])).toEqual([[API, 3, undefined], [SHOP, 6, 'web-app']])
  })

  it('date a project by its first and last recorded work, not by when a migration wrote its record', async () => {
    const store = createMemoryStore()
    await store.importRecords({
      projects: [{ v: 1, path: '/old/app', name: 'app', firstSeenAt: '2026-06-01T12:00:00.000Z', lastSeenAt: '2026-06-01T12:00:00.000Z' }],
      commits: [
        { v: 1, project: '/old/app', hash: 'a1', setup: SONNET, at: '2025-11-03T10:00:00.000Z', message: 'first' },
        { v: 1, project: '/old/app', hash: 'a2', setup: SONNET, at: '2025-12-24T18:00:00.000Z', message: 'last' },
      ],
    })
    expect((await projectList(store)).map((project) => [project.firstSeenAt, project.lastSeenAt])).toEqual([['2025-11-03T10:00:00.000Z', '2025-12-24T18:00:00.000Z']])
  })

  it('gives the time of work without commits as recorded, and reads no event to tell it', async () => {
    const store = createMemoryStore()
    await store.applyFacts([
      { kind: 'tool_call', id: 't1', at: '2026-11-29T23:47:49.000Z', setup: SONNET, project: '/w/api', tool: 'bash', ok: true },
      { kind: 'tool_call', id: 't2', at: '2026-11-30T08:05:00.000Z', setup: SONNET, project: '/w/api', tool: 'bash', ok: true },
    ])
    const read = new Set<string>()
    const watched = new Proxy(store, { get: (target, name, receiver) => {
      if (name === 'find') {
        return (collection: string, query: unknown) => {
          read.add(collection)
          return target.find(collection as 'projects', query as never)
        }
      }
      if (name === 'findCommitRefs') {
        return (query: RecordQuery) => {
          read.add('commits')
          return target.findCommitRefs(query)
        }
      }
      return Reflect.get(target, name, receiver) as unknown
    } })
    expect(await projectList(watched)).toMatchObject([{ path: '/w/api', firstSeenAt: '2026-11-29T23:47:49.000Z', lastSeenAt: '2026-11-30T08:05:00.000Z', commits: 0 }])
    // Events are a database's bulk (a million activities): a project list reads their day rollups.
    expect([...read].sort()).toEqual(['commits', 'projects', 'usage'])
  })

  it('never dates the last work before the first: a journal entry a day after the work moves no time off its day', async () => {
    const later = createMemoryStore()
    await later.applyFacts([
      { kind: 'tool_call', id: 't1', at: '2026-11-10T10:00:00.000Z', setup: SONNET, project: '/w/app', tool: 'bash', ok: true },
      { kind: 'activity', id: 'a1', at: '2026-11-11T10:00:00.000Z', setup: SONNET, project: '/w/app', task: 'notes', actions: 'a', outcome: 'b', decisions: 'c' },
    ])
    expect(await projectList(later)).toMatchObject([{ firstSeenAt: '2026-11-10T10:00:00.000Z', lastSeenAt: '2026-11-10T10:00:00.000Z' }])
    const earlier = createMemoryStore()
    await earlier.applyFacts([
      { kind: 'activity', id: 'a1', at: '2026-11-10T10:00:00.000Z', setup: SONNET, project: '/w/app', task: 'notes', actions: 'a', outcome: 'b', decisions: 'c' },
      { kind: 'tool_call', id: 't1', at: '2026-11-11T10:00:00.000Z', setup: SONNET, project: '/w/app', tool: 'bash', ok: true },
    ])
    expect(await projectList(earlier)).toMatchObject([{ firstSeenAt: '2026-11-11T10:00:00.000Z', lastSeenAt: '2026-11-11T10:00:00.000Z' }])
  })
})
