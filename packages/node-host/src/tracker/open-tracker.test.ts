import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { asSchema2 } from '@agent-tracker/lmdb-store/testing'
import { createFactScript } from '@agent-tracker/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { legacyHistory, writeLegacyDatabase } from '../../test/legacy-database.js'
import { ScriptedHistory, lines } from '../../test/scripted-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import type { OpenTrackerOptions, Tracker } from './open-tracker.js'
import { openTracker } from './open-tracker.js'

const SETUP = 'build@fake/m1'
const LEGACY_SETUP = 'build@anthropic/claude-sonnet-4-5'
const CHILD = fileURLToPath(new URL('../../test/fixtures/tracker-exit.mjs', import.meta.url))

const open: Tracker[] = []
afterEach(async () => {
  for (const tracker of open.splice(0)) await tracker.close()
})

function tracker(options: Partial<OpenTrackerOptions> = {}): Tracker {
  const opened = openTracker({ databasePath: join(tempFolder('db-'), 'tracker.lmdb'), project: tempFolder('project-'), flush: { maxPending: false, maxAgeMs: false }, ...options })
  open.push(opened)
  return opened
}

async function storedToolCalls(databasePath: string): Promise<number | undefined> {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    return (await store.get('setups', [SETUP]))?.state.toolCalls
  } finally {
    await store.close()
  }
}

