import { join } from 'node:path'
import { isWriteBufferError } from '@agent-tracker/write-buffer'
import { asSearchWords1, startWriteLockHolder } from '@agent-tracker/lmdb-store/testing'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { openTracker } from './open-tracker.js'

const SETUP = 'build@fake/m1'
/** The stopped holder goes on by itself after this long: a close that waits for it takes that long. */
const WATCHDOG_MS = 15_000

describe('closing while another process holds the write lock', () => {
  it('gives up within its wait even with a search-build step waiting for the lock, saying what was not written', { timeout: 60_000 }, async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const project = tempFolder('project-')
    const first = openTracker({ databasePath, project })
    for (let i = 0; i < 5; i++) await first.service.logActivity({ setup: SETUP, project, task: `tidy the cart ${String(i)}` })
    await first.close()
    // Indexes of words an earlier release cut: the tracker's background build has a step to write.
    await asSearchWords1(databasePath)
    const { child: holder, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: WATCHDOG_MS })
    const tracker = openTracker({ databasePath, project, flush: { maxPending: false, maxAgeMs: false } })
    void tracker.buildSearchIndexInBackground()
    await tracker.service.recordToolCall({ setup: SETUP, project, tool: 'bash', ok: true })
    // Its first step is under way, waiting for the lock.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const started = Date.now()
    const error: unknown = await tracker.close({ waitMs: 1000 }).catch((caught: unknown) => caught)
    const waited = Date.now() - started
    try {
      expect(isWriteBufferError(error, 'FLUSH_FAILED')).toBe(true)
      expect((error as Error).message).toContain('1 pending fact was not written')
      // Not the holder's whole stop (the watchdog's 15 s): the close's own wait, and a little more.
      expect(waited).toBeLessThan(WATCHDOG_MS / 3)
    } finally {
      holder.kill('SIGCONT')
      await exited
    }
  })
})
