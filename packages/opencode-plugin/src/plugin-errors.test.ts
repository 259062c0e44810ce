import { LmdbStoreError } from '@agent-tracker/lmdb-store/config'
import { resolveWriteBufferOptions } from '@agent-tracker/write-buffer/options'
import { describe, expect, it } from 'vitest'
import { inPluginTerms } from './plugin-errors.js'

const GIB = 1024 ** 3

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('errors in the plugin’s terms', () => {
  it('names the flush option as the plugin spells it', () => {
    expect(inPluginTerms(thrown(() => resolveWriteBufferOptions({ maxPending: 0 })))).toBe('Invalid agent-tracker option flush.maxPending: 0; accepted: a whole number ≥ 1, or false to turn it off.')
  })

  it('says to raise maxDatabaseSize, or to use a new database once it is at its maximum', () => {
    const full = (limitBytes: number): LmdbStoreError => new LmdbStoreError('DATABASE_FULL', 'The database is full.', { path: '/d', usedBytes: limitBytes, limitBytes, maximumBytes: 2 * GIB })
    expect(inPluginTerms(full(GIB))).toBe('The database is full. Raise the maxDatabaseSize option (up to 2.0 GiB).')
    expect(inPluginTerms(full(2 * GIB))).toBe('The database is full. maxDatabaseSize is already at its 2.0 GiB maximum: set databasePath to a new database (this one stays readable with agent-tracker --db).')
  })

  it('points at databasePath where another file would help, and adds nothing where it would not', () => {
    expect(inPluginTerms(new LmdbStoreError('DATABASE_UNREADABLE', 'Damaged.', { path: '/d', reason: 'damaged' }))).toBe('Damaged. Move the file aside, or set the databasePath option to another file.')
    expect(inPluginTerms(new LmdbStoreError('DATABASE_UNWRITABLE', 'No access.', { path: '/d', reason: 'folder' }))).toBe('No access. Check its permissions, or set the databasePath option to a writable place.')
    expect(inPluginTerms(new LmdbStoreError('DATABASE_UNWRITABLE', 'Bad lock file. Remove it.', { path: '/d-lock', reason: 'lock-file' }))).toBe('Bad lock file. Remove it.')
    expect(inPluginTerms(new Error('plain'))).toBe('plain')
    expect(inPluginTerms('thrown text')).toBe('thrown text')
  })

  it('gives the fix of the cause, for a flush that failed on a full database', () => {
    const full = new LmdbStoreError('DATABASE_FULL', 'The database is full.', { path: '/d', usedBytes: GIB, limitBytes: GIB, maximumBytes: 2 * GIB })
    expect(inPluginTerms(new Error('Could not flush 2 pending facts before closing: The database is full.', { cause: full }))).toBe('Could not flush 2 pending facts before closing: The database is full. Raise the maxDatabaseSize option (up to 2.0 GiB).')
  })
})
