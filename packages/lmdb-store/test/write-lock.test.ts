import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Fact } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { openLmdbStore } from '../src/open-lmdb-store.js'
import { tempFolder } from '@agent-tracker/test-folders'

const holder = fileURLToPath(new URL('fixtures/hold-write-lock.mjs', import.meta.url))
const HELD_MS = 3000
/** When a stopped holder goes on by itself. */
const WATCHDOG_MS = 10_000
const SETUP = 'build@fake/m1'

/** A second process holding the database's write lock, once it says it does. */
async function holdWriteLock(databasePath: string, mode: 'wait' | 'stop'): Promise<ChildProcess> {
  const child = spawn(process.execPath, [holder, databasePath, mode, String(HELD_MS)], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve()
    })
  })
  // A stopped holder goes on after 10 s whatever happens here, so that a host frozen by it (what this tests) fails instead of hanging.
  if (mode === 'stop') spawn(process.execPath, ['-e', `setTimeout(() => { try { process.kill(${String(child.pid)}, 'SIGCONT') } catch {} }, ${String(WATCHDOG_MS)})`], { stdio: 'ignore' }).unref()
  return child
}

/** The longest time the event loop went without a turn while `work` ran (a 10 ms timer measures it). */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = Date.now()
  let stallMs = 0
  const timer = setInterval(() => {
    const now = Date.now()
    stallMs = Math.max(stallMs, now - last)
    last = now
  }, 10)
  try {
    const value = await work()
    stallMs = Math.max(stallMs, Date.now() - last)
    return { value, stallMs }
  } finally {
    clearInterval(timer)
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
    const child = await holdWriteLock(databasePath, 'wait')
    const exited = new Promise((resolve) => child.once('exit', resolve))
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
    const child = await holdWriteLock(databasePath, 'stop')
    const exited = new Promise((resolve) => child.once('exit', resolve))
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
})
