import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { STALL_LIMITS, isPostgresStoreError, openPostgresStore, syncToTeam, transactionLimits } from '../src/index.js'
import { startQuietableProxy } from '../src/testing/index.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
let next = 0
const schemaName = (): string => `stall_${String(process.pid)}_${String(next++)}`

/** A member's database with a few facts to sync. */
async function memberLog(): Promise<ReturnType<typeof createMemoryStore>> {
  const local = createMemoryStore()
  const s = createFactScript({ setup: SETUP, project: '/home/ben/api' })
  await local.applyFacts(Array.from({ length: 5 }, () => s.toolCall()))
  return local
}

/**
 * A connection that takes the team's write lock, as a member's write does, and then stops: a sync
 * stopped inside its transaction. With `limits`, its transaction sets them as every write of the store does.
 */
async function stoppedWriter(url: string, schema: string, limits?: typeof STALL_LIMITS): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => undefined)
  await client.connect()
  await client.query('BEGIN')
  if (limits !== undefined) await client.query(transactionLimits(limits))
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`agent-tracker:write:${schema}:`])
  return client
}

describe('a member whose sync stalls', () => {
  it('holds the others up no longer than the server lets a transaction sit idle: then its lock goes, and their syncs go through', async () => {
    const url = inject('postgresUrl')
    const schema = schemaName()
    const team = await openPostgresStore({ url, schema })
    // Stopped with the limits every write transaction of the store sets (here ended after a second idle, not thirty).
    const stopped = await stoppedWriter(url, schema, { ...STALL_LIMITS, idleInTransactionMs: 1000 })
    try {
      const synced = await syncToTeam(await memberLog(), team, { source: 'b:/db', member: 'ben', machine: 'b' })
      expect(synced).toMatchObject({ sent: 5, applied: 5 })
      // The server ended the stopped one's session: what it held rolled back, and it has to connect again.
      await expect(stopped.query('SELECT 1')).rejects.toThrow()
    } finally {
      await stopped.end().catch(() => undefined)
      await team.close()
    }
  })

  it('makes a write that waits longer than its limit for the lock give up, saying the team database is busy, instead of waiting for good', async () => {
    const url = inject('postgresUrl')
    const schema = schemaName()
    const team = await openPostgresStore({ url, schema, stallLimits: { lockWaitMs: 300 } })
    // Held by a connection without any limit (another program, an older release): never let go by the server.
    const holder = await stoppedWriter(url, schema)
    const local = await memberLog()
    try {
      const error: unknown = await syncToTeam(local, team, { source: 'b:/db', member: 'ben', machine: 'b' }).catch((caught: unknown) => caught)
      expect(isPostgresStoreError(error, 'TEAM_BUSY')).toBe(true)
      expect((error as Error).message).toContain('is busy: another write held the lock this one needs')
      expect((await team.acknowledged('b:/db')).seq).toBe(0)
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
    // Once it is let go, the same sync goes through whole.
    expect(await syncToTeam(local, team, { source: 'b:/db', member: 'ben', machine: 'b' })).toMatchObject({ sent: 5, applied: 5, acknowledged: 5 })
    await team.close()
  })

  it('gives up a statement the server stopped answering (a network that went quiet), saying it cannot be reached, instead of waiting for good', async () => {
    const proxy = await startQuietableProxy(inject('postgresUrl'))
    const schema = schemaName()
    const team = await openPostgresStore({ url: proxy.url, schema, stallLimits: { answerMs: 1000 } })
    try {
      proxy.goQuiet()
      const error: unknown = await syncToTeam(await memberLog(), team, { source: 'b:/db', member: 'ben', machine: 'b' }).catch((caught: unknown) => caught)
      expect(isPostgresStoreError(error, 'TEAM_UNREACHABLE')).toBe(true)
    } finally {
      await team.close().catch(() => undefined)
      await proxy.close()
    }
  })
})

describe('a sync stopped by its signal', () => {
  it('rejects with SYNC_STOPPED at once while the team holds a statement, reads the local store no more, and the next sync sends everything', async () => {
    const url = inject('postgresUrl')
    const schema = schemaName()
    const team = await openPostgresStore({ url, schema })
    const local = await memberLog()
    // Every read of the local store after the stop is counted: none may come.
    const stop = new AbortController()
    let readsAfterStop = 0
    const counted = new Proxy(local, {
      get: (target, name, receiver) => {
        const value: unknown = Reflect.get(target, name, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          if (stop.signal.aborted) readsAfterStop++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    // Held by a connection without limits: the sync's write waits for it (60 s by default).
    const holder = await stoppedWriter(url, schema)
    try {
      const syncing = syncToTeam(counted, team, { source: 'b:/db', member: 'ben', machine: 'b', signal: stop.signal }).catch((caught: unknown) => caught)
      await new Promise((resolve) => setTimeout(resolve, 500))
      const started = Date.now()
      stop.abort()
      const error = await syncing
      expect(Date.now() - started).toBeLessThan(200)
      expect(isPostgresStoreError(error, 'SYNC_STOPPED')).toBe(true)
      expect((error as Error).message).toContain('the next sync sends the rest')
      expect(readsAfterStop).toBe(0)
      // A stopped sync's connection is cut rather than waited for.
      await team.close({ abandon: true })
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
    const again = await openPostgresStore({ url, schema })
    expect(await syncToTeam(local, again, { source: 'b:/db', member: 'ben', machine: 'b' })).toMatchObject({ sent: 5, applied: 5, acknowledged: 5 })
    await again.close()
  })
})
