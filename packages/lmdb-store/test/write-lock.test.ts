import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { openLmdbStore } from '../src/open-lmdb-store.js'
import { writesUnderWay } from '../src/writes-under-way.js'
import { startWriteLockHolder, stallWatch } from '../src/testing.js'
import { tempFolder } from '@agent-tracker/test-folders'

const HELD_MS = 3000
const SETUP = 'build@fake/m1'

/** The longest time the event loop went without a turn while `work` ran. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  const watch = stallWatch()
  try {
    const value = await work()
    return { value, stallMs: watch.longestMs() }
  } finally {
    watch.stop()
  }
}

function toolCall(id: string): Fact {
  return { kind: 'tool_call', id, at: '2026-05-05T10:00:00.000Z', setup: SETUP, project: '/p', session: 's', tool: 'bash', ok: true }
}

describe('another process holding the write lock', () => {
  it('does not hold up opening the database, nor the event loop while a write waits for the lock', { timeout: 30_000 }, async () => {
    const databasePath = join(tempFolder(), 'locked.lmdb')
    const created = openLmdbStore({ databasePath })
    await created.applyFacts([toolCall('before')])
    await created.close()
    const { exited } = await startWriteLockHolder(databasePath, 'wait', { heldMs: HELD_MS })
    const started = Date.now()
    const { value: store, stallMs: openStall } = await longestStall(() => Promise.resolve(openLmdbStore({ databasePath })))
    // Opening did not wait for the lock (3 s): far less than a second, however loaded the machine.
    expect(openStall).toBeLessThan(1000)
    expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(1)
    const { value: applied, stallMs } = await longestStall(() => store.applyFacts([toolCall('during-1'), toolCall('during-2')]))
    expect(stallMs).toBeLessThan(1000)
    // The write went in after the other process let go of the lock, and counted each fact once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(HELD_MS - 500)
    expect(applied.applied).toBe(2)
    await exited
    expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(3)
    expect(await store.lastFactSeq()).toBe(3)
    await store.close()
  })

  it('keeps the event loop turning while the holder is stopped inside its write transaction, and writes once it goes on', { timeout: 30_000 }, async () => {
    const databasePath = join(tempFolder(), 'stopped.lmdb')
    const created = openLmdbStore({ databasePath })
    await created.applyFacts([toolCall('before')])
    await created.close()
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop')
    try {
      const { value: store, stallMs: openStall } = await longestStall(() => Promise.resolve(openLmdbStore({ databasePath })))
      expect(openStall).toBeLessThan(1000)
      let settled = false
      const write = store.applyFacts([toolCall('during')]).finally(() => {
        settled = true
      })
      const { stallMs } = await longestStall(() => new Promise((resolve) => setTimeout(resolve, HELD_MS)))
      expect(stallMs).toBeLessThan(1000)
      expect(settled).toBe(false)
      child.kill('SIGCONT')
      await write
      await exited
      expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(2)
      await store.close()
    } finally {
      child.kill('SIGCONT')
    }
  })

  it('tells a write that waits for the lock from one that holds it', { timeout: 30_000 }, async () => {
    const databasePath = join(tempFolder(), 'waiting.lmdb')
    const store = openLmdbStore({ databasePath })
    await store.applyFacts([toolCall('before')])
    // Unhindered, a write is never seen waiting once its transaction ran.
    const free = store.applyFacts([toolCall('free')])
    await free
    expect(writesUnderWay()).toEqual({ count: 0, oldestSince: undefined, waitingSince: undefined })
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop')
    try {
      const asked = Date.now()
      const write = store.applyFacts([toolCall('during')])
      await new Promise((resolve) => setTimeout(resolve, 500))
      const waiting = writesUnderWay()
      expect(waiting.count).toBe(1)
      expect(waiting.waitingSince).toBeGreaterThanOrEqual(asked)
      expect(waiting.waitingSince).toBe(waiting.oldestSince)
      child.kill('SIGCONT')
      await write
      await exited
      expect(writesUnderWay()).toEqual({ count: 0, oldestSince: undefined, waitingSince: undefined })
      expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(3)
    } finally {
      child.kill('SIGCONT')
      await store.close()
    }
  })

  it.runIf(process.platform === 'linux')('refuses a write at once, writing nothing, when told to refuse while another process holds the lock', { timeout: 30_000 }, async () => {
    const databasePath = join(tempFolder(), 'refusing.lmdb')
    const store = openLmdbStore({ databasePath, whileLocked: 'refuse' })
    await store.applyFacts([toolCall('before')])
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop')
    try {
      const started = Date.now()
      const refused = await store.applyFacts([toolCall('during')]).then(() => undefined, (error: unknown) => error)
      expect(Date.now() - started).toBeLessThan(1000)
      expect(refused).toMatchObject({ code: 'DATABASE_BUSY', details: { path: databasePath, pid: child.pid } })
      expect(writesUnderWay().count).toBe(0)
    } finally {
      child.kill('SIGCONT')
    }
    await exited
    await store.applyFacts([toolCall('after')])
    expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(2)
    await store.close()
  })
})
