import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TrackerStore } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { shopHistory, writeLegacyDatabase } from '../test/legacy-fixtures.js'
import { legacyDatabasePath } from './detect-legacy.js'
import { importLegacyFiles } from './import-legacy-files.js'
import { mergeDatabase } from './merge-database.js'
import { migrateProjectDatabase } from './migrate-project-database.js'
import type { MigrationOptions, MigrationReport } from './migration-report.js'

type Migration = (project: string, target: TrackerStore, options?: MigrationOptions) => Promise<MigrationReport>

/** A project with every kind of legacy data, and a central database to merge from. */
async function everything(): Promise<{ project: string; other: string }> {
  const project = tempFolder()
  await writeLegacyDatabase(project, shopHistory(project))
  mkdirSync(join(project, '.journal'))
  writeFileSync(join(project, '.journal', '2026-02-23.md'), '## 09:15\n- **Task**: Cart\n')
  mkdirSync(join(project, '.agent'))
  writeFileSync(join(project, '.agent', 'status.json'), '{"agent_name": "build", "skill_points": 2}')
  const other = join(tempFolder(), 'other.lmdb')
  const store = openLmdbStore({ databasePath: other })
  await store.applyFacts([createFactScript({ setup: 'build@fake/m1', project }).commit('aaaa0001')])
  await store.close()
  return { project, other }
}

const MIGRATIONS: readonly [string, (paths: { project: string; other: string }) => Migration][] = [
  ['migrateProjectDatabase', () => migrateProjectDatabase],
  ['importLegacyFiles', () => importLegacyFiles],
  ['mergeDatabase', ({ other }) => (_, target, options) => mergeDatabase(other, target, options)],
]

describe.each(MIGRATIONS)('%s never throws', (_, migrationFor) => {
  it('reports a closed target store', async () => {
    const paths = await everything()
    const target = openLmdbStore({ databasePath: ':memory:' })
    await target.close()
    const report = await migrationFor(paths)(paths.project, target)
    expect(report.migrated).toBe(0)
    expect(report.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/closed/i) as unknown })])
  })

  it('reports a clock that fails', async () => {
    const paths = await everything()
    const target = openLmdbStore({ databasePath: ':memory:' })
    try {
      const report = await migrationFor(paths)(paths.project, target, { now: () => { throw new Error('no clock') } })
      expect(report.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('no clock') as unknown })])
      expect(await target.listMigrations()).toEqual([])
    } finally {
      await target.close()
    }
  })

  it('reports a progress callback that fails', async () => {
    const paths = await everything()
    const target = openLmdbStore({ databasePath: ':memory:' })
    try {
      const report = await migrationFor(paths)(paths.project, target, { onProgress: () => { throw new Error('progress bar gone') } })
      expect(report.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('progress bar gone') as unknown })])
    } finally {
      await target.close()
    }
  })
})

describe('migrateProjectDatabase on a source it cannot even check', () => {
  it('reports a data.mdb that is a folder', async () => {
    const project = tempFolder()
    mkdirSync(join(legacyDatabasePath(project), 'data.mdb'), { recursive: true })
    const target = openLmdbStore({ databasePath: ':memory:' })
    try {
      const report = await migrateProjectDatabase(project, target)
      expect(report).toEqual({ migrated: 0, skipped: 0, errors: [{ source: legacyDatabasePath(project), message: `${join(legacyDatabasePath(project), 'data.mdb')} is unreadable: it is a folder, not a file` }] })
    } finally {
      await target.close()
    }
  })
})
