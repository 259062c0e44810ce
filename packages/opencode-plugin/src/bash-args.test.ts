import { describe, expect, it } from 'vitest'
import { bashCommand, bashWorkdir } from './bash-args.js'

describe('OpenCode bash arguments', () => {
  it('reads the bash workdir relative to the project', () => {
    expect(bashWorkdir({ command: 'x', workdir: 'sub' }, '/p')).toBe('/p/sub')
    expect(bashWorkdir({ command: 'x', workdir: '/abs' }, '/p')).toBe('/abs')
    expect(bashWorkdir({ command: 'x' }, '/p')).toBe('/p')
    expect(bashWorkdir(null, '/p')).toBe('/p')
  })

  it('reads the command line, and nothing from arguments without one', () => {
    expect(bashCommand({ command: 'git status', description: 'x' })).toBe('git status')
    expect(bashCommand({ command: 3 })).toBeUndefined()
    expect(bashCommand(undefined)).toBeUndefined()
  })
})
