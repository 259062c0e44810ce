import type { Fact, FactLogQuery, LoggedFact, TrackerStore } from '@agent-tracker/core'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, inject, it } from 'vitest'
import type { PostgresStore } from '../src/index.js'
import { isPostgresStoreError, openPostgresStore, syncToTeam } from '../src/index.js'

let next = 0
const openTeam = (): Promise<PostgresStore> => openPostgresStore({ url: inject('postgresUrl'), schema: `sync_${String(process.pid)}_${String(next++)}` })
const SETUP = 'build@anthropic/claude-sonnet-4-5'

describe('sync to a team database', () => {
  it('sends the fact log in batches, acknowledges each, and a second run sends nothing', async () => {
    const team = await openTeam()
    const local = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: '/home/ana/shop' })
    await local.applyFacts([...Array.from({ length: 45 }, () => s.toolCall()), s.commit('abcd0001'), s.grade('abcd0001', { by: 'user', userGrade: 5 })])
    const source = { source: 'laptop:/db', member: 'ana', machine: 'laptop' }
    const batches: number[] = []
    const first = await syncToTeam(local, team, { ...source, batchSize: 10, onBatch: (p) => batches.push(p.acknowledged) })
    expect(first).toEqual({ sent: 47, applied: 47, repeats: 0, acknowledged: 47, local: 47, refusedCount: 0, refused: [] })
    expect(batches).toEqual([10, 20, 30, 40, 47])
    expect(await syncToTeam(local, team, source)).toMatchObject({ sent: 0, acknowledged: 47 })
    expect((await team.get('setups', [SETUP]))?.state).toEqual((await local.get('setups', [SETUP]))?.state)
    expect(await team.find('usage')).toEqual(await local.find('usage'))
    // The member's share holds the same, and the source is listed with its progress.
    const share = team.forMember('ana')
    expect((await share.get('setups', [SETUP]))?.state.toolCalls).toBe(45)
    expect(await team.syncSources()).toEqual([expect.objectContaining({ ...source, acknowledged: 47, facts: 47 })])
    await team.close()
  })

  it('counts facts another machine sent already once, keeps each member to their own share, and resends a replaced log without counting twice', async () => {
    const team = await openTeam()
    const s = createFactScript({ setup: SETUP, project: '/home/shared/app' })
    const shared = Array.from({ length: 20 }, () => s.toolCall())
    const ana = createMemoryStore()
    const ben = createMemoryStore()
    await ana.applyFacts([...shared, s.commit('aaaa0001')])
    await ben.applyFacts([...shared.slice(0, 10), s.commit('bbbb0001')])
    await syncToTeam(ana, team, { source: 'a:/db', member: 'ana', machine: 'a' })
    expect(await syncToTeam(ben, team, { source: 'b:/db', member: 'ben', machine: 'b' })).toMatchObject({ sent: 11, applied: 1, repeats: 10 })
    expect((await team.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 20, commits: 2 })
    expect((await team.forMember('ben').get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 10, commits: 1 })
    expect(await team.members()).toEqual(['ana', 'ben'])
    // Ana's database is recreated from a backup holding less than the team acknowledged: all of it is sent again, nothing counts twice.
    const restored = createMemoryStore()
    await restored.applyFacts(shared.slice(0, 5))
    expect(await syncToTeam(restored, team, { source: 'a:/db', member: 'ana', machine: 'a' })).toMatchObject({ sent: 5, applied: 0, repeats: 5, acknowledged: 5 })
    expect((await team.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 20, commits: 2 })
    await team.close()
  })

  it('sends a replaced log again whole when it has grown past what the team acknowledged: nothing recorded after the backup is lost', async () => {
    const team = await openTeam()
    const s = createFactScript({ setup: SETUP, project: '/home/ana/shop' })
    const before = Array.from({ length: 5 }, () => s.toolCall())
    const source = { source: 'a:/db', member: 'ana', machine: 'a' }
    const first = createMemoryStore()
    await first.applyFacts([...before, s.commit('aaaa0006'), s.commit('aaaa0007'), s.commit('aaaa0008')])
    expect(await syncToTeam(first, team, source)).toMatchObject({ sent: 8, acknowledged: 8 })
    // The disk died; the backup holds the first five facts, and new work makes the log longer than 8.
    const restored = createMemoryStore()
    await restored.applyFacts([...before, ...['bbbb0001', 'bbbb0002', 'bbbb0003', 'bbbb0004', 'bbbb0005', 'bbbb0006'].map((hash) => s.commit(hash))])
    expect(await syncToTeam(restored, team, source)).toMatchObject({ sent: 11, applied: 6, repeats: 5, acknowledged: 11 })
    expect((await team.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 5, commits: 9 })
    expect(await syncToTeam(restored, team, source)).toMatchObject({ sent: 0, acknowledged: 11 })
    await team.close()
  })

  it('sends a database made anew at the same path whole, even when the history imported again puts the same fact where the team acknowledged', async () => {
    const team = await openTeam()
    const s = createFactScript({ setup: SETUP, project: '/home/omar/shop' })
    const [old1, old2, live] = [0, 1, 2].map(() => Array.from({ length: 6 }, () => s.toolCall()))
    const source = { source: 'm:/db', member: 'omar', machine: 'm' }
    const first = createMemoryStore()
    await first.applyFacts([...(old1 ?? []), ...(old2 ?? [])])
    expect(await syncToTeam(first, team, { ...source, database: 'db-1' })).toMatchObject({ sent: 12, acknowledged: 12 })
    // Deleted; the new database records a live session, then the second history is imported again:
    // 12 facts, the 12th the same fact as before, so neither the length nor that fact tells.
    const again = createMemoryStore()
    await again.applyFacts([...(live ?? []), ...(old2 ?? [])])
    expect(await syncToTeam(again, team, { ...source, database: 'db-2' })).toMatchObject({ sent: 12, applied: 6, repeats: 6, acknowledged: 12 })
    expect((await team.forMember('omar').get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 18 })
    expect(await syncToTeam(again, team, { ...source, database: 'db-2' })).toMatchObject({ sent: 0 })
    await team.close()
  })

  it('gives the whole log to the member a database syncs as now, when it synced as another before, and says so', async () => {
    const team = await openTeam()
    const s = createFactScript({ setup: SETUP, project: '/home/ana/shop' })
    const local = createMemoryStore()
    await local.applyFacts([s.commit('cccc0001'), s.commit('cccc0002'), s.commit('cccc0003')])
    const source = { source: 'a:/db', machine: 'a' }
    // The first sync went out under the login name, before team.member was set.
    expect(await syncToTeam(local, team, { ...source, member: 'root' })).toMatchObject({ sent: 3 })
    await local.applyFacts([s.commit('cccc0004')])
    const moved = await syncToTeam(local, team, { ...source, member: 'ana' })
    expect(moved).toMatchObject({ sent: 4, applied: 1, repeats: 3, acknowledged: 4, movedFrom: 'root' })
    expect((await team.forMember('ana').get('setups', [SETUP]))?.state).toMatchObject({ commits: 4 })
    expect((await team.get('setups', [SETUP]))?.state).toMatchObject({ commits: 4 })
    expect((await team.forMember('root').get('setups', [SETUP]))?.state).toMatchObject({ commits: 3 })
    const again = await syncToTeam(local, team, { ...source, member: 'ana' })
    expect(again).toMatchObject({ sent: 0 })
    expect(again).not.toHaveProperty('movedFrom')
    await team.close()
  })

  it('checks every fact at the door: a bad one in the log is reported by its sequence number and skipped, the rest go in', async () => {
    const team = await openTeam()
    const local = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: '/home/ana/shop' })
    await local.applyFacts(Array.from({ length: 5 }, () => s.toolCall()))
    // A log written by an older or damaged program: fact #2 has no valid time, fact #4 is no object at all.
    const hostile: TrackerStore = Object.assign(Object.create(local) as TrackerStore, {
      async *readFactLog(query?: FactLogQuery): AsyncIterable<LoggedFact> {
        for await (const entry of local.readFactLog(query)) {
          if (entry.seq === 2) yield { ...entry, fact: { ...entry.fact, at: 'last tuesday' } }
          else if (entry.seq === 4) yield { ...entry, fact: 'garbage' as unknown as Fact }
          else yield entry
        }
      },
    })
    const progress = await syncToTeam(hostile, team, { source: 'laptop:/db', member: 'ana', machine: 'laptop' })
    expect(progress).toMatchObject({ sent: 5, applied: 3, acknowledged: 5, refusedCount: 2 })
    expect(progress.refused.map((item) => item.position)).toEqual(['fact #2', 'fact #4'])
    expect(progress.refused[0]?.message).toMatch(/"at".*Skipped\.$/s)
    expect((await team.get('setups', [SETUP]))?.state.toolCalls).toBe(3)
    // Refused facts are acknowledged: the next run does not send them again.
    expect(await syncToTeam(hostile, team, { source: 'laptop:/db', member: 'ana', machine: 'laptop' })).toMatchObject({ sent: 0, refusedCount: 0 })
    await team.close()
  })

  it('sends project profiles along, since they are not facts', async () => {
    const team = await openTeam()
    const local = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: '/home/ana/web' })
    await local.applyFacts([s.commit('cccc0001')])
    const profile = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react'], sources: ['package.json'], fingerprint: 'f1', profiledAt: '2026-04-01T00:00:00.000Z' }
    await local.saveProjectProfile('/home/ana/web', profile)
    await syncToTeam(local, team, { source: 'a:/db', member: 'ana', machine: 'a' })
    expect((await team.get('projects', ['/home/ana/web']))?.profile).toEqual(profile)
    expect((await team.forMember('ana').get('projects', ['/home/ana/web']))?.profile).toEqual(profile)
    await team.close()
  })

  it('says clearly when the server cannot be reached, without the password', async () => {
    const error = await openPostgresStore({ url: 'postgres://me:s3cret@127.0.0.1:1/none', connectTimeoutMs: 2000 }).catch((caught: unknown) => caught)
    expect(isPostgresStoreError(error, 'TEAM_UNREACHABLE')).toBe(true)
    expect((error as Error).message).toContain('postgres://me:***@127.0.0.1:1/none')
    expect((error as Error).message).not.toContain('s3cret')
  })

  it('refuses to read a team database nobody has set up, and rejects bad options', async () => {
    const url = inject('postgresUrl')
    await expect(openPostgresStore({ url, schema: 'never_set_up', mode: 'read' })).rejects.toMatchObject({ code: 'TEAM_NOT_SET_UP' })
    await expect(openPostgresStore({ url: 'mysql://x' })).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { option: 'url' } })
    await expect(openPostgresStore({ url, schema: 'Robert"; DROP' })).rejects.toMatchObject({ code: 'INVALID_OPTION', details: { option: 'schema' } })
  })
})
