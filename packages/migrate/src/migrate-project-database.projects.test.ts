import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { writeLegacyDatabase } from '../test/legacy-fixtures.js'
import { migrateProjectDatabase } from './migrate-project-database.js'

const DAY = 24 * 60 * 60 * 1000

function commitsOverDays(project: string, days: number): Record<string, unknown> {
  const entries: Record<string, unknown> = { 'agent:build': { id: 'build', name: 'build', model: 'fake/m1' } }
  for (let day = 0; day < days; day++) {
    const hash = `c0ffee${String(day).padStart(2, '0')}`
    entries[`commit:${project}:${hash}`] = { agent_id: 'build', commit_hash: hash, project_path: project, task_description: `day ${String(day)}`, timestamp: Date.UTC(2026, 0, 1) + day * DAY }
  }
  return entries
}

describe('migrateProjectDatabase project records', () => {
  it('spans the first and last commit of a project even when its commits fall in different chunks', async () => {
    const project = tempFolder()
    await writeLegacyDatabase(project, commitsOverDays(project, 10))
    const target = openLmdbStore({ databasePath: ':memory:' })
    try {
      expect((await migrateProjectDatabase(project, target, { chunkSize: 3 })).errors).toEqual([])
      expect(await target.get('projects', [project])).toMatchObject({
        firstSeenAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        lastSeenAt: new Date(Date.UTC(2026, 0, 1) + 9 * DAY).toISOString(),
      })
    } finally {
      await target.close()
    }
  })
})
