import { describe, expect, it } from 'vitest'
import { claudeCodeFailure, claudeCodeResultOutcome, claudeCodeSetupParts, claudeCodeShellResult, claudeCodeTokens } from './claude-code-records.js'

describe("Claude Code's records", () => {
  it('name the main agent claude-code and a subagent by its type', () => {
    expect(claudeCodeSetupParts('claude-opus-4-8')).toEqual({ agent: 'claude-code', provider: 'anthropic', model: 'claude-opus-4-8' })
    expect(claudeCodeSetupParts('claude-opus-4-8', 'general-purpose')).toEqual({ agent: 'general-purpose', provider: 'anthropic', model: 'claude-opus-4-8' })
  })

  it('count input without the cache, as Anthropic reports it', () => {
    expect(claudeCodeTokens({ input_tokens: 100, cache_creation_input_tokens: 50, cache_read_input_tokens: 30, output_tokens: 20, service_tier: 'standard' })).toEqual({ input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 })
  })

  it.each([
    [false, 'README.md', { ran: true, ok: true }],
    [true, 'Exit code 2\nls: cannot access', { ran: true, ok: false, exitCode: 2 }],
    [true, [{ type: 'text', text: 'Error: request failed' }], { ran: true, ok: false }],
    [true, '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>', { ran: false }],
    [true, 'PreToolUse:Bash hook error: [agent-tracker hook claude-code]: blocked', { ran: false }],
    [true, 'agent-tracker blocked this Read call: it reads .env', { ran: false }],
    [true, "This Bash command contains multiple operations. The following parts require approval: echo hi, git add a.txt", { ran: false }],
    [true, "Claude requested permissions to use Bash, but you haven't granted it yet.", { ran: false }],
    [true, "ls in '/nonexistent-dir' was blocked. For security, Claude Code may only list files in the allowed working directories for this session: '/p'.", { ran: false }],
  ])('reads a tool result (error %s, %j) as the hooks would have seen the call', (isError, content, outcome) => {
    expect(claudeCodeResultOutcome(isError, content)).toEqual(outcome)
  })

  it("reads a PostToolUseFailure's error", () => {
    expect(claudeCodeFailure('Exit code 1\nnothing to commit')).toEqual({ ran: true, ok: false, exitCode: 1 })
    expect(claudeCodeFailure(undefined)).toEqual({ ran: true, ok: false })
  })

  it('takes Bash output and the commit Claude Code saw from the tool response, else the result text', () => {
    expect(claudeCodeShellResult({ stdout: '[master bb48aff] add a', stderr: '', gitOperation: { commit: { sha: 'bb48aff', kind: 'committed' }, push: { branch: 'master' } } })).toEqual({ output: '[master bb48aff] add a', reportedHashes: ['bb48aff'] })
    expect(claudeCodeShellResult('Error: Exit code 1', 'Exit code 1')).toEqual({ output: 'Exit code 1', reportedHashes: [] })
  })
})
