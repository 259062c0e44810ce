import { connect, createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { STALL_LIMITS, isPostgresStoreError, openPostgresStore, syncToTeam, transactionLimits } from '../src/index.js'

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
    const target = new URL(inject('postgresUrl'))
    const proxy = await quietableProxy(target.hostname, Number(target.port))
    const through = new URL(target.href)
    through.hostname = '127.0.0.1'
    through.port = String(proxy.port)
    const schema = schemaName()
    const team = await openPostgresStore({ url: through.href, schema, stallLimits: { answerMs: 1000 } })
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

/** A TCP proxy to the server that can stop forwarding what the server sends, without closing anything: a network gone quiet. */
async function quietableProxy(host: string, port: number): Promise<{ port: number; goQuiet: () => void; close: () => Promise<void> }> {
  let quiet = false
  const sockets: Socket[] = []
  const server: Server = createServer((client) => {
    const upstream = connect(port, host)
    sockets.push(client, upstream)
    client.on('data', (data: Buffer) => upstream.write(data))
    upstream.on('data', (data: Buffer) => {
      if (!quiet) client.write(data)
    })
    for (const socket of [client, upstream]) socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    goQuiet: () => {
      quiet = true
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => {
        resolve()
      })
    }),
  }
}
