import { startWriteLockHolder, stallWatch } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { SETUP, startPlugin } from '../test/plugin-fixture.js'
import { DISPOSE_WAIT_MS } from './plugin.js'
import { waitingFacts } from '@agent-tracker/node-host/pending-facts'

/** A stopped holder goes on by itself after this long, so that a frozen event loop fails the test instead of hanging it. */
const WATCHDOG_MS = 15_000

/** A database the plugin already wrote one tool call to. */
async function existingDatabase(): Promise<{ databasePath: string; project: string }> {
  const first = await startPlugin()
  await first.chat('ses_0')
  await first.tool('ses_0', 'read', { filePath: 'README.md' })
  await first.dispose()
  return { databasePath: first.databasePath, project: first.project }
}

describe('another process holding the write lock', () => {
  it('lets the plugin start, guard and record tool calls with the event loop turning, and stores every fact once it is let go', { timeout: 60_000 }, async () => {
    const { databasePath, project } = await existingDatabase()
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: WATCHDOG_MS })
    const watch = stallWatch()
    try {
      const plugin = await startPlugin({ databasePath, project, waitForStartup: false })
      expect(await plugin.tracking.runtime).toBeDefined()
      await plugin.chat('ses_1')
      await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
      await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
      // The flush waits for the lock; tool calls go on meanwhile, each through the guard's halt check.
      const idle = plugin.event('session.idle', {})
      await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
      // Four tool calls, each counted once: one stored, two in the flush waiting for the lock, one pending (0.1 XP each).
      expect(await plugin.agentTool('ses_1', 'tracker_status', {})).toContain('XP 0.4/10.0')
      await new Promise((resolve) => setTimeout(resolve, 2000))
      expect(watch.longestMs()).toBeLessThan(1000)
      child.kill('SIGCONT')
      await idle
      await exited
      await plugin.event('session.idle', {})
      expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(4)
      await plugin.dispose()
    } finally {
      watch.stop()
      child.kill('SIGCONT')
    }
  })

  it('ends a dispose at once while another process holds the lock, keeping the facts beside the database for the next start to write', { timeout: 60_000 }, async () => {
    const { databasePath, project } = await existingDatabase()
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: WATCHDOG_MS })
    try {
      const plugin = await startPlugin({ databasePath, project, waitForStartup: false })
      await plugin.tracking.runtime
      await plugin.chat('ses_1')
      await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
      expect(await plugin.agentTool('ses_1', 'tracker_status', {})).toContain('XP 0.2/10.0')
      // A flush the lock refuses is a wait, said once as such: no warning that the flush failed.
      await plugin.event('session.idle', {})
      expect(plugin.notices).toContainEqual(expect.objectContaining({ kind: 'log', level: 'info', message: expect.stringContaining('agent-tracker waits: DATABASE_BUSY') as string }))
      expect(plugin.notices.filter((notice) => notice.kind === 'log' && notice.level !== 'info')).toEqual([])
      const started = Date.now()
      await plugin.dispose()
      // No write was left waiting for the lock: OpenCode can end now, and did not wait DISPOSE_WAIT_MS.
      expect(Date.now() - started).toBeLessThan(DISPOSE_WAIT_MS - 1000)
      expect(plugin.notices).toContainEqual(expect.objectContaining({ kind: 'log', level: 'error', message: expect.stringContaining(`1 pending fact was not written: another process (${String(child.pid)}) holds the database's write lock`) as string }))
      expect(waitingFacts(databasePath).facts).toBe(1)
      child.kill('SIGCONT')
      await exited
      // The next start writes what was kept, once.
      const next = await startPlugin({ databasePath, project })
      await next.event('session.idle', {})
      expect((await next.read('setups', [SETUP]))?.state.toolCalls).toBe(2)
      expect(waitingFacts(databasePath).facts).toBe(0)
      await next.dispose()
    } finally {
      child.kill('SIGCONT')
    }
  })
})
