import { existsSync, mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TrackerStore } from '@agent-tracker/core'
import { createTrackingService, setupReport } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { shopHistory, writeLegacyDatabase } from '../test/legacy-fixtures.js'
import { detectLegacy, legacyDatabasePath } from './detect-legacy.js'
import { mergeDatabase } from './merge-database.js'
import { migrateProjectDatabase } from './migrate-project-database.js'
import type { MigrationProgress } from './migration-report.js'

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc (see vitest.config.ts)')
  gc()
}

async function withTarget(body: (target: TrackerStore) => Promise<void>): Promise<void> {
  const target = openLmdbStore({ databasePath: ':memory:' })
  try {
    await body(target)
  } finally {
    await target.close()
  }
}

describe('migrateProjectDatabase', () => {
  it('brings every agent, commit and grade event home, routing keys whose paths contain ":"', async () => {
    const project = join(tempFolder(), 'shop:v2')
    const source = await writeLegacyDatabase(project, shopHistory(project))
    expect(detectLegacy(project).projectDatabase).toBe(source)
    await withTarget(async (target) => {
      const report = await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(report).toEqual({ migrated: 7, skipped: 0, errors: [], timeZone: 'UTC' })
      expect(await target.get('setups', ['build@anthropic/claude-sonnet-4-5'])).toMatchObject({
        agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5',
        state: { skillPoints: 3, experience: 12.5, communication: 71, commits: 2, bugs: 1, userGrades: { count: 2, sum: 7 } },
      })
      expect(await target.get('setups', ['helper'])).toMatchObject({ state: { skillPoints: 1, commits: 1 } })
      expect(await target.get('commits', [project, 'e4f5a6b'])).toMatchObject({ setup: 'build@anthropic/claude-sonnet-4-5', task: 'fix totals', at: '2026-02-20T10:30:00.000Z' })
      expect((await target.get('commits', [project, '0c0ffee']))?.setup).toBe('helper')
      const grades = await target.find('gradeEvents', { setup: 'build@anthropic/claude-sonnet-4-5', order: 'oldest' })
      expect(grades.map((g) => [g.commit, g.userGrade, g.note])).toEqual([
        ['a1b2c3d', 5, 'excellent cart'],
        ['e4f5a6b', 2, 'imported from the legacy per-project database (grader not recorded)'],
      ])
      expect(await target.get('projects', [project])).toMatchObject({ name: 'shop:v2', firstSeenAt: '2026-02-20T10:10:00.000Z', lastSeenAt: '2026-02-20T10:40:00.000Z' })
      expect(await target.listMigrations()).toEqual([expect.objectContaining({ id: `project-database:${source}`, kind: 'project-database', migrated: 7, timeZone: 'UTC' })])
    })
    expect(existsSync(source)).toBe(true)
  })

  it("makes each legacy-graded commit's grade final: a later user grade of it is refused, not counted twice", async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, shopHistory(project))
    await withTarget(async (target) => {
      await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      const setup = 'build@anthropic/claude-sonnet-4-5'
      expect(await target.get('retrospectives', [setup, 'a1b2c3d'])).toMatchObject({ userGrade: 5, userGradeChannel: 'import', at: (await target.find('gradeEvents', { setup, order: 'oldest' }))[0]?.at })
      const before = (await target.get('setups', [setup]))?.state.userGrades
      await expect(createTrackingService({ store: target }).userGrade({ setup, commit: 'a1b2c3d', userGrade: 'good', channel: 'cli-terminal' })).rejects.toMatchObject({ code: 'ALREADY_GRADED' })
      expect((await target.get('setups', [setup]))?.state.userGrades).toEqual(before)
      // A second run adds no retrospective and changes none.
      const retrospectives = await target.find('retrospectives')
      await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(await target.find('retrospectives')).toEqual(retrospectives)
    })
  })

  it('is idempotent: a second run migrates nothing and skips everything', async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, shopHistory(project))
    await withTarget(async (target) => {
      await migrateProjectDatabase(project, target, { now: () => new Date('2026-03-01T00:00:00Z'), timeZone: 'UTC' })
      const before = await Promise.all([target.find('commits'), target.find('setups')])
      expect(await migrateProjectDatabase(project, target, { now: () => new Date('2026-03-02T00:00:00Z'), timeZone: 'UTC' })).toEqual({ migrated: 0, skipped: 7, errors: [], timeZone: 'UTC' })
      expect(await Promise.all([target.find('commits'), target.find('setups')])).toEqual(before)
      expect(await target.listMigrations()).toEqual([expect.objectContaining({ kind: 'project-database', at: '2026-03-02T00:00:00.000Z', migrated: 7, skipped: 7, errors: 0 })])
    })
  })

  it('adds only the records the target lacks, and adds the same agent\'s scores from a second database to its own', async () => {
    const project = tempFolder()
    const history = shopHistory(project)
    const other = tempFolder()
    // Another project's database: the same two agents, and one of this project's commits.
    await writeLegacyDatabase(other, Object.fromEntries(Object.entries(history).filter(([key]) => key.startsWith('agent:') || key.endsWith('a1b2c3d'))))
    await writeLegacyDatabase(project, history)
    const sonnet = 'build@anthropic/claude-sonnet-4-5'
    await withTarget(async (target) => {
      expect((await migrateProjectDatabase(other, target, { timeZone: 'UTC' })).migrated).toBe(3)
      await target.applyFacts([{ kind: 'push', id: 'p1', at: '2026-03-01T00:00:00.000Z', setup: sonnet, project }])
      const tracked = await target.get('setups', [sonnet])
      const report = await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(report).toMatchObject({ migrated: 4, skipped: 1, errors: [] })
      expect(report.combined?.map((entry) => entry.id)).toEqual([sonnet, 'helper'])
      // Both databases' 2 commits and 1 bug each, the push in between kept, the grades this one records.
      expect((await target.get('setups', [sonnet]))?.state).toMatchObject({ commits: 4, bugs: 2, pushes: 1, skillPoints: 5, experience: 35, communication: 82, userGrades: { count: 2, sum: 7 } })
      expect(tracked?.state).toMatchObject({ commits: 2, pushes: 1, experience: 22.5 })
      expect((await target.get('commits', [project, 'a1b2c3d']))?.task).toBe('add cart')
      // Migrating either again adds nothing.
      const settled = await target.find('setups')
      await migrateProjectDatabase(other, target, { timeZone: 'UTC' })
      await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(await target.find('setups')).toEqual(settled)
    })
  })

  it('does not import a grade with a zone-less time a second time when migrated again in another time zone', async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, {
      ...shopHistory(project),
      'communication:build:e4f5a6b:1771610700000': { agent_id: 'build', commit_hash: 'e4f5a6b', project_path: project, grade: 1, timestamp: '2026-02-20T18:05:00' },
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      expect((await migrateProjectDatabase(project, target, { timeZone: 'UTC' })).errors).toEqual([])
      const grades = await target.find('gradeEvents')
      expect(grades.map((grade) => grade.at)).toContain('2026-02-20T18:05:00.000Z')
      expect(await migrateProjectDatabase(project, target, { timeZone: 'Europe/Stockholm' })).toMatchObject({ migrated: 0, errors: [] })
      expect(await target.find('gradeEvents')).toEqual(grades)
    } finally {
      await target.close()
    }
  })

  it('is a no-op without a legacy database', async () => {
    await withTarget(async (target) => {
      expect(await migrateProjectDatabase(tempFolder(), target)).toEqual({ migrated: 0, skipped: 0, errors: [] })
      expect(await target.listMigrations()).toEqual([])
    })
  })

  it.each([
    ['not an LMDB file', 'just some notes\n', 'is unreadable: it is a text file, not an agent-tracker database'],
    ['corrupt (random bytes)', Buffer.alloc(32 * 1024, 0xab), 'is unreadable: it is not an LMDB database file'],
  ])('reports a source that is %s, keeps the process alive and the target untouched', async (_, content, problem) => {
    const project = tempFolder()
    const source = legacyDatabasePath(project)
    mkdirSync(join(source, '..'), { recursive: true })
    writeFileSync(source, content)
    await withTarget(async (target) => {
      const report = await migrateProjectDatabase(project, target)
      expect(report.migrated).toBe(0)
      expect(report.errors).toEqual([{ source, message: expect.stringContaining(problem) as unknown }])
      expect(await target.find('setups')).toEqual([])
      expect(await target.listMigrations()).toEqual([])
    })
  })

  it.each([
    ['its last data page', 8192, 'is unreadable: it is truncated (8192 bytes, but its pages need 12288)'],
    ['everything after its first page', 4096, 'is unreadable: its second meta page is missing or damaged'],
  ])('reports a real legacy database truncated by %s, keeps the process alive and the target untouched', async (_, size, problem) => {
    const project = tempFolder()
    const source = await writeLegacyDatabase(project, shopHistory(project))
    expect(statSync(source).size).toBe(12_288)
    truncateSync(source, size)
    await withTarget(async (target) => {
      expect(await migrateProjectDatabase(project, target)).toEqual({ migrated: 0, skipped: 0, errors: [{ source, message: `${source} ${problem}` }] })
      expect(await target.find('setups')).toEqual([])
      expect(await target.listMigrations()).toEqual([])
    })
    expect(statSync(source).size).toBe(size)
  })

  it('reports a locked real database (lock path taken) without touching the target', async () => {
    const project = tempFolder()
    const source = await writeLegacyDatabase(project, shopHistory(project))
    const { rmSync } = await import('node:fs')
    rmSync(`${source}-lock`, { force: true })
    mkdirSync(`${source}-lock`)
    await withTarget(async (target) => {
      const report = await migrateProjectDatabase(project, target)
      expect(report).toEqual({ migrated: 0, skipped: 0, errors: [{ source, message: `${source} is locked or unusable: its lock file ${source}-lock is not a regular file` }] })
      expect(await target.find('commits')).toEqual([])
    })
  })

  it('reports malformed entries by key and migrates the rest', async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, {
      ...shopHistory(project),
      'session:xyz': { whatever: true },
      [`commit:${project}:badc0de`]: { agent_id: 'build', commit_hash: 'badc0de', project_path: project, task_description: 'x' },
      [`communication:build:a1b2c3d:123`]: { agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, grade: 3, timestamp: 123 },
    })
    await withTarget(async (target) => {
      const report = await migrateProjectDatabase(project, target)
      expect(report.migrated).toBe(7)
      expect(report.errors.map((e) => [e.position, e.message])).toEqual([
        [`key commit:${project}:badc0de`, 'missing field "timestamp"'],
        ['key communication:build:a1b2c3d:123', 'field "grade" 3: accepted values are -1 (bad), 1 (neutral), 2 (good), 5 (excellence)'],
        ['key "session:xyz"', 'not an agent:, commit: or communication: key; left out'],
      ])
    })
  })

  it('gives an agent with commits but no agent record a setup, so that every listing shows its work', async () => {
    const project = tempFolder()
    const at = Date.UTC(2026, 1, 20, 11, 0)
    await writeLegacyDatabase(project, {
      ...shopHistory(project),
      [`commit:${project}:bbbbbbb`]: { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: project, task_description: 'x', timestamp: at },
      [`communication:nobody:bbbbbbb:${String(at + 60_000)}`]: { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: project, grade: 2, timestamp: at + 60_000 },
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(report).toMatchObject({ migrated: 10, errors: [], notes: [expect.stringContaining('but no agent record') as unknown] })
      expect(await target.get('setups', ['nobody'])).toMatchObject({
        firstSeenAt: new Date(at).toISOString(), lastSeenAt: new Date(at + 60_000).toISOString(),
        state: { skillPoints: 1, communication: 60, commits: 1, userGrades: { count: 1, sum: 2 } },
      })
      expect((await setupReport(target)).rows.map((row) => row.setup)).toContain('nobody')
    } finally {
      await target.close()
    }
  })

  it('holds what it imports to the free-text limit of every other door', async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, {
      ...shopHistory(project),
      [`commit:${project}:badc0de`]: { agent_id: 'build', commit_hash: 'badc0de', project_path: project, task_description: 'é'.repeat(140_000), timestamp: Date.UTC(2026, 1, 20, 12) },
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(report.migrated).toBe(7)
      expect(report.errors.map((e) => [e.position, e.message])).toEqual([
        [`key commit:${project}:badc0de`, 'field "task_description" is 280000 bytes of text; accepted is at most 262144 bytes (256 KiB), as everywhere free text enters'],
      ])
      expect(await target.get('commits', [project, 'badc0de'])).toBeUndefined()
    } finally {
      await target.close()
    }
  })

  it('reports an agent record whose scores are out of the bounds of every setup, and stores none of them', async () => {
    const project = tempFolder()
    const source = await writeLegacyDatabase(project, {
      ...shopHistory(project),
      'agent:huge': { id: 'huge', name: 'huge', skill_points: 2, experience_points: 5e15, communication_score: 60, total_commits: 0 },
    })
    const path = join(tempFolder(), 'tracker.lmdb')
    const target = openLmdbStore({ databasePath: path })
    try {
      const report = await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      expect(report.errors).toEqual([{ source, position: 'key agent:huge', message: 'field "experience_points" is 5000000000000000; accepted is a number from 0 to 1000000000000000' }])
      expect(await target.get('setups', ['huge'])).toBeUndefined()
      expect(report.migrated).toBe(7)
    } finally {
      await target.close()
    }
    // What was stored is what every other door takes: a merge of the database refuses nothing.
    const other = openLmdbStore({ databasePath: join(tempFolder(), 'other.lmdb') })
    try {
      expect((await mergeDatabase(path, other)).errors).toEqual([])
    } finally {
      await other.close()
    }
  })

  it('names the field or key part of a time out of range, and what is accepted', async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, {
      ...shopHistory(project),
      'communication:build:a1b2c3d:99999999999999999': { agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, grade: 2 },
      [`commit:${project}:badc0de`]: { agent_id: 'build', commit_hash: 'badc0de', project_path: project, timestamp: 1e17 },
    })
    const target = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await migrateProjectDatabase(project, target, { timeZone: 'UTC' })
      const accepted = 'accepted are epoch milliseconds from -62167219200000 to 253402300799999 (years 0000 to 9999)'
      expect(report.errors.map((e) => [e.position, e.message])).toEqual([
        [`key commit:${project}:badc0de`, `field "timestamp" is 100000000000000000, not a time a record can hold: ${accepted}, a date in those years, or ISO 8601 text (2026-02-23T18:00:00Z, or without a zone)`],
        ['key communication:build:a1b2c3d:99999999999999999', `the epoch milliseconds its key ends with are not a time a record can hold: ${accepted}`],
      ])
      expect(report.migrated).toBe(7)
    } finally {
      await target.close()
    }
  })

  it('streams a 100,000-entry source in chunks with progress and bounded memory', { timeout: 120_000 }, async () => {
    const project = tempFolder()
    const count = 100_000
    function* entries(): Generator<[string, unknown]> {
      yield ['agent:build', { id: 'build', name: 'build', model: 'fake/m1', skill_points: 4, experience_points: 1, communication_score: 80, total_commits: count - 1, total_bugs: 0, active: true }]
      for (let i = 1; i < count; i++) {
        const hash = i.toString(16).padStart(8, '0')
        yield [`commit:${project}:${hash}`, { agent_id: 'build', commit_hash: hash, project_path: project, task_description: `task number ${String(i)} ${'·'.repeat(40)}`, timestamp: Date.UTC(2025, 0, 1) + i * 60_000 }]
      }
    }
    await writeLegacyDatabase(project, entries())
    await withTarget(async (target) => {
      const progress: MigrationProgress[] = []
      const heap: number[] = []
      collectGarbage()
      const before = process.memoryUsage().heapUsed
      const report = await migrateProjectDatabase(project, target, {
        chunkSize: 2000,
        timeZone: 'UTC',
        onProgress: (step) => {
          progress.push(step)
          collectGarbage()
          heap.push(process.memoryUsage().heapUsed)
        },
      })
      expect(report).toEqual({ migrated: count, skipped: 0, errors: [], timeZone: 'UTC' })
      expect(progress).toHaveLength(50)
      expect(progress.map((p) => p.processed)).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) * 2000))
      expect(progress.every((p) => p.total === count)).toBe(true)
      // Measured against the heap before the run, so that reading the whole source up front counts.
      // Streaming retains about one chunk (measured: under 1 MiB); a variant that first reads every
      // entry into an array retains ~47 MiB here and fails this bound.
      expect(Math.max(...heap) - before).toBeLessThan(16 * 1024 * 1024)
      expect(await target.find('commits', { limit: 1 })).toHaveLength(1)
      expect((await target.get('setups', ['build@fake/m1']))?.state.commits).toBe(count - 1)
    })
  })
})
