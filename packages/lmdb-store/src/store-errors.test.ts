import { describe, expect, it } from 'vitest'
import { translateOpenError } from './store-errors.js'

describe('translateOpenError', () => {
  it("says what LMDB's permission and read-only failures mean for the database, not LMDB's words", () => {
    const denied = Object.assign(new Error('Permission denied: Attempting to open main database file.'), { code: 'EACCES' })
    const error = translateOpenError(denied, '/home/me/tracker.lmdb', false)
    expect([error.code, error.details]).toEqual(['DATABASE_UNWRITABLE', { path: '/home/me/tracker.lmdb', reason: 'permission' }])
    expect(error.message).toBe('Cannot open the agent-tracker database /home/me/tracker.lmdb to write: its file (or its lock file) is not writable for you. Reads still work; give yourself write permission on it (its owner can), or use a database of your own.')
    expect(error.message).not.toContain('Attempting')
    const readOnly = translateOpenError(Object.assign(new Error('Read-only file system'), { code: 'EROFS' }), '/mnt/ro/t.lmdb', false)
    expect(readOnly.message).toBe('Cannot open the agent-tracker database /mnt/ro/t.lmdb to write: it is on a read-only file system. Reads still work (read commands open it read-only).')
  })
})
