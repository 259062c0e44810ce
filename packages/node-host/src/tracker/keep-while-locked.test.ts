import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { asSchema2, startWriteLockHolder } from '@agent-tracker/lmdb-store/testing'
import { createFactScript } from '@agent-tracker/core/testing'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { openTracker } from './open-tracker.js'
import { PendingFacts, waitingFacts } from './pending-facts.js'
import { databaseWithOneToolCall } from '../../test/tracked-database.js'
import { ScriptedHistory, lines } from '../../test/scripted-history.js'

const SETUP = 'build@fake/m1'

describe.runIf(process.platform === 'linux')('a tracker that keeps its facts while another process holds the write lock', () => {
  it('takes the pending folder\'s facts once however often the lock refuses a flush, keeps each once at close, and the next tracker writes each once', { timeout: 60_000 }, async () => {
    const { databasePath, project } = await databaseWithOneToolCall(SETUP)
    // Three facts a hook left for the next flush.
    const left: Fact[] = ['a', 'b', 'c'].map((id) => ({ kind: 'tool_call', id: `hook-${id}`, at: new Date().toISOString(), setup: SETUP, project, session: 's', tool: 'read', ok: true }))
    new PendingFacts(databasePath).add('s', left)
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: 30_000 })
    try {
      const tracker = openTracker({ databasePath, project, whileLocked: 'keep', flush: { maxPending: false, maxAgeMs: false } })
      await tracker.service.recordToolCall({ setup: SETUP, project, tool: 'edit', ok: true })
      for (let attempt = 0; attempt < 3; attempt++) expect((await tracker.flush()).errors).toHaveLength(1)
      expect(tracker.buffer.pendingCount).toBe(4)
      const started = Date.now()
      await expect(tracker.close({ waitMs: 5000 })).rejects.toThrow(`4 pending facts were not written: another process (${String(child.pid)}) holds the database's write lock`)
      expect(Date.now() - started).toBeLessThan(4000)
      expect(waitingFacts(databasePath).facts).toBe(4)
    } finally {
      child.kill('SIGCONT')
    }
    await exited
    const next = openTracker({ databasePath, project })
    expect((await next.flush()).errors).toEqual([])
    expect(waitingFacts(databasePath).facts).toBe(0)
    expect((await next.buffer.get('setups', [SETUP]))?.state.toolCalls).toBe(5)
    await next.close()
  })

  it('lets its search-index build wait for the lock instead of stopping, and finishes once it is free', { timeout: 60_000 }, async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const project = tempFolder('project-')
    const store = openLmdbStore({ databasePath })
    const script = createFactScript({ setup: SETUP, project, start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
    await store.applyFacts(Array.from({ length: 600 }, (_, i) => script.activity(`stripe webhook retries ${String(i)}`)))
    await store.close()
    await asSchema2(databasePath)
    const tracker = openTracker({ databasePath, project, whileLocked: 'keep', flush: { maxPending: false, maxAgeMs: false } })
    expect(tracker.store.searchIndexes()).toBe('building')
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: 30_000 })
    const errors: unknown[] = []
    let settled = false
    const build = tracker.buildSearchIndexInBackground((error) => errors.push(error)).finally(() => {
      settled = true
    })
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect({ settled, errors }).toEqual({ settled: false, errors: [] })
    } finally {
      child.kill('SIGCONT')
    }
    await exited
    expect(await build).toBe(true)
    expect(errors).toEqual([])
    expect(tracker.store.searchIndexes()).toBe('in step')
    await tracker.close()
  })

  it('lets an evidence scan refused by the lock end quietly, and the next scan record what it found', { timeout: 60_000 }, async () => {
    const history = new ScriptedHistory(join(tempFolder('repo-'), 'shop'), 2)
    history.commit('initial', { 'a.js': lines('a', 3) })
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const tracker = openTracker({ databasePath, project: history.folder, whileLocked: 'keep', flush: { maxPending: false, maxAgeMs: false } })
    const agentCommit = history.commit('Add b', { 'b.js': lines('b', 3) })
    await tracker.service.recordCommit({ setup: SETUP, project: history.folder, hash: agentCommit, message: 'Add b' })
    await tracker.flush()
    history.commit('fix: b2', { 'b.js': lines('b', 3).replace('b2 = 2', 'b2 = 3') })
    const errors: unknown[] = []
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop', { watchdogMs: 30_000 })
    try {
      expect(await tracker.scanEvidenceInBackground((error) => errors.push(error))).toBeUndefined()
      expect(errors).toEqual([])
    } finally {
      child.kill('SIGCONT')
    }
    await exited
    expect(await tracker.scanEvidenceInBackground((error) => errors.push(error))).toMatchObject({ suspectedBugs: 1, recorded: 1 })
    expect(errors).toEqual([])
    await tracker.close()
  })
})
