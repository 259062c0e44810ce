import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { detectLegacy, hasLegacyData, legacyDatabasePath } from './detect-legacy.js'
import { migrateProjectDatabase } from './migrate-project-database.js'

function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), content)
  }
}

describe('detectLegacy', () => {
  it('finds nothing in a folder without legacy data', () => {
    const root = tempFolder()
    const found = detectLegacy(root)
    expect(found).toEqual({ projectDir: root, journalFiles: [] })
    expect(hasLegacyData(found)).toBe(false)
  })

  it('takes only YYYY-MM-DD.md files as journal files, sorted', () => {
    const root = tempFolder()
    write(root, {
      '.journal/2026-02-24.md': '', '.journal/2026-02-23.md': '', '.journal/notes.md': '', '.journal/2026-2-3.md': '',
      '.journal/2026-02-23.md.bak': '', '.journal/2026-02-23.txt': '', '.journal/x2026-02-23.md': '',
    })
    mkdirSync(join(root, '.journal', '2026-02-25.md'))
    expect(detectLegacy(root).journalFiles).toEqual([join(root, '.journal', '2026-02-23.md'), join(root, '.journal', '2026-02-24.md')])
  })

  it('finds a status file on its own', () => {
    const root = tempFolder()
    write(root, { '.agent/status.json': '{}' })
    const found = detectLegacy(root)
    expect(found).toEqual({ projectDir: root, statusFile: join(root, '.agent', 'status.json'), journalFiles: [] })
    expect(hasLegacyData(found)).toBe(true)
  })

  it('finds a communication file on its own', () => {
    const root = tempFolder()
    write(root, { '.journal/communication.json': '[]' })
    const found = detectLegacy(root)
    expect(found).toEqual({ projectDir: root, communicationFile: join(root, '.journal', 'communication.json'), journalFiles: [] })
    expect(hasLegacyData(found)).toBe(true)
  })

  it('finds a legacy database kept as a folder with data.mdb', async () => {
    const root = tempFolder()
    const path = legacyDatabasePath(root)
    mkdirSync(path, { recursive: true })
    const database = open({ path, noSubdir: false, compression: true })
    await database.put('agent:build', { id: 'build', name: 'build' })
    await database.close()
    expect(detectLegacy(root).projectDatabase).toBe(path)
  })

  it.each([
    ['an empty folder', (path: string) => { mkdirSync(path, { recursive: true }) }],
    ['a folder with an empty data.mdb', (path: string) => { mkdirSync(path, { recursive: true }); writeFileSync(join(path, 'data.mdb'), '') }],
    ['an empty file', (path: string) => { mkdirSync(join(path, '..'), { recursive: true }); writeFileSync(path, '') }],
  ])('finds no database in %s, and migrating it is a no-op too', async (_, make) => {
    const root = tempFolder()
    make(legacyDatabasePath(root))
    expect(detectLegacy(root).projectDatabase).toBeUndefined()
    const target = openLmdbStore({ databasePath: ':memory:' })
    try {
      expect(await migrateProjectDatabase(root, target)).toEqual({ migrated: 0, skipped: 0, errors: [] })
      expect(await target.listMigrations()).toEqual([])
    } finally {
      await target.close()
    }
  })
})
