import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTrackingService } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { afterEach, describe, expect, it } from 'vitest'
import { legacyHistory, writeLegacyDatabase } from '../../test/legacy-database.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { writeStatusExport } from '../tracker/status-export.js'
import { migrateProject } from './migrate-project.js'

const LEGACY_SETUP = 'build@anthropic/claude-sonnet-4-5'
const NOW = (): Date => new Date('2026-06-01T12:00:00Z')

const stores: LmdbStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
})

function centralStore(): LmdbStore {
  const store = openLmdbStore({ databasePath: join(tempFolder('central-'), 'tracker.lmdb') })
  stores.push(store)
  return store
}

function projectWith(files: Record<string, string>): string {
  const project = tempFolder('project-')
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(project, name, '..'), { recursive: true })
    writeFileSync(join(project, name), content)
  }
  return project
}

const RETROSPECTIVE = { commit: 'abc1234', timestamp: '2026-02-23T18:00:00', task: 'Cart', agent_grade: 'good', user_grade: 'excellence' }
const UNGRADED = { commit: 'def5678', timestamp: '2026-02-24T18:00:00Z', agent_grade: 2 }

describe('migrateProject', () => {
  it('imports the legacy database and files, stores the profile, and does neither again once finished', async () => {
    const project = projectWith({ 'package.json': JSON.stringify({ dependencies: { react: '^19' } }), '.journal/communication.json': JSON.stringify([RETROSPECTIVE]) })
    await writeLegacyDatabase(project, legacyHistory(project))
    const store = centralStore()
    const first = await migrateProject(project, store, { setup: LEGACY_SETUP, now: NOW })
    expect(first).toMatchObject({ folder: project, project, found: true, issues: [], profile: { language: 'javascript', framework: 'react' } })
    expect(first.database).toMatchObject({ outcome: 'migrated', migrated: 4, skipped: 0, errors: [] })
    expect(first.files).toMatchObject({ outcome: 'migrated', migrated: 3, skipped: 0, errors: [] })
    // Its database's 2 commits and 1 bug, and the commit its journal grades.
    expect(await store.get('setups', [LEGACY_SETUP])).toMatchObject({ state: { skillPoints: 3, commits: 3, bugs: 1, agentGrades: { count: 1, sum: 2 } } })
    expect(await store.get('retrospectives', [LEGACY_SETUP, 'abc1234'])).toMatchObject({ userGrade: 5, agentGrade: 2 })
    expect((await store.get('projects', [project]))?.profile?.framework).toBe('react')

    const second = await migrateProject(project, store, { setup: LEGACY_SETUP, now: NOW })
    expect(second.database).toEqual({ outcome: 'done-before', migrated: 0, skipped: 0, errors: [], previousRun: expect.objectContaining({ kind: 'project-database', migrated: 4, errors: 0 }) as unknown })
    expect(second.files).toMatchObject({ outcome: 'done-before', previousRun: { kind: 'legacy-files', source: project, migrated: 3 } })
    expect(second.profile).toBeUndefined()
    expect(second.issues).toEqual([])

    writeFileSync(join(project, '.journal', '2026-02-25.md'), '# Journal - 2026-02-25\n\n## 10:00\n- **Task**: Added later\n')
    const again = await migrateProject(project, store, { setup: LEGACY_SETUP, now: NOW, again: true })
    expect(again.database).toMatchObject({ outcome: 'migrated', migrated: 0, skipped: 4 })
    // The three records and the setup's part are there already.
    expect(again.files).toMatchObject({ outcome: 'migrated', migrated: 1, skipped: 4 })
    expect((await store.find('activities')).map((activity) => activity.task)).toEqual(['Added later'])
  })

  it("records a subfolder's legacy data under the repository holding it, as every host records work; a folder in no repository stays its own project", async () => {
    const repository = projectWith({ '.git/HEAD': 'ref: refs/heads/main\n', 'package.json': JSON.stringify({ dependencies: { react: '^19' } }) })
    const web = join(repository, 'web')
    mkdirSync(join(web, '.journal'), { recursive: true })
    writeFileSync(join(web, '.journal', 'communication.json'), JSON.stringify([RETROSPECTIVE]))
    writeFileSync(join(web, '.journal', '2026-02-25.md'), '# Journal - 2026-02-25\n\n## 10:00\n- **Task**: Cart page\n')
    await writeLegacyDatabase(web, legacyHistory(web))
    const store = centralStore()
    const migration = await migrateProject(web, store, { setup: LEGACY_SETUP, now: NOW })
    expect(migration).toMatchObject({ folder: web, project: repository, found: true, issues: [], profile: { framework: 'react' } })
    expect((await store.find('projects')).map((project) => project.path)).toEqual([repository])
    for (const collection of ['commits', 'retrospectives', 'gradeEvents', 'activities'] as const) {
      const records = await store.find(collection)
      expect(records.length, collection).toBeGreaterThan(0)
      expect(new Set(records.map((record) => record.project)), collection).toEqual(new Set([repository]))
    }
    // The migration is the folder's, so the next run in that folder finds it done.
    expect((await migrateProject(web, store, { setup: LEGACY_SETUP, now: NOW })).files).toMatchObject({ outcome: 'done-before', previousRun: { source: web } })

    const plain = projectWith({ '.journal/communication.json': JSON.stringify([RETROSPECTIVE]) })
    const alone = await migrateProject(plain, store, { setup: LEGACY_SETUP, now: NOW })
    expect(alone).toMatchObject({ folder: plain, project: plain, issues: [] })
    expect(await store.get('commits', [plain, 'abc1234'])).toBeDefined()
    expect((await store.find('projects')).map((project) => project.path).sort()).toEqual([plain, repository].sort())
  })

  it('repeats a run that had problems, so a fixed file imports the next time', async () => {
    const project = projectWith({ '.journal/communication.json': JSON.stringify([RETROSPECTIVE, UNGRADED]) })
    const store = centralStore()
    const first = await migrateProject(project, store, { setup: 'build' })
    // The retrospective, its commit and grade event, and the setup they belong to.
    expect(first.files).toMatchObject({ outcome: 'migrated', migrated: 4 })
    expect(first.issues).toEqual([expect.objectContaining({ source: join(project, '.journal', 'communication.json'), message: 'missing field "user_grade"' })])
    writeFileSync(join(project, '.journal', 'communication.json'), JSON.stringify([RETROSPECTIVE, { ...UNGRADED, user_grade: 'good' }]))
    const second = await migrateProject(project, store, { setup: 'build' })
    expect(second.files).toMatchObject({ outcome: 'migrated', migrated: 3, skipped: 3, errors: [] })
    expect((await migrateProject(project, store, { setup: 'build' })).files.outcome).toBe('done-before')
  })

  it("takes the tracker's own .agent/status.json for the setup it names, not for a legacy agent", async () => {
    const project = projectWith({ '.journal/communication.json': JSON.stringify([RETROSPECTIVE]) })
    mkdirSync(join(project, '.agent'))
    const service = createTrackingService({ store: centralStore() })
    const status = await service.recordPush({ setup: 'plan@openai/gpt-5', project }).then(() => service.getStatus('plan@openai/gpt-5'))
    if (status === undefined) throw new Error('no status')
    writeStatusExport(project, status)
    const store = centralStore()
    const migration = await migrateProject(project, store)
    expect(migration.issues).toEqual([])
    expect(await store.get('retrospectives', ['plan@openai/gpt-5', 'abc1234'])).toMatchObject({ userGrade: 5 })
    expect((await store.find('setups')).map((setup) => setup.id)).toEqual(['plan@openai/gpt-5'])
  })

  it('finds nothing in a plain folder and records no project for it, but refreshes the profile of a known one', async () => {
    const project = projectWith({ 'Cargo.toml': '[dependencies]\naxum = "0.8"\n' })
    const store = centralStore()
    const plain = await migrateProject(project, store)
    expect(plain).toEqual({ folder: project, project, found: false, database: { outcome: 'none', migrated: 0, skipped: 0, errors: [] }, files: { outcome: 'none', migrated: 0, skipped: 0, errors: [] }, issues: [] })
    expect(await store.find('projects')).toEqual([])
    await store.applyFacts([{ kind: 'push', id: 'p1', setup: 'build@x/y', project, at: '2026-01-01T00:00:00.000Z' }])
    expect((await migrateProject(project, store)).profile).toMatchObject({ language: 'rust', framework: 'axum' })
    expect((await store.get('projects', [project]))?.profile?.framework).toBe('axum')
  })

  it('never throws: a closed store becomes issues, and nothing is deleted', async () => {
    const project = projectWith({ '.journal/communication.json': JSON.stringify([RETROSPECTIVE]) })
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'closed.lmdb') })
    await store.close()
    const migration = await migrateProject(project, store, { setup: 'build' })
    expect(migration.found).toBe(true)
    expect(migration.issues.map((issue) => issue.message)).toEqual([
      'could not read which migrations already ran: The agent-tracker database is closed.',
      expect.stringContaining('The agent-tracker database is closed.'),
      'could not store the project profile: The agent-tracker database is closed.',
    ])
  })
})
