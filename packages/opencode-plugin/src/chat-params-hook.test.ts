import { describe, expect, it } from 'vitest'
import { fakeClient } from '../test/plugin-fixture.js'
import { chatParamsHook } from './chat-params-hook.js'
import { CommandTurns } from './command-turns.js'
import { createNotifier } from './notifier.js'
import { SessionSetups } from './session-setups.js'

describe('the chat.params hook', () => {
  it('learns agent and provider/model of a session, and ignores the hidden title agent', async () => {
    const sessions = new SessionSetups('agent+model')
    const hook = chatParamsHook(sessions, new CommandTurns(), createNotifier(fakeClient()))
    await hook({ sessionID: 'ses_1', agent: 'title', model: { id: 'small', providerID: 'fake' } })
    expect(sessions.setupOf('ses_1')).toBeUndefined()
    await hook({ sessionID: 'ses_1', agent: 'build', model: { id: 'm1', providerID: 'fake' }, provider: {}, message: {} })
    expect(sessions.setupOf('ses_1')).toBe('build@fake/m1')
  })

  it('learns nothing from the turn that answers the user\'s slash command', async () => {
    const sessions = new SessionSetups('agent+model')
    const turns = new CommandTurns()
    const hook = chatParamsHook(sessions, turns, createNotifier(fakeClient()))
    turns.expect('ses_1')
    await hook({ sessionID: 'ses_1', agent: 'title', model: { id: 'small', providerID: 'fake' }, message: { id: 'msg_1' } })
    await hook({ sessionID: 'ses_1', agent: 'reviewer', model: { id: 'coder-mini', providerID: 'acme' }, message: { id: 'msg_1' } })
    expect(sessions.setupOf('ses_1')).toBeUndefined()
    expect(turns.answers('msg_1')).toBe(true)
    await hook({ sessionID: 'ses_1', agent: 'build', model: { id: 'm1', providerID: 'fake' }, message: { id: 'msg_2' } })
    expect(sessions.setupOf('ses_1')).toBe('build@fake/m1')
  })

  it('takes what it can from input without a model, and never throws', async () => {
    const sessions = new SessionSetups('agent+model')
    const hook = chatParamsHook(sessions, new CommandTurns(), createNotifier(fakeClient()))
    await hook({ sessionID: 'ses_1', agent: 'plan' })
    expect(sessions.setupOf('ses_1')).toBe('plan')
    for (const input of [undefined, null, 'x', { model: 5 }, { sessionID: 7, agent: [] }]) await expect(hook(input)).resolves.toBeUndefined()
  })
})
