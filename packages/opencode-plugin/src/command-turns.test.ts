import { describe, expect, it } from 'vitest'
import { CommandTurns } from './command-turns.js'

describe('CommandTurns', () => {
  it('knows the turn after a slash command by its user message, and the replies by their parent', () => {
    const turns = new CommandTurns()
    expect(turns.claim('s1', 'msg_0')).toBe(false)
    turns.expect('s1')
    expect(turns.claim('s2', 'msg_x')).toBe(false)
    expect(turns.claim('s1', 'msg_1')).toBe(true)
    expect(turns.claim('s1', 'msg_1')).toBe(true)
    expect(turns.claim('s1', 'msg_2')).toBe(false)
    expect(turns.answers('msg_1')).toBe(true)
    expect(turns.answers('msg_2')).toBe(false)
    expect(turns.answers(undefined)).toBe(false)
    turns.expect('s1')
    turns.settle('s1')
    expect(turns.claim('s1', 'msg_3')).toBe(false)
  })
})
