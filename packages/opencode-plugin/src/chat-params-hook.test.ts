import { describe, expect, it } from 'vitest'
import { fakeClient } from '../test/plugin-fixture.js'
import { chatParamsHook } from './chat-params-hook.js'
import { createNotifier } from './notifier.js'
import { SessionSetups } from './session-setups.js'

describe('the chat.params hook', () => {
  it('learns agent and provider/model of a session, and ignores the hidden title agent', async () => {
    const sessions = new SessionSetups('agent+model')
    const hook = chatParamsHook(sessions, createNotifier(fakeClient()))
    await hook({ sessionID: 'ses_1', agent: 'title', model: { id: 'small', providerID: 'fake' } })
    expect(sessions.setupOf('ses_1')).toBeUndefined()
    await hook({ sessionID: 'ses_1', agent: 'build', model: { id: 'm1', providerID: 'fake' }, provider: {}, message: {} })
    expect(sessions.setupOf('ses_1')).toBe('build@fake/m1')
  })

  it('takes what it can from input without a model, and never throws', async () => {
    const sessions = new SessionSetups('agent+model')
    const hook = chatParamsHook(sessions, createNotifier(fakeClient()))
    await hook({ sessionID: 'ses_1', agent: 'plan' })
    expect(sessions.setupOf('ses_1')).toBe('plan')
    for (const input of [undefined, null, 'x', { model: 5 }, { sessionID: 7, agent: [] }]) await expect(hook(input)).resolves.toBeUndefined()
  })
})
