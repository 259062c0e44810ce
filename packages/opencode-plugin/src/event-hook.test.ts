import { describe, expect, it } from 'vitest'
import { SETUP, startPlugin } from '../test/plugin-fixture.js'

const assistant = (sessionID: string, id: string, agent = 'build') => ({
  info: { id, sessionID, role: 'assistant', agent, providerID: 'fake', modelID: 'm1', time: { created: 1, completed: 2 }, tokens: { input: 100, output: 20, reasoning: 5, cache: { read: 7, write: 0 } }, cost: 0.25 },
})

describe('the event hook', () => {
  it('flushes on session.idle alone', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    expect(await plugin.read('setups', [SETUP])).toBeNull()
    await plugin.event('session.idle', { sessionID: 'ses_1' })
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
  })

  it('flushes on session.deleted alone, and forgets the session', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    expect(await plugin.read('setups', [SETUP])).toBeNull()
    await plugin.event('session.deleted', { info: { id: 'ses_1' } })
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
  })

  it('records token usage of each finished assistant message once', async () => {
    const plugin = await startPlugin()
    await plugin.event('message.updated', { info: { id: 'msg_1', sessionID: 'ses_1', role: 'assistant', agent: 'build', providerID: 'fake', modelID: 'm1', time: { created: 1 } } })
    await plugin.event('message.updated', assistant('ses_1', 'msg_1'))
    await plugin.event('message.updated', assistant('ses_1', 'msg_1'))
    await plugin.event('session.idle', {})
    const state = (await plugin.read('setups', [SETUP]))?.state
    expect(state).toMatchObject({ messages: 1, cost: 0.25, tokens: { input: 100, output: 20, reasoning: 5, cacheRead: 7 } })
  })

  it('attributes a subagent child session to its own agent', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_parent')
    await plugin.event('session.created', { info: { id: 'ses_child', parentID: 'ses_parent' } })
    await plugin.event('message.updated', assistant('ses_child', 'msg_c1', 'general'))
    await plugin.tool('ses_child', 'grep', { pattern: 'x', path: '.' })
    await plugin.tool('ses_parent', 'read', { filePath: 'README.md' })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', ['general@fake/m1']))?.state).toMatchObject({ toolCalls: 1, messages: 1 })
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 1, messages: 0 })
  })

  it('records a slash command from command.executed', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.event('command.executed', { name: 'review', sessionID: 'ses_1', arguments: '' })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', [SETUP]))?.state.commands).toBe(1)
  })

  it('records nothing of the turn that answers the user\'s slash command: no command, message or cost, and no setup', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: x'")
    expect(await plugin.command('ses_1', 'grade', 'good')).toContain('Graded')
    const reviewer = { sessionID: 'ses_1', role: 'user', agent: 'reviewer', model: { providerID: 'acme', modelID: 'coder-mini' } }
    await plugin.event('message.updated', { info: { ...reviewer, id: 'msg_cmd' } })
    await plugin.event('message.updated', { info: { ...assistant('ses_1', 'msg_reply', 'reviewer').info, providerID: 'acme', modelID: 'coder-mini', parentID: 'msg_cmd' } })
    await plugin.event('command.executed', { name: 'grade', sessionID: 'ses_1', arguments: 'good' })
    await plugin.event('session.idle', { sessionID: 'ses_1' })
    expect(await plugin.read('setups', ['reviewer@acme/coder-mini'])).toBeNull()
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ commands: 0, messages: 0, cost: 0 })
    // The next turn is the agent's work again.
    await plugin.event('message.updated', { info: { ...reviewer, id: 'msg_next' } })
    await plugin.event('message.updated', { info: { ...assistant('ses_1', 'msg_work').info, parentID: 'msg_next' } })
    await plugin.event('session.idle', { sessionID: 'ses_1' })
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ messages: 1, cost: 0.25 })
  })

  it('records a tool that threw (seen only as a failed tool part) once, and never its own tools', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    const part = { id: 'prt_1', sessionID: 'ses_1', type: 'tool', tool: 'read', state: { status: 'error' } }
    await plugin.event('message.part.updated', { part })
    await plugin.event('message.part.updated', { part })
    await plugin.event('message.part.updated', { part: { ...part, id: 'prt_2', tool: 'tracker_status' } })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 1, toolFailures: 1 })
  })

  it('toasts the status card of the latest setup when a top-level session starts, not a child', async () => {
    const plugin = await startPlugin()
    await plugin.event('message.updated', assistant('ses_1', 'msg_1'))
    await plugin.event('session.created', { info: { id: 'ses_child', parentID: 'ses_1' } })
    expect(plugin.notices.filter((notice) => notice.kind === 'toast')).toEqual([])
    await plugin.event('session.created', { info: { id: 'ses_2' } })
    expect(plugin.notices.filter((notice) => notice.kind === 'toast')).toEqual([{ kind: 'toast', level: 'info', message: expect.stringContaining(SETUP) as string }])
  })
})
