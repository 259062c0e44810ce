import { join } from 'node:path'
import { openPostgresStore } from '@agent-tracker/postgres-store'
import type { PostgresServer } from '@agent-tracker/postgres-store/testing'
import { startPostgresServer, startQuietableProxy } from '@agent-tracker/postgres-store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { openTracker } from '../tracker/open-tracker.js'

const SETUP = 'build@fake/m1'
let server: PostgresServer

beforeAll(async () => {
  server = await startPostgresServer()
}, 120_000)

afterAll(async () => {
  await server.destroy()
})

async function teamToolCalls(schema: string): Promise<number | undefined> {
  const team = await openPostgresStore({ url: server.url, schema })
  try {
    return (await team.get('setups', [SETUP]))?.state.toolCalls
  } finally {
    await team.close()
  }
}

describe('sync to the team database after each flush', () => {
  it('sends what each flush wrote, in the background, as the member on this machine', async () => {
    const outcomes: string[] = []
    const tracker = openTracker({
      databasePath: join(tempFolder('db-'), 'tracker.lmdb'), project: tempFolder('project-'), flush: { maxPending: false, maxAgeMs: false },
      team: { url: server.url, schema: 'after_flush', member: 'ana', onSync: ({ progress, error }) => outcomes.push(error === undefined ? `sent ${String(progress?.sent)}` : 'failed') },
    })
    for (let i = 0; i < 5; i++) await tracker.service.recordToolCall({ setup: SETUP, project: tracker.project, tool: 'bash', ok: true })
    await tracker.flush()
    await tracker.teamSync?.idle()
    expect(await teamToolCalls('after_flush')).toBe(5)
    await tracker.service.recordToolCall({ setup: SETUP, project: tracker.project, tool: 'bash', ok: true })
    await tracker.close()
    // close() waits for the sync its last flush asked for.
    expect(await teamToolCalls('after_flush')).toBe(6)
    expect(outcomes).toEqual(['sent 5', 'sent 1'])
  })

  it('keeps tracking while the server is down, and catches up once it is back', async () => {
    const outcomes: string[] = []
    const clock = { ms: 0 }
    const tracker = openTracker({
      databasePath: join(tempFolder('db-'), 'tracker.lmdb'), project: tempFolder('project-'), flush: { maxPending: false, maxAgeMs: false },
      team: { url: server.url, schema: 'server_down', member: 'ana', retryAfterMs: 60_000, now: () => clock.ms, onSync: ({ error }) => outcomes.push(error === undefined ? 'ok' : 'failed') },
    })
    const call = (): Promise<unknown> => tracker.service.recordToolCall({ setup: SETUP, project: tracker.project, tool: 'bash', ok: true })
    await call()
    await tracker.flush()
    await tracker.teamSync?.idle()
    await server.stop()
    try {
      await call()
      const written = await tracker.flush()
      expect(written).toMatchObject({ factsWritten: 1, errors: [] })
      await tracker.teamSync?.idle()
      expect(outcomes).toEqual(['ok', 'failed'])
      // Within the back-off, flushes do not knock on the server again.
      clock.ms += 59_000
      await call()
      await tracker.flush()
      await tracker.teamSync?.idle()
      expect(outcomes).toEqual(['ok', 'failed'])
    } finally {
      await server.start()
    }
    clock.ms += 2_000
    await call()
    await tracker.flush()
    await tracker.teamSync?.idle()
    expect(outcomes.at(-1)).toBe('ok')
    expect(await teamToolCalls('server_down')).toBe(4)
    await tracker.close()
  })
})

describe('closing while the team database does not answer', () => {
  it('stops the sync within the close\'s bound, leaves no connection open, and the next sync sends the rest', async () => {
    const proxy = await startQuietableProxy(server.url)
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const project = tempFolder('project-')
    const outcomes: string[] = []
    const tracker = openTracker({
      databasePath, project, flush: { maxPending: false, maxAgeMs: false }, flushOnExit: false,
      team: { url: proxy.url, schema: 'quiet_close', member: 'ana', onSync: ({ progress, error }) => outcomes.push(error === undefined ? `sent ${String(progress?.sent)}` : 'failed') },
    })
    const call = (): Promise<unknown> => tracker.service.recordToolCall({ setup: SETUP, project: tracker.project, tool: 'bash', ok: true })
    try {
      await call()
      await tracker.flush()
      await tracker.teamSync?.idle()
      expect(outcomes).toEqual(['sent 1'])
      // The network goes quiet: the last flush's sync waits for an answer (120 s by default).
      proxy.goQuiet()
      for (let i = 0; i < 3; i++) await call()
      const started = Date.now()
      await tracker.close({ waitMs: 5000 })
      expect(Date.now() - started).toBeLessThan(5000)
      // The stopped sync's connection is not left open to keep the process alive.
      await expect.poll(() => proxy.openConnections(), { timeout: 2000 }).toBe(0)
    } finally {
      await proxy.close()
    }
    // The facts were written locally; the next sync (the network back) sends them.
    const again = openTracker({ databasePath, project, flushOnExit: false, team: { url: server.url, schema: 'quiet_close', member: 'ana' } })
    again.teamSync?.request()
    await again.teamSync?.idle()
    await again.close()
    expect(await teamToolCalls('quiet_close')).toBe(4)
  }, 60_000)
})
