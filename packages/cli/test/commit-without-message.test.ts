import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { factLine, runCli, tempFolder } from './run-cli.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'

describe('a commit recorded without a message', () => {
  it('is named by its hash alone when graded or a bug is filed against it, with no empty parentheses', async () => {
    const root = tempFolder('no-message-')
    const db = join(root, 'tracker.lmdb')
    // Recorded by a host that saw only the hash: no message.
    const commit = factLine({ setup: SETUP, project: join(root, 'shop'), kind: 'commit', hash: 'abcd1234ef', message: '', at: '2026-03-02T11:00:00.000Z' })
    expect((await runCli(['ingest', '--db', db], { input: `${commit}\n` })).code).toBe(0)
    const graded = await runCli(['grade', SETUP, 'abcd1234ef', '--user', 'good', '--trust', '--db', db])
    expect(graded.code, graded.stderr).toBe(0)
    expect(graded.stdout).toMatch(new RegExp(`Graded abcd1234 of ${SETUP.replace(/[.@/]/g, '\\$&')}: user good\\.`))
    const bug = await runCli(['bug', SETUP, '--commit', 'abcd1234ef', '--note', 'broke totals', '--db', db])
    expect(bug.code, bug.stderr).toBe(0)
    expect(bug.stdout).toContain(`${SETUP}'s commit abcd1234`)
    for (const run of [graded, bug]) expect(run.stdout).not.toContain('()')
  })
})
