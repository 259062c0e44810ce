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

describe('a mistyped command with --json', () => {
  it.each([[['staus', '--json'], 'staus', /\(Did you mean status\?\)/], [['foo', '--json'], 'foo', undefined], [['staus', '--json', '--db', '/nowhere/tracker.lmdb'], 'staus', /\(Did you mean status\?\)/]])(
    '%j: the unknown-command usage error, in the envelope and on stderr, exit 2',
    async (args, word, suggestion) => {
      const run = await runCli(args)
      const plain = await runCli(args.filter((arg) => arg !== '--json'))
      expect(run.code).toBe(2)
      expect(plain.code).toBe(2)
      const answer = envelope(run.stdout)
      expect(answer).toMatchObject({ version: 1, command: null, error: { code: 'USAGE' } })
      expect(answer.error?.message).toContain(`unknown command '${word}'`)
      expect(answer.error?.message).not.toContain('--json needs a command')
      if (suggestion !== undefined) expect(answer.error?.message).toMatch(suggestion)
      expect(run.stderr).toContain(`unknown command '${word}'`)
      // The same words as without --json.
      expect(run.stderr).toBe(plain.stderr)
    },
  )
})
