import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import type { LmdbStoreError } from './errors.js'
import { isLmdbStoreError } from './errors.js'
import { MEMORY_PATH } from './memory-path.js'
import { openLmdbStore } from './open-lmdb-store.js'

function openError(databasePath: unknown): unknown {
  try {
    openLmdbStore({ databasePath: databasePath as string })
  } catch (error) {
    return error
  }
  throw new Error('expected openLmdbStore to throw')
}

describe('openLmdbStore paths', () => {
  it.each([['tracker.lmdb'], ['./data/tracker.lmdb'], ['~/tracker.lmdb'], [''], [undefined]])('refuses %j: a path the host has not resolved would land wherever the process runs', (databasePath) => {
    const error = openError(databasePath)
    expect(isLmdbStoreError(error, 'INVALID_OPTION')).toBe(true)
    expect((error as LmdbStoreError).details).toEqual({ option: 'databasePath', value: databasePath })
    expect((error as Error).message).toMatch(/^Invalid databasePath .*: accepted is an absolute path, or ":memory:" for a throw-away database\.$/)
    expect(existsSync('~')).toBe(false)
  })

  it('normalises an absolute path and opens a throw-away database for :memory:', async () => {
    const folder = tempFolder()
    const store = openLmdbStore({ databasePath: `${folder}/sub/../tracker.lmdb` })
    expect(store.path).toBe(`${folder}/tracker.lmdb`)
    await store.close()
    expect(readdirSync(folder).sort()).toEqual(['tracker.lmdb', 'tracker.lmdb-lock'])
    const memory = openLmdbStore({ databasePath: MEMORY_PATH })
    const temporary = memory.path
    await memory.close()
    expect(existsSync(temporary)).toBe(false)
  })
})
