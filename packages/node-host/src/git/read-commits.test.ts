import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { commitsBetween } from './read-commits.js'

describe('commitsBetween', () => {
  it('gives commits of the same second in the order they were made: a commit before its amend, which HEAD\'s history holds alone', async () => {
    const repo = gitRepository(tempFolder())
    const at = new Date(Date.UTC(2026, 10, 28, 12, 0))
    const command = "echo q > q.txt && git add q.txt && git commit -q -m 'feat: q' && echo q2 >> q.txt && git commit -q -a --amend -m 'feat: q, final'"
    execFileSync('sh', ['-c', command], { cwd: repo, env: { ...process.env, GIT_COMMITTER_DATE: `@${String(at.getTime() / 1000)}` } })
    const first = execFileSync('git', ['rev-parse', 'HEAD@{1}'], { cwd: repo, encoding: 'utf8' }).trim()
    expect(await commitsBetween(repo, at, at)).toEqual([{ hash: first, subject: 'feat: q' }, { hash: headOf(repo), subject: 'feat: q, final' }])
  })
})
