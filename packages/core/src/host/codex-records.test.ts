import { describe, expect, it } from 'vitest'
import { codexCallOutput, codexSetupParts, codexShellCall, codexTokens, tokensSince } from './codex-records.js'

describe("Codex's records", () => {
  it('name the agent codex (or a subagent by its role) on the session’s provider', () => {
    expect(codexSetupParts('gpt-5-codex')).toEqual({ agent: 'codex', provider: 'openai', model: 'gpt-5-codex' })
    expect(codexSetupParts('gpt-5-codex', 'azure', 'explorer')).toEqual({ agent: 'explorer', provider: 'azure', model: 'gpt-5-codex' })
  })

  it('count cached input and reasoning once each', () => {
    const tokens = codexTokens({ input_tokens: 1000, cached_input_tokens: 200, cache_write_input_tokens: 0, output_tokens: 50, reasoning_output_tokens: 7, total_tokens: 1050 })
    expect(tokens).toEqual({ input: 800, output: 43, reasoning: 7, cacheRead: 200, cacheWrite: 0 })
    expect(tokensSince(codexTokens({ input_tokens: 3000, cached_input_tokens: 600, output_tokens: 150, reasoning_output_tokens: 21 }), tokens)).toEqual({ input: 1600, output: 86, reasoning: 14, cacheRead: 400, cacheWrite: 0 })
  })

  it('find the shell command of exec_command, shell and local_shell calls', () => {
    expect(codexShellCall('exec_command', '{"cmd":"git commit -m x","workdir":"sub"}')).toEqual({ command: 'git commit -m x', workdir: 'sub' })
    expect(codexShellCall('shell', { command: ['bash', '-lc', 'git push'] })).toEqual({ command: 'git push' })
    expect(codexShellCall('local_shell', { command: ['ls', '-la'], working_directory: '/p' })).toEqual({ command: 'ls -la', workdir: '/p' })
    expect(codexShellCall('spawn_agent', '{"message":"x"}')).toBeUndefined()
    expect(codexShellCall('exec_command', 'not json')).toBeUndefined()
  })

  it('read the exit code and output of unified exec text and of the older JSON', () => {
    expect(codexCallOutput('Chunk ID: 1\nWall time: 0.0 seconds\nProcess exited with code 2\nOriginal token count: 16\nOutput:\nls: no\n')).toEqual({ exitCode: 2, text: 'ls: no\n' })
    expect(codexCallOutput('{"output":"[main abc1234] x\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}')).toEqual({ exitCode: 0, text: '[main abc1234] x\n' })
    expect(codexCallOutput('{"agent_id":"a"}')).toEqual({ text: '{"agent_id":"a"}' })
  })
})
