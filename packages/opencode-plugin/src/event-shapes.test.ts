import { describe, expect, it } from 'vitest'
import { eventOf, failedToolPart, finishedUsage, messageSetup } from './event-shapes.js'

describe('event shapes', () => {
  it('reads an event, or nothing from what is not one', () => {
    expect(eventOf({ type: 'session.idle', properties: { sessionID: 's' } })).toEqual({ type: 'session.idle', properties: { sessionID: 's' } })
    expect(eventOf({ type: 'x' })).toEqual({ type: 'x', properties: {} })
    for (const bad of [undefined, null, 'session.idle', { type: 5 }, { type: '' }]) expect(eventOf(bad)).toBeUndefined()
  })

  it('reads agent and model of assistant and user messages', () => {
    expect(messageSetup({ sessionID: 's', role: 'assistant', agent: 'build', providerID: 'p', modelID: 'm' })).toEqual({ sessionID: 's', agent: 'build', providerID: 'p', modelID: 'm' })
    expect(messageSetup({ sessionID: 's', role: 'user', mode: 'plan', model: { providerID: 'p', modelID: 'm' } })).toEqual({ sessionID: 's', agent: 'plan', providerID: 'p', modelID: 'm' })
    expect(messageSetup({ role: 'user' })).toBeUndefined()
  })

  it('reads usage only of a finished assistant message, with missing counts as zero', () => {
    expect(finishedUsage({ id: 'm1', role: 'assistant', time: { created: 1 } })).toBeUndefined()
    expect(finishedUsage({ id: 'm1', role: 'user', time: { completed: 2 } })).toBeUndefined()
    expect(finishedUsage({ id: 'm1', role: 'assistant', time: { completed: 2 }, tokens: { input: 10, output: -1, cache: { read: 3 } }, cost: 'x' })).toEqual({
      id: 'm1', tokens: { input: 10, output: 0, reasoning: 0, cacheRead: 3, cacheWrite: 0 }, cost: 0,
    })
  })

  it('reads a failed tool part, and nothing else', () => {
    const part = { id: 'p1', sessionID: 's', type: 'tool', tool: 'read', state: { status: 'error' } }
    expect(failedToolPart(part)).toEqual({ id: 'p1', sessionID: 's', tool: 'read' })
    expect(failedToolPart({ ...part, state: { status: 'completed' } })).toBeUndefined()
    expect(failedToolPart({ ...part, type: 'text' })).toBeUndefined()
  })
})
