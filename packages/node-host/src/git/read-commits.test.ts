import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import type { ReflogEntry } from './read-commits.js'
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

  it('leaves out the commits a pull brought in while the reflog reaches back to the window, and reads HEAD\'s history where it does not', async () => {
    const repo = gitRepository(tempFolder())
    const clone = tempFolder()
    execFileSync('git', ['clone', '-q', repo, clone])
    const at = new Date(Date.now() + 86_400_000)
    const env = { ...process.env, GIT_COMMITTER_DATE: `@${String(Math.floor(at.getTime() / 1000))}`, GIT_AUTHOR_DATE: `@${String(Math.floor(at.getTime() / 1000))}` }
    execFileSync('sh', ['-c', "git -c user.email=o@x -c user.name=O commit -q --allow-empty -m 'theirs'"], { cwd: clone, env })
    execFileSync('sh', ['-c', `git pull -q --ff-only ${clone} main && git commit -q --allow-empty -m 'mine'`], { cwd: repo, env })
    expect((await commitsBetween(repo, at, at)).map((commit) => commit.subject)).toEqual(['mine'])
    // No reflog that reaches back (an expired one): HEAD's history is all there is to read.
    const expired = (): Promise<ReflogEntry[]> => Promise.resolve([])
    expect((await commitsBetween(repo, at, at, undefined, expired)).map((commit) => commit.subject)).toEqual(['theirs', 'mine'])
  })
})
