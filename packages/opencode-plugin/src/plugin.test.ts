import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Hooks } from '@opencode-ai/plugin'
import { describe, expect, it } from 'vitest'
import { SETUP, eventually, fakeClient, startPlugin, tempFolder } from '../test/plugin-fixture.js'
import { createFactScript } from '@agent-tracker/core/testing'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { startTracking } from './plugin.js'

const malformed = (): readonly unknown[] => [undefined, null, {}, 'text', 42, { event: null }, { sessionID: 5, agent: {}, model: null, tool: null, args: 7, command: 'x' }]

/** Calls every hook of the plugin with each malformed input; collects anything that escaped. */
async function escapesOf(hooks: Hooks): Promise<string[]> {
  const escaped: string[] = []
  const call = async (name: string, run: () => unknown): Promise<void> => {
    try {
      await run()
    } catch (error) {
      escaped.push(`${name}: ${(error as Error).message}`)
    }
  }
  for (const [i] of malformed().entries()) {
    for (const [o] of malformed().entries()) {
      const input = malformed()[i]
      const output = malformed()[o]
      const loose = hooks as Record<string, ((a: unknown, b: unknown) => unknown) | undefined>
      for (const name of ['event', 'chat.params', 'tool.execute.before', 'tool.execute.after', 'command.execute.before', 'config']) {
        const hook = loose[name]
        if (hook !== undefined) await call(`${name}(${JSON.stringify(input)}, ${JSON.stringify(output)})`, () => hook(input, output))
      }
    }
  }
  await call('dispose', () => hooks.dispose?.())
  await call('dispose again', () => hooks.dispose?.())
  return escaped
}

