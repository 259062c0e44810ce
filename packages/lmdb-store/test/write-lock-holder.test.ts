import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { openLmdbStore } from '../src/open-lmdb-store.js'
import { startWriteLockHolder } from '../src/testing.js'
import { writeLockHolder } from '../src/write-lock-holder.js'

const fact: Fact = { kind: 'tool_call', id: 'one', at: '2026-05-05T10:00:00.000Z', setup: 'build@fake/m1', project: '/p', session: 's', tool: 'bash', ok: true }

describe.runIf(process.platform === 'linux')('writeLockHolder', () => {
  it('names the other process holding the write lock, and says free once it let go, without disturbing this process\'s own writes', { timeout: 30_000 }, async () => {
    const databasePath = join(tempFolder(), 'held.lmdb')
    const store = openLmdbStore({ databasePath })
    await store.applyFacts([fact])
    expect(writeLockHolder(`${databasePath}-lock`)).toEqual({ state: 'free' })
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: 20_000 })
    try {
      expect(writeLockHolder(`${databasePath}-lock`)).toEqual({ state: 'held', pid: child.pid })
    } finally {
      child.kill('SIGCONT')
    }
    await exited
    expect(writeLockHolder(`${databasePath}-lock`)).toEqual({ state: 'free' })
    // Looking kept LMDB's own locks on the lock file: this process writes on as before.
    await store.applyFacts([{ ...fact, id: 'two' }])
    expect(await store.lastFactSeq()).toBe(2)
    await store.close()
  })

  it('says it is not held once the process holding the lock died, and unknown for a file that is no LMDB lock file', { timeout: 30_000 }, async () => {
    const databasePath = join(tempFolder(), 'died.lmdb')
    const store = openLmdbStore({ databasePath })
    await store.applyFacts([fact])
    await store.close()
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: 20_000 })
    child.kill('SIGKILL')
    await exited
    expect(writeLockHolder(`${databasePath}-lock`).state).not.toBe('held')
    expect(writeLockHolder(join(tempFolder(), 'nothing-lock'))).toEqual({ state: 'unknown' })
    expect(writeLockHolder(databasePath)).toEqual({ state: 'unknown' })
    // The next writer takes the lock over from the dead one.
    const again = openLmdbStore({ databasePath })
    await again.applyFacts([{ ...fact, id: 'after' }])
    await again.close()
  })
})
