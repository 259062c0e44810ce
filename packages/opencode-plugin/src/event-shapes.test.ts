import { describe, expect, it } from 'vitest'
import { eventOf } from './event-shapes.js'

describe('event shapes', () => {
  it('reads an event, or nothing from what is not one', () => {
    expect(eventOf({ type: 'session.idle', properties: { sessionID: 's' } })).toEqual({ type: 'session.idle', properties: { sessionID: 's' } })
    expect(eventOf({ type: 'x' })).toEqual({ type: 'x', properties: {} })
    for (const bad of [undefined, null, 'session.idle', { type: 5 }, { type: '' }]) expect(eventOf(bad)).toBeUndefined()
  })
})