describe('startTracking', () => {
  it('never lets a hook throw into OpenCode, whatever it is handed', async () => {
    const plugin = await startPlugin()
    expect(await escapesOf(plugin.hooks)).toEqual([])
    expect(plugin.notices.filter((notice) => notice.level === 'error').length).toBeGreaterThan(0)
  })

  it('never lets a hook throw while tracking is paused either', async () => {
    const { hooks } = startTracking(fakeClient(), tempFolder(), { maxDatabaseSize: 10 })
    expect(await escapesOf(hooks)).toEqual([])
  })

  it('pauses tracking on an invalid size with one toast and log line saying why, and still protects secrets', async () => {
    const client = fakeClient()
    const project = tempFolder()
    const { hooks, runtime } = startTracking(client, project, { databasePath: `${project}/never.lmdb`, maxDatabaseSize: 10 })
    expect(await runtime).toBeUndefined()
    const why = 'agent-tracker: tracking is paused — Invalid maxDatabaseSize 10: accepted is a whole number of bytes from 1048576 (1 MiB) to 2147483648 (2 GiB)'
    expect(client.notices).toEqual([
      { kind: 'log', level: 'warn', message: expect.stringContaining(why) as string },
      { kind: 'toast', level: 'warning', message: expect.stringContaining(why) as string },
    ])
    await expect(hooks['tool.execute.before']?.({ tool: 'read', sessionID: 's', callID: 'c' }, { args: { filePath: '.env' } })).rejects.toThrow('agent-tracker blocked this read call')
  })

  it("keeps guarding the user's own protected files while another option pauses tracking", async () => {
    const project = tempFolder()
    const { hooks } = startTracking(fakeClient(), project, { databasePath: `${project}/never.lmdb`, maxDatabaseSize: 10, protectedFiles: ['*.pem'] })
    await expect(hooks['tool.execute.before']?.({ tool: 'bash', sessionID: 's', callID: 'c' }, { args: { command: 'cat server.pem' } })).rejects.toThrow('agent-tracker blocked this bash call')
    await expect(hooks['tool.execute.before']?.({ tool: 'bash', sessionID: 's', callID: 'd' }, { args: { command: 'cat README.md' } })).resolves.toBeUndefined()
  })

  it('reports a write past maxDatabaseSize with its code, keeps what was stored, and keeps the session going', async () => {
    const plugin = await startPlugin({ pluginOptions: { maxDatabaseSize: 1048576 } })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.event('session.idle', {})
    // Five notes just under the 256 kB a note may hold: together past the 1 MiB limit.
    for (let n = 0; n < 5; n++) expect(await plugin.agentTool('ses_1', 'tracker_log_activity', { task: `${String(n)}${'x'.repeat(250_000)}` })).toBe('Logged.')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.event('session.idle', {})
    await plugin.dispose()
    const errors = plugin.notices.filter((notice) => notice.kind === 'log' && notice.level === 'error').map((notice) => notice.message)
    expect(errors).toContainEqual(expect.stringMatching(/^agent-tracker could not write to its database; the facts stay pending: DATABASE_FULL: The agent-tracker database .* (reached its size limit|has no room within its size limit for this batch of about .*): .* used of 1\.0 MiB\. This batch was not written; everything already stored is intact\. Raise the maxDatabaseSize option \(up to 2\.0 GiB\)\.$/))
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
  })

  it('tracks a project whose path is 2,027 characters long (past LMDB key limit), with its full path', async () => {
    const root = tempFolder()
    const project = join(root, `${'d'.repeat(2027 - root.length - 5)}/app`.replace(/d{200}/g, (run) => `${run.slice(0, 199)}/`))
    expect(project).toHaveLength(2027)
    mkdirSync(project, { recursive: true })
    const plugin = await startPlugin({ project })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.tool('ses_1', 'edit', { filePath: 'README.md', oldString: 'a', newString: 'b' })
    await plugin.dispose()
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(2)
    expect(await plugin.read('projects', [project])).toMatchObject({ path: project })
    expect(plugin.notices.filter((notice) => notice.level === 'error')).toEqual([])
  })

  it('upgrades a database of release 0.1.0 on its own thread, saying so, when no worker thread can run', async () => {
    // Run from its sources, the kit finds no built worker module beside them: the fallback.
    const databasePath = join(tempFolder(), 'release-0.1.0.lmdb')
    const earlier = createFactScript({ setup: SETUP, project: '/home/dev/earlier', start: '2026-02-01T09:00:00.000Z', stepMs: 60_000 })
    await writeSchema1Database(databasePath, { facts: [earlier.toolCall('bash'), earlier.commit('e001c0ffee', 'earlier change')] })
    const plugin = await startPlugin({ databasePath })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.dispose()
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(2)
    const logs = plugin.notices.filter((notice) => notice.kind === 'log').map((notice) => notice.message)
    expect(logs).toContainEqual(expect.stringMatching(/^agent-tracker is upgrading its database from release 0\.1\.0 \(\d+ records\) in the background/))
    expect(logs).toContainEqual(expect.stringMatching(/^agent-tracker could not upgrade its database in a worker thread \(.+\); opening it upgrades it on OpenCode's thread\.$/))
    expect(plugin.notices.filter((notice) => notice.level === 'error')).toEqual([])
  })

  it('flushes on dispose alone', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.tool('ses_1', 'edit', { filePath: 'README.md', oldString: 'a', newString: 'b' })
    expect(await plugin.read('setups', [SETUP])).toBeNull()
    await plugin.dispose()
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(2)
  })

  it('flushes by the safety valve alone once facts pile up (flush.maxPending)', async () => {
    const plugin = await startPlugin({ pluginOptions: { flush: { maxPending: 1, maxAgeMs: false } } })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await eventually(async () => (await plugin.read('setups', [SETUP]))?.state.toolCalls === 2, 'the safety valve to flush both tool calls')
  })

  it('keeps facts in memory below the safety valve (the control for the test above)', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await new Promise((done) => setTimeout(done, 300))
    expect(await plugin.read('setups', [SETUP])).toBeNull()
  })
})
