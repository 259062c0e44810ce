import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createFactScript } from '@agent-tracker/core/testing'
import { describeStoreContract } from '@agent-tracker/core/testing/contract'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { withWriteBuffer } from './write-buffer.js'

const run = promisify(execFile)

describeStoreContract('write buffer over lmdb (facts pending)', ({ rules }) =>
  Promise.resolve(withWriteBuffer(openLmdbStore({ databasePath: ':memory:', ...(rules === undefined ? {} : { rules }) }), { maxPending: false, maxAgeMs: false })),
)

describeStoreContract('write buffer over lmdb (flushing after every fact)', ({ rules }) =>
  Promise.resolve(withWriteBuffer(openLmdbStore({ databasePath: ':memory:', ...(rules === undefined ? {} : { rules }) }), { maxPending: 1, maxAgeMs: false })),
)

describe('write buffer over lmdb', () => {
  it('writes a 10,000-fact burst as one transaction that collapses into three records', async () => {
    const store = openLmdbStore({ databasePath: ':memory:' })
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: 'build@fake/m1', project: '/p', stepMs: 1 })
    for (let i = 0; i < 10_000; i++) buffer.append([s.toolCall()])
    expect(store.info().records.setups).toBe(0)
    expect(await buffer.flush()).toEqual({ factsWritten: 10_000, entriesWritten: 3, skipped: 0, errors: [] })
    expect((await store.get('setups', ['build@fake/m1']))?.state.toolCalls).toBe(10_000)
    await buffer.close()
  })

  it('never counts a batch twice when a read overlaps a flush', async () => {
    const buffer = withWriteBuffer(openLmdbStore({ databasePath: ':memory:' }), { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: 'build@fake/m1', project: '/p' })
    buffer.append(Array.from({ length: 30 }, () => s.toolCall()))
    const flushing = buffer.flush()
    const read = buffer.get('setups', ['build@fake/m1'])
    await flushing
    expect((await read)?.state.toolCalls).toBe(30)
    await buffer.close()
  })

  it('keeps every fact when a process flushes synchronously on exit', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'write-buffer-'))
    try {
      const databasePath = join(folder, 'exit.lmdb')
      const child = fileURLToPath(new URL('../test/fixtures/flush-sync-then-exit.mjs', import.meta.url))
      const { stdout } = await run(process.execPath, [child, databasePath, '5000'])
      expect(JSON.parse(stdout)).toEqual({ factsWritten: 5000, entriesWritten: 103, skipped: 0, errors: [] })
      const fresh = openLmdbStore({ databasePath })
      expect((await fresh.get('setups', ['build@fake/m1']))?.state).toMatchObject({ toolCalls: 4900, commits: 100 })
      expect(await fresh.find('commits')).toHaveLength(100)
      await fresh.close()
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
