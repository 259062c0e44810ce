import { describe, expect, it } from 'vitest'
import { formatSetupId, parseSetupId } from './setup-id.js'

describe('setup ids', () => {
  it('joins agent, provider and model, or the agent alone for agent identity', () => {
    const parts = { agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5' }
    expect(formatSetupId(parts)).toBe('build@anthropic/claude-sonnet-4-5')
    expect(formatSetupId(parts, 'agent')).toBe('build')
    expect(formatSetupId({ agent: 'review' })).toBe('review')
  })

  it('round-trips models that contain "/" or "@"', () => {
    for (const id of ['build@openrouter/anthropic/claude-3.7', 'plan@vertex/claude-3@20240229', 'docs']) {
      expect(formatSetupId(parseSetupId(id))).toBe(id)
    }
    expect(parseSetupId('plan@vertex/claude-3@20240229')).toEqual({ agent: 'plan', provider: 'vertex', model: 'claude-3@20240229' })
  })

  it.each(['', ' build', '@anthropic/x', 'build@anthropic', 'build@/x', 'build@anthropic/'])('rejects %j naming the accepted shapes', (id) => {
    expect(() => parseSetupId(id)).toThrow(/expected "<agent>@<provider>\/<model>"/)
  })

  it('rejects an agent name with "@"', () => {
    expect(() => formatSetupId({ agent: 'a@b' })).toThrow('Invalid agent name "a@b": a non-empty name without "@" is required.')
  })
})
