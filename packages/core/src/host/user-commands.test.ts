import { describe, expect, it } from 'vitest'
import { USER_COMMANDS, isUserCommand } from './user-commands.js'

describe('user commands', () => {
  it('knows the four commands only the user gives, and nothing inherited', () => {
    expect(Object.keys(USER_COMMANDS)).toEqual(['grade', 'bug', 'reinstate', 'tracker'])
    expect(['grade', 'bug', 'reinstate', 'tracker'].every(isUserCommand)).toBe(true)
    expect(isUserCommand('toString')).toBe(false)
    expect(isUserCommand('init')).toBe(false)
  })
})
