import { describe, expect, it } from 'vitest'
import { envelope, runCli } from './run-cli.js'

describe('--json without a command', () => {
  it.each([[['--json']], [['--json', '--db', '/nowhere/tracker.lmdb']]])('%j: a usage error envelope on stdout naming the commands, exit 2', async (args) => {
    const run = await runCli(args)
    expect(run.code).toBe(2)
    const answer = envelope(run.stdout)
    expect(answer).toMatchObject({ version: 1, command: null, error: { code: 'USAGE' } })
    expect(answer.error?.message).toMatch(/^--json needs a command: every command takes it \(agent-tracker <command> --json\)\. The commands are status, agents, report, recommend, .*\.$/)
    expect(answer.error?.message).not.toContain("unknown option '--json'")
    expect(run.stderr).toContain('--json needs a command')
  })

  it('leaves help as text, with --json too, as docs/json-output.md says', async () => {
    for (const args of [['--help', '--json'], ['report', '--help', '--json']]) {
      const run = await runCli(args)
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^Usage: agent-tracker /)
    }
  })
})
