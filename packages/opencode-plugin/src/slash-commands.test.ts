import { describe, expect, it } from 'vitest'
import { SLASH_COMMANDS } from './slash-commands.js'

describe('the slash commands', () => {
  it('describe each user command with its usage, and pass the arguments to the prompt', () => {
    expect(SLASH_COMMANDS).toEqual({
      grade: { description: 'agent-tracker: grade the latest commit — /grade [agent-grade] <your-grade> [note]', template: 'The user graded the latest commit: $ARGUMENTS' },
      bug: { description: 'agent-tracker: report a bug in the agent’s work — /bug [note | confirm <handle> | dismiss <handle>]', template: 'The user reported a bug: $ARGUMENTS' },
      reinstate: { description: 'agent-tracker: let a halted agent work again', template: 'The user reinstated the agent.' },
      tracker: { description: 'agent-tracker: show the agent’s status card', template: 'Show the agent-tracker status.' },
    })
  })
})
