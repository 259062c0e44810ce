import { join } from 'node:path'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { openLmdbStore } from './open-lmdb-store.js'
import { quietCommitFailureLogs, whenWritesSettle, writesUnderWay } from './writes-under-way.js'

describe('writesUnderWay', () => {
  it('counts an asynchronous write from its call until it settles, and calls back as the last one settles, before its awaiter goes on', async () => {
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'counted.lmdb') })
    const seen: string[] = []
    whenWritesSettle(() => seen.push('none under way'))
    expect(seen).toEqual(['none under way'])
    const fact = { kind: 'tool_call', id: 'one', at: '2026-05-05T10:00:00.000Z', setup: 'build@fake/m1', project: '/p', session: 's', tool: 'bash', ok: true } as const
    const write = store.applyFacts([fact])
    const second = store.applyFacts([{ ...fact, id: 'two' }])
    expect(writesUnderWay().count).toBe(2)
    expect(writesUnderWay().oldestSince).toBeLessThanOrEqual(Date.now())
    whenWritesSettle(() => seen.push('settled'))
    await Promise.all([write, second])
    seen.push('awaiter')
    expect(seen).toEqual(['none under way', 'settled', 'awaiter'])
    expect(writesUnderWay()).toEqual({ count: 0, oldestSince: undefined, waitingSince: undefined })
    await store.close()
  })

  it('quiets only lmdb-js\'s own log of a native error, and only while a write is under way', async () => {
    const logged: unknown[][] = []
    const kept = console.error
    console.error = (...args: unknown[]) => {
      logged.push(args)
    }
    try {
      quietCommitFailureLogs()
      quietCommitFailureLogs()
      const native = Object.assign(new Error('Input/output error'), { code: 5 })
      const store = openLmdbStore({ databasePath: join(tempFolder(), 'quiet.lmdb') })
      const fact = { kind: 'tool_call', id: 'one', at: '2026-05-05T10:00:00.000Z', setup: 'build@fake/m1', project: '/p', session: 's', tool: 'bash', ok: true } as const
      const write = store.applyFacts([fact])
      console.error(native)
      console.error('In beforecommit callback', native)
      const system = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })
      console.error(system)
      await write
      console.error(native)
      expect(logged).toEqual([['In beforecommit callback', native], [system], [native]])
      await store.close()
    } finally {
      console.error = kept
    }
  })
})
