import { describe, expect, it } from 'vitest'
import { SETUP, startPlugin } from '../test/plugin-fixture.js'
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
  it('blocks secret env files named or globbed by any tool, and lets the templates and mere mentions through', async () => {
    const plugin = await startPlugin()
    await expect(before(plugin, 'bash', { command: 'cat .env*' })).rejects.toThrow('agent-tracker blocked this bash call: it touches .env*, a secret env file. Use .env.example for placeholders')
    await expect(before(plugin, 'bash', { command: 'cat .e?v' })).rejects.toThrow('it touches .e?v, a secret env file')
    await expect(before(plugin, 'glob', { pattern: '**/.env*' })).rejects.toThrow('agent-tracker blocked this glob call: it touches **/.env*')
    await expect(before(plugin, 'read', { filePath: `${plugin.project}/.env.template` })).rejects.toThrow('agent-tracker blocked this read call')
    await expect(before(plugin, 'read', { filePath: `${plugin.project}/.env.example` })).resolves.toBeUndefined()
    await expect(before(plugin, 'edit', { filePath: `${plugin.project}/src/config.ts`, oldString: 'x', newString: "dotenv.config({ path: 'config/.env' })" })).resolves.toBeUndefined()
    await expect(before(plugin, 'glob', { pattern: '**/*' })).resolves.toBeUndefined()
  })

  it('lets everything through with envProtection off', async () => {
    const plugin = await startPlugin({ pluginOptions: { envProtection: false } })
    await expect(before(plugin, 'bash', { command: 'cat .env' })).resolves.toBeUndefined()
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
