import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ancestorProcesses, detectAgentSession } from './agent-session.js'

describe('agent session detection', () => {
  it('reads the real process tree: this test runs under node, above it vitest', () => {
    const ancestors = ancestorProcesses()
    expect(ancestors.length).toBeGreaterThan(0)
    expect(ancestors[0]?.pid).toBe(process.ppid)
    expect(ancestors.every((ancestor) => ancestor.pid > 1 && Array.isArray(ancestor.argv))).toBe(true)
  })

  it('sees an agent host among the ancestors of a process whose environment says nothing', async () => {
    // `exec -a opencode` names a shell as the real binary's process is named; under it a
    // shell runs `sleep` with no agent variable in its environment.
    const child = spawn('bash', ['-c', 'exec -a opencode bash -c "sleep 5 & echo \\$!; wait"'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const sleeper = Number(await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => { resolve(chunk.toString('utf8').trim()) })))
      expect(ancestorProcesses(sleeper).slice(0, 1)).toEqual([{ pid: child.pid, argv: ['opencode', '-c', 'sleep 5 & echo $!; wait'] }])
      expect(detectAgentSession({}, sleeper)).toEqual({ host: 'opencode', evidence: `an ancestor process is opencode (pid ${String(child.pid)})` })
    } finally {
      child.kill()
    }
  })

  it('reads /proc stat lines whose command name holds spaces and parentheses', () => {
    const proc: Record<string, string> = {
      '/proc/300/stat': '300 (node) S 200 300 1 0',
      '/proc/200/stat': '200 (my (odd) shell) S 100 1 1 0',
      '/proc/200/cmdline': 'bash\0-c\0x\0',
      '/proc/100/stat': '100 (opencode) S 1 1 1 0',
      '/proc/100/cmdline': '/usr/local/bin/opencode\0run\0',
    }
    const read = (path: string): string => {
      const found = proc[path]
      if (found === undefined) throw new Error(`ENOENT ${path}`)
      return found
    }
    expect(ancestorProcesses(300, read)).toEqual([{ pid: 200, argv: ['bash', '-c', 'x'] }, { pid: 100, argv: ['/usr/local/bin/opencode', 'run'] }])
  })

  it('prefers what the environment says', () => {
    expect(detectAgentSession({ CLAUDECODE: '1' })).toEqual({ host: 'claude-code', evidence: 'CLAUDECODE=1 is set' })
  })
})
