import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

const URL = 'postgres://me:secret@db.example/tracker'

describe('a team database named with --db to a command that works on this machine\'s', () => {
  it('upgrade refuses it as a usage error, the password hidden', async () => {
    const run = await runCli(['upgrade', '--dry-run', '--db', URL])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--db postgres://me:***@db.example/tracker names a team database')
    expect(run.stdout + run.stderr).not.toContain('secret')
  })
})