describe('openTracker', () => {
  it('opens the database by the path rules: AGENT_TRACKER_DB relative to the home folder', () => {
    const home = tempFolder('home-')
    const opened = tracker({ databasePath: undefined, env: { AGENT_TRACKER_DB: 'data/team.lmdb' }, homeDir: home })
    expect(opened.store.path).toBe(join(home, 'data', 'team.lmdb'))
    expect(existsSync(opened.store.path)).toBe(true)
  })

  it('keeps facts in memory until a flush writes them in one batch, and reads its own writes before', async () => {
    const opened = tracker()
    await opened.service.recordToolCall({ setup: SETUP, project: opened.project, tool: 'read', ok: true })
    expect((await opened.service.getStatus(SETUP))?.state.toolCalls).toBe(1)
    expect(await storedToolCalls(opened.store.path)).toBeUndefined()
    expect(await opened.flush()).toMatchObject({ factsWritten: 1, errors: [] })
    expect(await storedToolCalls(opened.store.path)).toBe(1)
  })

  it('refreshes .agent/status.json after a flush where .agent/ exists, for the setup that last worked', async () => {
    const opened = tracker()
    mkdirSync(join(opened.project, '.agent'))
    await opened.service.recordToolCall({ setup: SETUP, project: opened.project, tool: 'read', ok: true })
    await opened.flush()
    expect(existsSync(join(opened.project, '.agent', 'status.json'))).toBe(false)
    opened.noteWork(SETUP)
    await opened.service.recordPush({ setup: SETUP, project: opened.project })
    await opened.flush()
    expect(JSON.parse(readFileSync(join(opened.project, '.agent', 'status.json'), 'utf8'))).toMatchObject({ setup: SETUP, agent_name: 'build', skill_points: 2 })
  })

  it.each([
    ['existing', false, false],
    ['always', false, true],
    ['off', true, false],
  ] as const)('with exportStatusFile %s (.agent/ present: %s) writes the status file: %s', async (mode, withFolder, written) => {
    const opened = tracker({ exportStatusFile: mode })
    if (withFolder) mkdirSync(join(opened.project, '.agent'))
    opened.noteWork(SETUP)
    await opened.service.recordToolCall({ setup: SETUP, project: opened.project, tool: 'read', ok: true })
    await opened.flush()
    expect(existsSync(join(opened.project, '.agent', 'status.json'))).toBe(written)
  })

  it('names setups by its identity rule', () => {
    expect(tracker().setupId({ agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5' })).toBe('build@anthropic/claude-sonnet-4-5')
    expect(tracker({ identity: 'agent' }).setupId({ agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5' })).toBe('build')
  })

  it("prepares the project: migrates its legacy database once and stores its profile", async () => {
    const project = tempFolder('legacy-')
    await writeLegacyDatabase(project, legacyHistory(project))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const first = tracker({ databasePath, project })
    const prepared = await first.prepareProject()
    expect(prepared.problems).toEqual([])
    expect(prepared.migration?.database).toMatchObject({ outcome: 'migrated', migrated: 4 })
    expect(prepared.profile).toBeDefined()
    await first.close()
    open.splice(0)
    const again = tracker({ databasePath, project })
    expect((await again.prepareProject()).migration?.database.outcome).toBe('done-before')
    expect(await again.buffer.get('setups', [LEGACY_SETUP])).toMatchObject({ state: { skillPoints: 3, experience: 12.5, communication: 71, commits: 2, bugs: 1 } })
    expect((await again.buffer.get('commits', [project, 'e4f5a6b']))?.task).toBe('fix totals')
  })

  it('started in a subfolder of a repository, brings in the legacy data kept there, under the repository', async () => {
    const top = tempFolder('repo-')
    mkdirSync(join(top, '.git'))
    const folder = join(top, 'app')
    mkdirSync(folder)
    await writeLegacyDatabase(folder, legacyHistory(folder))
    const opened = tracker({ databasePath: join(tempFolder('db-'), 'tracker.lmdb'), project: top, folder })
    const prepared = await opened.prepareProject()
    expect(prepared.problems).toEqual([])
    expect(prepared.migration).toMatchObject({ folder, project: top, database: { outcome: 'migrated', migrated: 4 } })
    expect((await opened.buffer.get('commits', [top, 'e4f5a6b']))?.task).toBe('fix totals')
  })

  it('without migrateOnStart leaves legacy data alone but still profiles the project', async () => {
    const project = tempFolder('legacy-')
    await writeLegacyDatabase(project, legacyHistory(project))
    const opened = tracker({ project, migrateOnStart: false })
    const prepared = await opened.prepareProject()
    expect(prepared.migration).toBeUndefined()
    expect(prepared.profile).toBeDefined()
    expect(await opened.buffer.find('setups')).toEqual([])
  })

  it('flushes on exit by itself, and adds no exit listener when told not to', async () => {
    const exits = process.listenerCount('exit')
    const quiet = tracker({ flushOnExit: false })
    expect(process.listenerCount('exit')).toBe(exits)
    const listening = tracker()
    expect(process.listenerCount('exit')).toBe(exits + 1)
    await listening.close()
    open.splice(open.indexOf(listening), 1)
    expect(process.listenerCount('exit')).toBe(exits)
    await quiet.close()
    open.splice(0)
  })

  it.each([['process.exit()', 'exit'], ['SIGTERM', 'signal']])('writes pending facts when the host process ends by %s', async (_, how) => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      const child = spawn(process.execPath, [CHILD, databasePath, tempFolder('project-'), how])
      child.stdout.once('data', () => child.kill('SIGTERM'))
      child.once('exit', (code, signal) => {
        done({ code, signal })
      })
    })
    expect(how === 'exit' ? ended.code : ended.signal).toBe(how === 'exit' ? 0 : 'SIGTERM')
    expect(await storedToolCalls(databasePath)).toBe(1)
  })

  it('opens nothing for a bad database path, naming it', () => {
    const home = tempFolder('home-')
    expect(() => openTracker({ databasePath: '~bob/t.lmdb', homeDir: home, project: home })).toThrow(expect.objectContaining({ code: 'INVALID_DATABASE_PATH' }))
  })

  it('scans git evidence in the background, one scan at a time, and says nothing for a folder without git', async () => {
    const history = new ScriptedHistory(join(tempFolder('repo-'), 'shop'), 2)
    history.commit('initial', { 'a.js': lines('a', 3) })
    const opened = tracker({ project: history.folder })
    const agentCommit = history.commit('Add b', { 'b.js': lines('b', 3) })
    await opened.service.recordCommit({ setup: SETUP, project: history.folder, hash: agentCommit, message: 'Add b' })
    await opened.flush()
    history.commit('fix: b2', { 'b.js': lines('b', 3).replace('b2 = 2', 'b2 = 3') })
    const errors: unknown[] = []
    const first = opened.scanEvidenceInBackground((error) => errors.push(error))
    expect(await opened.scanEvidenceInBackground()).toBeUndefined()
    expect(await first).toMatchObject({ suspectedBugs: 1, recorded: 1 })
    expect(await opened.buffer.find('evidence')).toEqual([expect.objectContaining({ setup: SETUP, commit: agentCommit, signal: 'suspected-bug' })])
    expect(errors).toEqual([])
    expect(await tracker().scanEvidenceInBackground((error) => errors.push(error))).toBeUndefined()
    expect(errors).toEqual([])
  })
})

/** A database of schema 2 (the release before the search indexes) with `activities` journal entries. */
async function schema2Database(activities: number): Promise<string> {
  const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
  const store = openLmdbStore({ databasePath })
  const script = createFactScript({ setup: SETUP, project: '/home/dev/shop', start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
  await store.applyFacts(Array.from({ length: activities }, (_, i) => script.activity(`stripe webhook retries ${String(i)}`)))
  await store.close()
  await asSchema2(databasePath)
  return databasePath
}

describe('the search-index build an upgrade starts', () => {
  it('goes on in the background a step at a time, the host getting turns in between, until the indexes are in step', async () => {
    const opened = tracker({ databasePath: await schema2Database(2500) })
    expect(opened.store.searchIndexes()).toBe('building')
    const errors: unknown[] = []
    const build = opened.buildSearchIndexInBackground((error) => errors.push(error))
    expect(await opened.buildSearchIndexInBackground()).toBe(false)
    // The host's own turns: counted while the build runs.
    let turns = 0
    const building = { now: true }
    void build.then(() => { building.now = false })
    while (building.now) {
      await new Promise((resolve) => setImmediate(resolve))
      turns += 1
    }
    expect(await build).toBe(true)
    expect(turns).toBeGreaterThan(10)
    expect(errors).toEqual([])
    expect(opened.store.searchIndexes()).toBe('in step')
    expect(await tracker().buildSearchIndexInBackground()).toBe(false)
  })

  it('stops at close without waiting out its pause, and the next open goes on from where it stopped', async () => {
    const databasePath = await schema2Database(2500)
    const first = openTracker({ databasePath, project: tempFolder('project-'), flush: { maxPending: false, maxAgeMs: false } })
    const build = first.buildSearchIndexInBackground()
    await new Promise((resolve) => setTimeout(resolve, 40))
    await first.close()
    expect(await build).toBe(false)
    const reopened = tracker({ databasePath })
    const progress = reopened.store.searchIndexBuild()
    expect(progress?.total).toBe(2500)
    expect(progress?.built).toBeLessThan(2500)
    expect(await reopened.buildSearchIndexInBackground()).toBe(true)
    expect(reopened.store.searchIndexes()).toBe('in step')
  })
})

describe('a hand-written .agent/status.json', () => {
  const HAND_WRITTEN = `${JSON.stringify({ agent_name: 'AgentTracker-Core', skill_points: 2.7, experience_points: 26.7, total_commits: 46.0, total_bugs: 3.0, halted: false, communication_score: 6.0 }, null, 2)}\n`

  async function work(opened: Tracker): Promise<void> {
    opened.noteWork(SETUP)
    await opened.service.recordPush({ setup: SETUP, project: opened.project })
    await opened.flush()
  }

  it('is imported on start, then kept as status.legacy.json when the export takes its place', async () => {
    const project = tempFolder('project-')
    mkdirSync(join(project, '.agent'))
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(project, '.agent', 'status.json'), HAND_WRITTEN)
    const opened = tracker({ project })
    expect((await opened.prepareProject()).migration?.files).toMatchObject({ outcome: 'migrated', migrated: 1 })
    expect((await opened.buffer.get('setups', ['AgentTracker-Core']))?.state).toMatchObject({ skillPoints: 2.7, commits: 46, bugs: 3 })
    await work(opened)
    expect(readFileSync(join(project, '.agent', 'status.legacy.json'), 'utf8')).toBe(HAND_WRITTEN)
    expect(JSON.parse(readFileSync(join(project, '.agent', 'status.json'), 'utf8'))).toMatchObject({ written_by: 'agent-tracker', setup: SETUP })
  })

  it('is left alone when it was not imported (migrateOnStart off)', async () => {
    const project = tempFolder('project-')
    mkdirSync(join(project, '.agent'))
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(project, '.agent', 'status.json'), HAND_WRITTEN)
    const opened = tracker({ project, migrateOnStart: false })
    await opened.prepareProject()
    await work(opened)
    expect(readFileSync(join(project, '.agent', 'status.json'), 'utf8')).toBe(HAND_WRITTEN)
    expect(existsSync(join(project, '.agent', 'status.legacy.json'))).toBe(false)
  })
})
