import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { startWriteLockHolder, stallWatch } from '@agent-tracker/lmdb-store/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { withWriteBuffer } from './write-buffer.js'

const SETUP = 'build@fake/m1'
const folders: string[] = []

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function toolCalls(prefix: string, count: number): Fact[] {
  return Array.from({ length: count }, (_, index) => ({ kind: 'tool_call', id: `${prefix}-${String(index)}`, at: '2026-05-05T10:00:00.000Z', setup: SETUP, project: '/p', session: 's', tool: 'bash', ok: true }))
}

describe('a flush while another process holds the write lock', () => {
  it('waits off the event loop, keeps buffering, answers reads counting every fact once, and stores each once afterwards', { timeout: 30_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'write-lock-'))
    folders.push(folder)
    const databasePath = join(folder, 'tracker.lmdb')
    const store = openLmdbStore({ databasePath })
    await store.applyFacts(toolCalls('stored', 1))
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    const toolCallsNow = async (): Promise<number | undefined> => (await buffer.get('setups', [SETUP]))?.state.toolCalls
    buffer.append(toolCalls('first', 5))
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop')
    const watch = stallWatch()
    try {
      const state = { flushed: false }
      const flushing = buffer.flush().finally(() => {
        state.flushed = true
      })
      // While the flush waits for the lock: new facts are buffered, reads answer with every fact once.
      await new Promise((resolve) => setTimeout(resolve, 200))
      buffer.append(toolCalls('second', 3))
      expect(await toolCallsNow()).toBe(9)
      expect(buffer.pendingCount).toBe(8)
      // A synchronous flush would wait for the lock on this thread: it says so instead, and keeps the facts.
      expect(buffer.flushSync().errors[0]).toMatch(/still waiting for the database/)
      await new Promise((resolve) => setTimeout(resolve, 2000))
      expect(state.flushed).toBe(false)
      expect(watch.longestMs()).toBeLessThan(1000)
      // Reads right across the commit: each counts every fact once, committed or not.
      child.kill('SIGCONT')
      const counts: (number | undefined)[] = []
      while (!state.flushed) {
        counts.push(await toolCallsNow())
        await new Promise((resolve) => setImmediate(resolve))
      }
      counts.push(await toolCallsNow())
      expect(new Set(counts)).toEqual(new Set([9]))
      expect(await flushing).toMatchObject({ factsWritten: 5, errors: [] })
      await exited
      expect(buffer.pendingCount).toBe(3)
      expect(await buffer.flush()).toMatchObject({ factsWritten: 3, errors: [] })
      expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(9)
      expect(await store.lastFactSeq()).toBe(9)
    } finally {
      watch.stop()
      child.kill('SIGCONT')
      await buffer.close()
    }
  })

  it('does not write synchronously while another write of the process waits for the lock: flushSync says so at once and keeps the facts', { timeout: 30_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'write-lock-'))
    folders.push(folder)
    const databasePath = join(folder, 'tracker.lmdb')
    const store = openLmdbStore({ databasePath })
    await store.applyFacts(toolCalls('stored', 1))
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    buffer.append(toolCalls('pending', 2))
    const { child, exited } = await startWriteLockHolder(databasePath, 'stop')
    try {
      // Straight to the store, as a search-build step or an evidence scan writes: not the buffer's flush.
      const direct = store.applyFacts(toolCalls('direct', 1))
      await new Promise((resolve) => setTimeout(resolve, 200))
      const started = Date.now()
      const result = buffer.flushSync()
      expect(Date.now() - started).toBeLessThan(1000)
      expect(result.errors).toEqual(['2 pending facts were not written: another write of this process is still waiting for the database (another process may hold its write lock), and a synchronous write would wait for it too.'])
      expect(buffer.pendingFacts.map((fact) => fact.id)).toEqual(['pending-0', 'pending-1'])
      child.kill('SIGCONT')
      await direct
      // With nothing of the process waiting, it writes.
      expect(buffer.flushSync()).toMatchObject({ factsWritten: 2, errors: [] })
    } finally {
      child.kill('SIGCONT')
      await exited
    }
    expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(4)
    await buffer.close()
  })
})
