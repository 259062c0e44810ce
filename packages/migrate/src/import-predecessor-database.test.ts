import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { COLLECTIONS, setupReport } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { PredecessorEntries } from '@agent-tracker/predecessor'
import { historyCounts, predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { legacyDatabasePath } from './detect-legacy.js'
import { importPredecessorDatabase } from './import-predecessor-database.js'
import { mergeDatabase } from './merge-database.js'

function central(version: 'final' | 'm3' = 'final', extra: PredecessorEntries = {}): { path: string; history: ReturnType<typeof predecessorCentralHistory> } {
  const path = join(tempFolder(), version === 'final' ? 'agent-tracker.lmdb' : 'tracker')
  const full = predecessorCentralHistory()
  const history = Object.fromEntries(Object.entries(full).map(([kind, entries]) => [kind, [...entries, ...(extra[kind] ?? [])]]))
  expect(writePredecessorCentralDatabase(path, history, version).available).toBe(true)
  return { path, history }
}

describe('importPredecessorDatabase', () => {
  it('imports every record of the predecessor\'s last central database, one of ours for each', async () => {
    const { path, history } = central()
    const counts = historyCounts(history)
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await importPredecessorDatabase(path, target, { timeZone: 'UTC', kind: 'upgrade' })
    expect(report.read).toEqual(counts)
    expect(report.errors).toEqual([])
    expect(report.notes).toEqual([`${String(counts.activities)} activities and retrospectives name no project (the predecessor did not record one for them); they were imported without one.`])
    const events = await target.find('gradeEvents')
    expect(await target.find('setups')).toHaveLength(counts.agents ?? -1)
    expect(await target.find('commits')).toHaveLength(counts.commits ?? -1)
    expect(events.filter((event) => !event.id.startsWith('legacy-retro-'))).toHaveLength(counts.communication ?? -1)
    expect(events.filter((event) => event.id.startsWith('legacy-retro-'))).toHaveLength(counts.retrospectives ?? -1)
    expect(await target.find('retrospectives')).toHaveLength(counts.retrospectives ?? -1)
    expect(await target.find('activities')).toHaveLength(counts.activities ?? -1)
    expect((await target.find('projects')).filter((project) => project.profile !== undefined)).toHaveLength(counts.projects ?? -1)
    const migrations = await target.listMigrations()
    expect(migrations.filter((record) => record.migratedBy?.startsWith('opencode-agent-tracker') === true)).toHaveLength(counts.migrations ?? -1)
    expect(migrations.find((record) => record.kind === 'upgrade')).toMatchObject({ id: `upgrade:${path}`, source: path, timeZone: 'UTC' })
    await target.close()
  })

  it('keeps the scores, converts the shapes and knows a migrated folder', async () => {
    const { path } = central()
    const target = openLmdbStore({ databasePath: ':memory:' })
    await importPredecessorDatabase(path, target, { timeZone: 'UTC' })
    const build = await target.get('setups', ['build'])
    expect(build?.state).toMatchObject({ skillPoints: 2.7, bugs: 3 })
    expect(build?.state.userGrades.count).toBeGreaterThan(0)
    expect(build?.firstSeenAt).toBe('2026-02-23T15:00:00.000Z')
    expect(await target.get('setups', ['plan@anthropic/claude-sonnet-4-5'])).toBeDefined()
    const odd = (await target.find('commits', { project: '/home/dev/work:1/api' }))
    expect(odd.length).toBeGreaterThan(0)
    expect((await target.get('projects', ['/home/dev/code/project-0']))?.profile).toMatchObject({ language: 'typescript', framework: 'react', scope: 'web-app', sources: ['AGENTS.md', 'package.json'] })
    // The activity whose timestamp had no zone was read in the zone given.
    expect((await target.find('activities')).map((activity) => activity.at)).toContain('2026-02-23T19:45:00.000Z')
    expect((await target.listMigrations()).map((record) => record.id)).toContain(`project-database:${legacyDatabasePath('/home/dev/code/project-0')}`)
    const retrospective = (await target.find('retrospectives'))[0]
    expect(retrospective?.project).not.toBe('')
    await target.close()
  })

  it('is idempotent, reads the source without changing it, and takes the first release\'s database too', async () => {
    const { path } = central('m3')
    const before = createHash('sha256').update(readFileSync(join(path, 'data.mdb'))).digest('hex')
    const target = openLmdbStore({ databasePath: ':memory:' })
    const first = await importPredecessorDatabase(path, target, { timeZone: 'UTC' })
    expect(first.read).toMatchObject({ migrations: 0, projects: 0 })
    expect(first.migrated).toBeGreaterThan(0)
    const snapshot = await Promise.all(COLLECTIONS.map((c) => target.find(c)))
    expect(await importPredecessorDatabase(path, target, { timeZone: 'UTC' })).toMatchObject({ migrated: 0 })
    expect(await Promise.all(COLLECTIONS.map((c) => target.find(c)))).toEqual(snapshot)
    expect(createHash('sha256').update(readFileSync(join(path, 'data.mdb'))).digest('hex')).toBe(before)
    await target.close()
  })

  it('remembers each agent\'s part by the agent, not the file: a copy elsewhere adds nothing, and neither does one an earlier release imported by path', async () => {
    const { path } = central()
    const copy = join(tempFolder(), 'copy.lmdb')
    writeFileSync(copy, readFileSync(path))
    const first = openLmdbStore({ databasePath: ':memory:' })
    await importPredecessorDatabase(path, first, { timeZone: 'UTC', kind: 'merge' })
    const setups = await first.find('setups')
    expect(setups.flatMap((setup) => Object.keys(setup.imports ?? {})).filter((source) => !/^predecessor-(?:agent|setup):/.test(source))).toEqual([])
    await importPredecessorDatabase(copy, first, { timeZone: 'UTC', kind: 'merge' })
    expect(await first.find('setups')).toEqual(setups)
    // A database an earlier release filled, its parts remembered as predecessor:<path>#<agent>: the same parts, under the old names.
    const earlier = openLmdbStore({ databasePath: ':memory:' })
    for (const setup of setups) {
      const [identity, part] = Object.entries(setup.imports ?? {})[0] ?? []
      const suffix = identity?.startsWith('predecessor-agent:') === true ? `#${identity.slice('predecessor-agent:'.length).split('#created:')[0] ?? ''}` : `#setup:${setup.id}`
      const { imports: _imports, ...plain } = setup
      await earlier.importSetups(`predecessor:/old/home/agent-tracker.lmdb${suffix}`, [{ ...plain, ...(part === undefined ? {} : { state: part }) }])
    }
    const before = await earlier.find('setups')
    await importPredecessorDatabase(copy, earlier, { timeZone: 'UTC', kind: 'merge' })
    expect((await earlier.find('setups')).map((setup) => [setup.id, setup.state])).toEqual(before.map((setup) => [setup.id, setup.state]))
  })

  it('is what merge does with the predecessor\'s central database', async () => {
    const { path, history } = central()
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await mergeDatabase(path, target, { timeZone: 'UTC' })
    expect(report.migrated).toBeGreaterThan(0)
    expect(await target.find('commits')).toHaveLength(historyCounts(history).commits ?? -1)
    expect((await target.listMigrations()).find((record) => record.kind === 'merge')?.id).toBe(`merge:${path}`)
    await target.close()
  })

  it('leaves a database it upgraded mergeable whole into another, journal entries without a project included', async () => {
    const { path, history } = central()
    const counts = historyCounts(history)
    const upgraded = join(tempFolder(), 'upgraded.lmdb')
    const first = openLmdbStore({ databasePath: upgraded })
    await importPredecessorDatabase(path, first, { timeZone: 'UTC', kind: 'upgrade' })
    expect((await first.find('activities')).filter((activity) => activity.project === '')).toHaveLength(counts.activities ?? -1)
    await first.close()
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await mergeDatabase(upgraded, target, { timeZone: 'UTC' })
    expect(report.errors).toEqual([])
    expect(await target.find('activities')).toHaveLength(counts.activities ?? -1)
    expect(await target.find('retrospectives')).toHaveLength(counts.retrospectives ?? -1)
    await target.close()
  })

  it('does not import its zone-less entries a second time when merged again in another time zone', async () => {
    const { path } = central('final', {
      communication: [['build:abcdef0:1771610700000', { agent_id: 'build', commit_hash: 'abcdef0', project_path: '/home/dev/x', grade: 2, timestamp: '2026-02-20T18:05:00' }]],
      retrospectives: [['build:abcdef1', { commit: 'abcdef1', timestamp: '2026-02-20T18:05:00', agent_grade: 2, user_grade: 5 }]],
      activities: [['build:2026-02-20T18:05:00', { timestamp: '2026-02-20T18:05:00', task: 'zone-less', actions: 'a', outcome: 'o', decisions: 'd' }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      await importPredecessorDatabase(path, target, { timeZone: 'UTC', kind: 'upgrade' })
      const before = { activities: await target.find('activities'), gradeEvents: await target.find('gradeEvents') }
      const merged = await mergeDatabase(path, target, { timeZone: 'Europe/Stockholm' })
      expect(merged.errors).toEqual([])
      expect(merged.migrated).toBe(0)
      expect(await target.find('activities')).toEqual(before.activities)
      expect(await target.find('gradeEvents')).toEqual(before.gradeEvents)
      expect((await target.find('activities')).filter((activity) => activity.task === 'zone-less').map((activity) => activity.at)).toEqual(['2026-02-20T18:05:00.000Z'])
    } finally {
      await target.close()
    }
  })

  it('reports entries whose keys are not of the form the predecessor wrote, and leaves them out', async () => {
    const at = new Date('2026-02-23T15:00:00.000Z')
    const { path } = central('final', {
      commits: [['abcdef0', { agent_id: 'build', commit_hash: 'abcdef0', task_description: 't', timestamp: at }]],
      communication: [['build:abcdef0', { agent_id: 'build', project_path: '/home/dev/x', grade: 2, timestamp: at }]],
      retrospectives: [['abcdef0', { commit: 'abcdef0', timestamp: at.toISOString(), agent_grade: 2, user_grade: 2 }]],
      activities: [['2026-02-23', { timestamp: '2026-02-23', task: 'no agent in the key' }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await importPredecessorDatabase(path, target, { timeZone: 'UTC' })
      expect(report.errors).toEqual([
        { source: path, position: 'commits "abcdef0"', message: 'not a key of the form <project path>:<commit hash>, as the predecessor wrote them; left out' },
        { source: path, position: 'communication "build:abcdef0"', message: 'not a key of the form <agent>:<commit hash>:<epoch milliseconds>, as the predecessor wrote them; left out' },
        { source: path, position: 'retrospectives "abcdef0"', message: 'not a key of the form <agent>:<commit hash>, as the predecessor wrote them; left out' },
        { source: path, position: 'activities "2026-02-23"', message: 'not a key of the form <agent>:<timestamp>, as the predecessor wrote them; left out' },
      ])
      expect(report.completed).toBe(true)
      expect((await target.find('commits')).filter((commit) => commit.hash === 'abcdef0')).toEqual([])
      expect((await target.find('projects')).map((project) => project.path)).not.toContain('abcdef')
      expect((await target.find('activities')).map((activity) => activity.task)).not.toContain('no agent in the key')
      expect(await target.find('setups')).toHaveLength(3)
    } finally {
      await target.close()
    }
  })

  it('gives agents with records but no agent record a setup, so that every listing shows their work', async () => {
    const at = (minute: number): Date => new Date(Date.UTC(2026, 1, 23, 16, minute))
    const { path } = central('final', {
      commits: [
        ['/home/dev/x:bbbbbbb', { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: '/home/dev/x', task_description: 'x', timestamp: at(0) }],
        ['/home/dev/x:ccccccc', { agent_id: 'nobody', commit_hash: 'ccccccc', project_path: '/home/dev/x', task_description: 'y', timestamp: at(30) }],
      ],
      communication: [[`nobody:bbbbbbb:${String(at(1).getTime())}`, { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: '/home/dev/x', grade: 5, timestamp: at(1) }]],
      activities: [[`ghost:${at(45).toISOString()}`, { timestamp: at(45).toISOString(), task: 'wrote it down' }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await importPredecessorDatabase(path, target, { timeZone: 'UTC' })
      expect(report.errors).toEqual([])
      expect(report.notes?.[0]).toBe('2 agents have commits, grades or journal entries but no agent record, where the predecessor kept an agent\'s scores: their setups (nobody, ghost) start with the scores of a new setup (SP 1, XP 0, CS 60), counting the commits and grades imported.')
      expect(await target.get('setups', ['nobody'])).toMatchObject({
        agent: 'nobody', firstSeenAt: at(0).toISOString(), lastSeenAt: at(30).toISOString(),
        state: { skillPoints: 1, experience: 0, communication: 60, commits: 2, userGrades: { count: 1, sum: 5 } },
      })
      expect(await target.get('setups', ['ghost'])).toMatchObject({ state: { commits: 0 }, firstSeenAt: at(45).toISOString() })
      expect((await setupReport(target)).rows.find((row) => row.setup === 'nobody')).toMatchObject({ commits: 2 })
      // Imported again: nothing is added twice.
      const setups = await target.find('setups')
      await importPredecessorDatabase(path, target, { timeZone: 'UTC' })
      expect(await target.find('setups')).toEqual(setups)
    } finally {
      await target.close()
    }
  })

  it('counts a setup traced from records once when its zone-less times are read in another zone', async () => {
    const { path } = central('final', {
      commits: [
        ['/home/dev/x:bbbbbbb', { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: '/home/dev/x', task_description: 'x', timestamp: '2026-02-23T16:00:00' }],
        ['/home/dev/x:ccccccc', { agent_id: 'nobody', commit_hash: 'ccccccc', project_path: '/home/dev/x', task_description: 'y', timestamp: '2026-02-23T16:30:00' }],
      ],
      communication: [['nobody:bbbbbbb:1', { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: '/home/dev/x', grade: 5, timestamp: '2026-02-23T16:01:00' }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      expect((await importPredecessorDatabase(path, target, { timeZone: 'UTC', kind: 'upgrade' })).errors).toEqual([])
      const once = (await target.get('setups', ['nobody']))?.state
      expect(once).toMatchObject({ commits: 2, userGrades: { count: 1 } })
      expect((await importPredecessorDatabase(path, target, { timeZone: 'Europe/Stockholm', kind: 'merge' })).errors).toEqual([])
      expect((await target.get('setups', ['nobody']))?.state).toEqual(once)
    } finally {
      await target.close()
    }
  })

  it('holds what it imports to the limits of every other door: an entry over them is reported and left out', async () => {
    const at = '2026-02-23T15:00:00.000Z'
    const { path } = central('final', {
      activities: [[`build:${at}`, { timestamp: at, task: 'x'.repeat(300_000) }]],
      commits: [['/home/dev/x:aaaaaaa', { agent_id: 'build', project_path: '/home/dev/x', commit_hash: 'a'.repeat(5000), task_description: 't', timestamp: new Date(at) }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await importPredecessorDatabase(path, target, { timeZone: 'UTC' })
      expect(report.errors).toEqual([
        { source: path, position: 'commits "/home/dev/x:aaaaaaa"', message: expect.stringMatching(/^Invalid commits record: field "hash" is "a+\.\.\."; accepted is a string of at most 4096 bytes$/) as unknown },
        { source: path, position: `activities "build:${at}"`, message: 'field "task" is 300000 bytes of text; accepted is at most 262144 bytes (256 KiB), as everywhere free text enters' },
      ])
      expect(report.completed).toBe(true)
      expect((await target.find('activities')).every((activity) => activity.task.length < 1000)).toBe(true)
      expect((await target.find('commits')).every((commit) => commit.hash.length < 1000)).toBe(true)
    } finally {
      await target.close()
    }
  })

  it('reports an agent whose scores are out of the bounds of every setup, stores none of them, and leaves a database a merge takes whole', async () => {
    const { path } = central('final', {
      agents: [['huge', { id: 'huge', name: 'huge', skill_points: 1e308, experience_points: 1, communication_score: 60, total_commits: 1e20, created_at: new Date('2026-02-23T15:00:00.000Z') }]],
    })
    const upgraded = join(tempFolder(), 'upgraded.lmdb')
    const target = openLmdbStore({ databasePath: upgraded })
    try {
      const report = await importPredecessorDatabase(path, target, { timeZone: 'UTC', kind: 'upgrade' })
      expect(report.errors).toEqual([{ source: path, position: 'agents "huge"', message: 'field "skill_points" is 1e+308; accepted is a number from 0 to 10000' }])
      expect(report.completed).toBe(true)
      expect(await target.get('setups', ['huge'])).toBeUndefined()
    } finally {
      await target.close()
    }
    const other = openLmdbStore({ databasePath: join(tempFolder(), 'other.lmdb') })
    try {
      expect((await mergeDatabase(upgraded, other, { timeZone: 'UTC' })).errors).toEqual([])
    } finally {
      await other.close()
    }
  })

  it('takes null for a retrospective\'s optional scores as leaving them out', async () => {
    const { path } = central('final', {
      retrospectives: [['build:abcdef0', { commit: 'abcdef0', timestamp: '2026-02-23T15:00:00.000Z', agent_grade: 2, user_grade: 5, score_before: null, score_after: null, task: null }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      expect((await importPredecessorDatabase(path, target, { timeZone: 'UTC' })).errors).toEqual([])
      const retrospective = (await target.find('retrospectives')).find((record) => record.commit === 'abcdef0')
      expect(retrospective).toMatchObject({ agentGrade: 2, userGrade: 5 })
      expect(retrospective).not.toHaveProperty('scoreBefore')
    } finally {
      await target.close()
    }
  })

  it('names the field of a time out of range, and what is accepted', async () => {
    const { path } = central('final', {
      activities: [['build:huge', { timestamp: 1e17, task: 'later than any record' }]],
      commits: [['/home/dev/x:bbbbbbb', { agent_id: 'build', commit_hash: 'bbbbbbb', project_path: '/home/dev/x', timestamp: new Date('+010000-01-01T00:00:00.000Z') }]],
      communication: [['build:bbbbbbb:99999999999999999', { agent_id: 'build', commit_hash: 'bbbbbbb', project_path: '/home/dev/x', grade: 2, timestamp: new Date('2026-02-23T15:00:00.000Z') }]],
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const accepted = 'accepted are epoch milliseconds from -62167219200000 to 253402300799999 (years 0000 to 9999)'
      expect((await importPredecessorDatabase(path, target, { timeZone: 'UTC' })).errors).toEqual([
        { source: path, position: 'commits "/home/dev/x:bbbbbbb"', message: `field "timestamp" is a date in the year 10000, not a time a record can hold: ${accepted}, a date in those years, or ISO 8601 text (2026-02-23T18:00:00Z, or without a zone)` },
        { source: path, position: 'communication "build:bbbbbbb:99999999999999999"', message: `the epoch milliseconds its key ends with are not a time a record can hold: ${accepted}` },
        { source: path, position: 'activities "build:huge"', message: `field "timestamp" is 100000000000000000, not a time a record can hold: ${accepted}, a date in those years, or ISO 8601 text (2026-02-23T18:00:00Z, or without a zone)` },
      ])
      expect((await target.find('activities')).map((activity) => activity.task)).not.toContain('later than any record')
    } finally {
      await target.close()
    }
  })
})
