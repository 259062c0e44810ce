import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPluginOptions } from '@agent-tracker/node-host/opencode-options'
import { SETUP, fakeClient, gitRepository, startPlugin, tempFolder } from '../test/plugin-fixture.js'
import { chatParamsHook } from './chat-params-hook.js'
import { createNotifier } from './notifier.js'
import { toolGuardHook } from './tool-guard-hook.js'
import { createTrackerContext } from './tracker-context.js'
import type { PluginUnderTest } from '../test/plugin-fixture.js'

const before = (plugin: PluginUnderTest, tool: string, args: Record<string, unknown>, sessionID = 'ses_1') => plugin.hooks['tool.execute.before']?.({ tool, sessionID, callID: 'call_x' }, { args })

async function halted(pluginOptions: Record<string, unknown> = {}): Promise<PluginUnderTest> {
  const plugin = await startPlugin({ pluginOptions })
  await plugin.chat('ses_1')
  await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: x'")
  await plugin.command('ses_1', 'bug', '"broke it"')
  return plugin
}

describe('the tool.execute.before hook', () => {
  it('blocks protected files named, globbed or searched by any tool, and lets the templates and mere mentions through', async () => {
    const project = gitRepository(join(tempFolder(), 'project'))
    writeFileSync(join(project, '.env'), 'SECRET=1\n')
    writeFileSync(join(project, 'server.pem'), 'KEY\n')
    const plugin = await startPlugin({ project, pluginOptions: { protectedFiles: ['*.pem'] } })
    await expect(before(plugin, 'bash', { command: 'cat .env*' })).rejects.toThrow("agent-tracker blocked this bash call: it touches .env, a protected file. Protected files hold the user's secrets: use .env.example for placeholders")
    await expect(before(plugin, 'bash', { command: 'cat .e?v' })).rejects.toThrow('it touches .env, a protected file')
    await expect(before(plugin, 'bash', { command: 'grep -r SECRET .' })).rejects.toThrow('it reads every file under ., which holds the protected file ')
    await expect(before(plugin, 'bash', { command: "grep -r --exclude='.env' --exclude='*.pem' SECRET ." })).resolves.toBeUndefined()
    await expect(before(plugin, 'grep', { pattern: 'SECRET', include: '*' })).rejects.toThrow('agent-tracker blocked this grep call: it searches files matching "*" under ., which holds the protected file ')
    await expect(before(plugin, 'bash', { command: 'cat server.pem' })).rejects.toThrow('it touches server.pem, a protected file')
    await expect(before(plugin, 'glob', { pattern: '**/.env*' })).rejects.toThrow('agent-tracker blocked this glob call: it touches **/.env*')
    await expect(before(plugin, 'read', { filePath: `${plugin.project}/.env.local` })).rejects.toThrow('agent-tracker blocked this read call')
    await expect(before(plugin, 'read', { filePath: `${plugin.project}/.env.template` })).resolves.toBeUndefined()
    await expect(before(plugin, 'read', { filePath: `${plugin.project}/.env.example` })).resolves.toBeUndefined()
    await expect(before(plugin, 'bash', { command: 'echo .env >> .gitignore' })).resolves.toBeUndefined()
    await expect(before(plugin, 'edit', { filePath: `${plugin.project}/src/config.ts`, oldString: 'x', newString: "dotenv.config({ path: 'config/.env' })" })).resolves.toBeUndefined()
    await expect(before(plugin, 'glob', { pattern: '**/*' })).resolves.toBeUndefined()
  })

  it('lets protected files through with envProtection off, but never the user\'s channels', async () => {
    const plugin = await startPlugin({ pluginOptions: { envProtection: false } })
    await expect(before(plugin, 'bash', { command: 'cat .env' })).resolves.toBeUndefined()
    await expect(before(plugin, 'bash', { command: `npx agent-tracker grade ${SETUP} HEAD --user excellence` })).rejects.toThrow('agent-tracker blocked this bash call: it runs agent-tracker grade, which only the user may use')
    await expect(before(plugin, 'bash', { command: 'opencode run --command grade excellence' })).rejects.toThrow('it runs opencode --command grade')
  })

  it('still blocks a halted setup while tracking is paused, reading its status from the database without opening it', async () => {
    const plugin = await halted()
    await plugin.dispose()
    // Another start on the same database, whose tracking is paused (say its folder takes no writes).
    const notifier = createNotifier(fakeClient())
    const context = createTrackerContext(readPluginOptions({ databasePath: plugin.databasePath }), plugin.project, Promise.resolve(undefined), notifier)
    await chatParamsHook(context.sessions, context.commandTurns, notifier)({ sessionID: 'ses_2', agent: 'build', model: { providerID: 'fake', id: 'm1' } })
    const guard = toolGuardHook(context)
    await expect(guard({ tool: 'bash', sessionID: 'ses_2', callID: 'c1' }, { args: { command: 'echo still working' } })).rejects.toThrow(`agent-tracker blocked this bash call. ${SETUP} is halted`)
    // A session of another setup, and a database that is not there, pass.
    await chatParamsHook(context.sessions, context.commandTurns, notifier)({ sessionID: 'ses_3', agent: 'plan', model: { providerID: 'fake', id: 'm1' } })
    await expect(guard({ tool: 'bash', sessionID: 'ses_3', callID: 'c2' }, { args: { command: 'echo fine' } })).resolves.toBeUndefined()
    const elsewhere = createTrackerContext(readPluginOptions({ databasePath: join(tempFolder(), 'none.lmdb') }), plugin.project, Promise.resolve(undefined), notifier)
    await chatParamsHook(elsewhere.sessions, elsewhere.commandTurns, notifier)({ sessionID: 'ses_2', agent: 'build', model: { providerID: 'fake', id: 'm1' } })
    await expect(toolGuardHook(elsewhere)({ tool: 'bash', sessionID: 'ses_2', callID: 'c3' }, { args: { command: 'echo fine' } })).resolves.toBeUndefined()
  })

  it('blocks a halted setup with why and how to reinstate, except read-only tracker tools, until /reinstate', async () => {
    const plugin = await halted()
    await expect(before(plugin, 'bash', { command: 'echo still working' })).rejects.toThrow(`agent-tracker blocked this bash call. ${SETUP} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${SETUP}). Stop working and tell the user.`)
    await expect(before(plugin, 'tracker_status', {})).resolves.toBeUndefined()
    await expect(before(plugin, 'read', { filePath: 'README.md' }, 'ses_other')).resolves.toBeUndefined()
    expect(await plugin.command('ses_1', 'reinstate')).toContain(`${SETUP} is reinstated and may work again.`)
    await expect(before(plugin, 'bash', { command: 'echo back' })).resolves.toBeUndefined()
  })

  it('only warns, once per session, with enforceHalt "warn"; does nothing with enforceHalt off', async () => {
    const warn = await halted({ enforceHalt: 'warn' })
    await expect(before(warn, 'bash', { command: 'echo a' })).resolves.toBeUndefined()
    await expect(before(warn, 'bash', { command: 'echo b' })).resolves.toBeUndefined()
    expect(warn.notices.filter((notice) => notice.kind === 'toast' && notice.message.startsWith(`${SETUP} is halted`))).toHaveLength(1)
    const off = await halted({ enforceHalt: false })
    await expect(before(off, 'bash', { command: 'echo a' })).resolves.toBeUndefined()
    expect(off.notices.filter((notice) => notice.message.startsWith(`${SETUP} is halted`))).toEqual([])
  })
})
