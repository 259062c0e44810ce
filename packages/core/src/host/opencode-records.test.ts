import { describe, expect, it } from 'vitest'
import { isTrackerTool, opencodeMessageSetup, opencodeMessageUsage, opencodeToolOutcome } from './opencode-records.js'

describe("OpenCode's records", () => {
  it('read agent and model from an assistant message, and from a user message’s model', () => {
    expect(opencodeMessageSetup({ sessionID: 's', role: 'assistant', agent: 'build', providerID: 'fake', modelID: 'm1' })).toEqual({ sessionID: 's', agent: 'build', providerID: 'fake', modelID: 'm1' })
    expect(opencodeMessageSetup({ sessionID: 's', role: 'user', mode: 'plan', model: { providerID: 'anthropic', modelID: 'claude' } })).toEqual({ sessionID: 's', agent: 'plan', providerID: 'anthropic', modelID: 'claude' })
    expect(opencodeMessageSetup({ role: 'user' })).toBeUndefined()
  })

  it('take usage only from finished assistant messages, as OpenCode counted it', () => {
    const message = { id: 'msg_1', role: 'assistant', cost: 0.00321, tokens: { input: 800, output: 43, reasoning: 7, cache: { read: 200, write: 0 } }, time: { created: 1, completed: 2 } }
    expect(opencodeMessageUsage(message)).toEqual({ id: 'msg_1', tokens: { input: 800, output: 43, reasoning: 7, cacheRead: 200, cacheWrite: 0 }, cost: 0.00321 })
    expect(opencodeMessageUsage({ ...message, time: { created: 1 } })).toBeUndefined()
    expect(opencodeMessageUsage({ ...message, role: 'user' })).toBeUndefined()
    expect(opencodeMessageUsage({ id: 'm1', role: 'assistant', time: { completed: 2 }, tokens: { input: 10, output: -1, cache: { read: 3 } }, cost: 'x' })).toEqual({
      id: 'm1', tokens: { input: 10, output: 0, reasoning: 0, cacheRead: 3, cacheWrite: 0 }, cost: 0,
    })
  })

  it('tell how a tool part ended: bash by its exit code, a thrown or blocked tool as a failure, a running one not yet', () => {
    const part = { id: 'prt_1', sessionID: 's', type: 'tool', tool: 'bash', callID: 'call_1' }
    const done = { ...part, state: { status: 'completed', input: { command: 'ls x' }, output: 'no x', metadata: { exit: 2 }, time: { start: 1, end: 5 } } }
    expect(opencodeToolOutcome(done)).toEqual({ id: 'prt_1', sessionID: 's', callID: 'call_1', tool: 'bash', status: 'completed', ok: false, exitCode: 2, args: { command: 'ls x' }, output: 'no x', endedAt: 5 })
    expect(opencodeToolOutcome({ ...part, tool: 'read', state: { status: 'error', input: { filePath: '/x' }, error: 'File not found' } })).toMatchObject({ tool: 'read', status: 'error', ok: false, output: '' })
    // A call agent-tracker's own guard blocked never ran: no call, as in Claude Code. Another plugin's block is a failure.
    expect(opencodeToolOutcome({ ...part, tool: 'read', state: { status: 'error', input: { filePath: '/w/.env' }, error: "agent-tracker blocked this read call: it touches /w/.env, a protected file. Protected files hold the user's secrets." } })).toBeUndefined()
    expect(opencodeToolOutcome({ ...part, tool: 'read', state: { status: 'error', input: { filePath: '/w/.env' }, error: 'other-plugin blocked this read call' } })).toMatchObject({ status: 'error', ok: false })
    expect(opencodeToolOutcome({ ...part, state: { status: 'running', input: {} } })).toBeUndefined()
    expect(opencodeToolOutcome({ ...part, type: 'text' })).toBeUndefined()
  })

  it("knows agent-tracker's own tools", () => {
    expect(isTrackerTool('tracker_self_grade')).toBe(true)
    expect(isTrackerTool('bash')).toBe(false)
  })
})
