import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fakeClient, tempFolder } from '../test/plugin-fixture.js'
import { createNotifier } from './notifier.js'
import { openRuntime } from './open-runtime.js'
import { readPluginOptions } from './options.js'

describe('openRuntime', () => {
  it('opens the database in the background and profiles the project on start', async () => {
    const folder = tempFolder()
    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: join(folder, 'db.lmdb') }), folder, createNotifier(client))
    const opened = await runtime
    await startup
    expect(await opened?.buffer.get('projects', [folder])).toMatchObject({ path: folder, profile: expect.any(Object) as object })
    await opened?.close()
    expect(client.notices).toEqual([])
  })

  it('pauses tracking with one toast and log line when the database cannot be used, and still settles its start-up', async () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'corrupt.lmdb'), 'this is not an LMDB file'.repeat(500))
    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: join(folder, 'corrupt.lmdb') }), folder, createNotifier(client))
    expect(await runtime).toBeUndefined()
    await startup
    expect(client.notices.map((notice) => [notice.kind, notice.level])).toEqual([['log', 'warn'], ['toast', 'warning']])
    expect(client.notices[0]?.message).toMatch(/^agent-tracker: tracking is paused — .*corrupt\.lmdb/)
  })
})
