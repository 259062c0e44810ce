import { describe, expect, it } from 'vitest'
import { agentSessionOf, cliGradeChannel } from './agent-session.js'

describe('agentSessionOf', () => {
  it.each([
    [{ OPENCODE: '1', OPENCODE_PID: '42', AGENT: '1' }, 'opencode', 'OPENCODE=1 is set'],
    [{ OPENCODE_PID: '42' }, 'opencode', 'OPENCODE_PID=42 is set'],
    [{ CLAUDECODE: '1' }, 'claude-code', 'CLAUDECODE=1 is set'],
    [{ CODEX_SANDBOX_NETWORK_DISABLED: '1' }, 'codex', 'CODEX_SANDBOX_NETWORK_DISABLED=1 is set'],
    [{ AGENT: 'amp' }, 'agent', 'AGENT=amp is set'],
  ])('finds %j', (env, host, evidence) => {
    expect(agentSessionOf(env)).toEqual({ host, evidence })
  })

  it('ignores empty and 0 values and other variables', () => {
    expect(agentSessionOf({ OPENCODE: '', CLAUDECODE: '0', HOME: '/home/me', OPENCODE_CONFIG: '/x' })).toBeUndefined()
  })

  it('finds an agent host among ancestor processes, by executable or Node script', () => {
    const shell = { pid: 90, argv: ['/bin/bash', '-c', 'agent-tracker grade x'] }
    expect(agentSessionOf({}, [shell, { pid: 80, argv: ['/home/me/.opencode/bin/opencode'] }])).toEqual({ host: 'opencode', evidence: 'an ancestor process is opencode (pid 80)' })
    expect(agentSessionOf({}, [shell, { pid: 70, argv: ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', '-p', 'hi'] }])).toEqual({ host: 'claude-code', evidence: 'an ancestor process is cli.js (pid 70)' })
    expect(agentSessionOf({}, [{ pid: 60, argv: ['/opt/codex/codex-x86_64-unknown-linux-musl', 'exec'] }])?.host).toBe('codex')
    expect(agentSessionOf({}, [shell, { pid: 50, argv: ['sshd: me@pts/0'] }, { pid: 40, argv: ['tmux'] }])).toBeUndefined()
    // A word in a later argument is no executable.
    expect(agentSessionOf({}, [{ pid: 30, argv: ['vim', 'notes', 'opencode'] }])).toBeUndefined()
  })
})

describe('cliGradeChannel', () => {
  it('is cli-terminal only for an interactive terminal no agent session runs', () => {
    const agentSession = { host: 'opencode', evidence: 'OPENCODE=1 is set' }
    expect(cliGradeChannel({ stdinIsTerminal: true, stdoutIsTerminal: true, agentSession: undefined })).toBe('cli-terminal')
    expect(cliGradeChannel({ stdinIsTerminal: true, stdoutIsTerminal: true, agentSession })).toBe('cli-script')
    expect(cliGradeChannel({ stdinIsTerminal: false, stdoutIsTerminal: true, agentSession: undefined })).toBe('cli-script')
    expect(cliGradeChannel({ stdinIsTerminal: true, stdoutIsTerminal: false, agentSession: undefined })).toBe('cli-script')
  })
})
