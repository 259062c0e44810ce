import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startWriteLockHolder } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { openTracker } from './open-tracker.js'
import { waitingFacts } from './pending-facts.js'
import { databaseWithOneToolCall } from '../../test/tracked-database.js'

const CHILD = fileURLToPath(new URL('../../test/fixtures/exit-while-writing.mjs', import.meta.url))
const SETUP = 'build@fake/m1'
/** The stopped holder goes on by itself after this long: an exit that waits for it takes that long. */
const WATCHDOG_MS = 30_000

describe('the exit flush while another process holds the write lock', () => {
  it('does not wait for the lock another write of the process waits for: the process ends by its signal at once, its pending facts kept beside the database for the next flush', { timeout: 90_000 }, async () => {
    const { databasePath, project } = await databaseWithOneToolCall(SETUP)
    const { child: holder, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: WATCHDOG_MS })
    let ended: { by: NodeJS.Signals | null; ms: number }
    try {
      ended = await new Promise((resolve) => {
        const child = spawn(process.execPath, [CHILD, databasePath, project], { stdio: ['ignore', 'pipe', 'inherit'] })
        let signalled = 0
        child.stdout.once('data', () => {
          // The direct write has reached lmdb-js's writer thread, which waits for the lock.
          setTimeout(() => {
            signalled = Date.now()
            child.kill('SIGTERM')
          }, 300)
        })
        child.once('exit', (_code, by) => { resolve({ by, ms: Date.now() - signalled }) })
      })
      expect(ended.by).toBe('SIGTERM')
      // Not the holder's whole stop: a moment.
      expect(ended.ms).toBeLessThan(5000)
      expect(waitingFacts(databasePath)).toMatchObject({ facts: 1, unwritten: 1, keptAtExit: { facts: 1, unwritten: 1 }, fromHooks: { facts: 0 } })
    } finally {
      holder.kill('SIGCONT')
      await exited
    }
    // The next tracker's flush writes what was kept, once, and removes it.
    const next = openTracker({ databasePath, project })
    expect((await next.flush()).errors).toEqual([])
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 0 })
    expect((await next.buffer.get('setups', [SETUP]))?.state.toolCalls).toBe(2)
    expect((await next.flush()).factsWritten).toBe(0)
    await next.close()
  })

  it.runIf(process.platform === 'linux')('does not wait for the lock with no other write under way either: the exit keeps the pending facts instead of writing them', { timeout: 90_000 }, async () => {
    const { databasePath, project } = await databaseWithOneToolCall(SETUP)
    const { child: holder, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: WATCHDOG_MS })
    try {
      const ended = await new Promise<{ by: NodeJS.Signals | null; ms: number }>((resolve) => {
        const child = spawn(process.execPath, [CHILD, databasePath, project, 'idle'], { stdio: ['ignore', 'pipe', 'inherit'] })
        let signalled = 0
        child.stdout.once('data', () => {
          signalled = Date.now()
          child.kill('SIGTERM')
        })
        child.once('exit', (_code, by) => { resolve({ by, ms: Date.now() - signalled }) })
      })
      expect(ended.by).toBe('SIGTERM')
      expect(ended.ms).toBeLessThan(5000)
      expect(waitingFacts(databasePath)).toMatchObject({ facts: 1 })
    } finally {
      holder.kill('SIGCONT')
      await exited
    }
    const next = openTracker({ databasePath, project })
    expect((await next.flush()).errors).toEqual([])
    expect((await next.buffer.get('setups', [SETUP]))?.state.toolCalls).toBe(2)
    await next.close()
  })
})
