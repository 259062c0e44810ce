import { describe, expect, it } from 'vitest'
import { SessionSetups } from './session-setups.js'

describe('SessionSetups', () => {
  it('learns agent and model per session from chat.params and messages, ignoring the title agent', () => {
    const sessions = new SessionSetups('agent+model')
    sessions.observe('ses_1', { agent: 'title', providerID: 'fake', modelID: 'small' })
    expect(sessions.setupOf('ses_1')).toBeUndefined()
    sessions.observe('ses_1', { agent: 'build' })
    expect(sessions.setupOf('ses_1')).toBe('build')
    sessions.observe('ses_1', { agent: 'build', providerID: 'anthropic', modelID: 'claude-sonnet-4-5' })
    sessions.observe('ses_1', { agent: 'title', providerID: 'fake', modelID: 'small' })
    expect(sessions.setupOf('ses_1')).toBe('build@anthropic/claude-sonnet-4-5')
  })

  it('gives a subagent child session its own setup', () => {
    const sessions = new SessionSetups('agent+model')
    sessions.observe('ses_parent', { agent: 'build', providerID: 'openai', modelID: 'gpt-5' })
    sessions.observe('ses_child', { agent: 'general', providerID: 'openai', modelID: 'gpt-5-mini' })
    expect(sessions.setupOf('ses_parent')).toBe('build@openai/gpt-5')
    expect(sessions.setupOf('ses_child')).toBe('general@openai/gpt-5-mini')
    expect(sessions.setupOf('ses_parent', 'plan')).toBe('plan@openai/gpt-5')
  })

  it('uses the agent name alone with agent identity, and forgets deleted sessions', () => {
    const sessions = new SessionSetups('agent')
    sessions.observe('ses_1', { agent: 'review', providerID: 'x', modelID: 'y' })
    expect(sessions.setupOf('ses_1')).toBe('review')
    sessions.forget('ses_1')
    expect(sessions.setupOf('ses_1')).toBeUndefined()
  })
})
