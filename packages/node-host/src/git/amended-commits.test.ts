import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { amendedCommits } from './amended-commits.js'

const sh = (cwd: string, command: string): void => {
  execFileSync('sh', ['-c', command], { cwd, stdio: 'ignore' })
}

describe('amendedCommits (real git)', () => {
  it('names the commit an amend replaced, and nothing for a plain commit', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "echo a > a.txt && git add a.txt && git commit -q -m 'feat: a'")
    const first = headOf(repo)
    sh(repo, "echo b >> a.txt && git commit -q -a --amend -m 'feat: a, linted'")
    const amended = headOf(repo)
    expect(amended).not.toBe(first)
    expect(await amendedCommits(repo, [first, amended])).toEqual(new Map([[amended, first]]))
  })

  it('follows amends of amends, each to the one before, also after HEAD moved away and back', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "git commit -q --allow-empty -m 'one'")
    const one = headOf(repo)
    sh(repo, "git commit -q --allow-empty --amend -m 'two' && git commit -q --allow-empty --amend -m 'three'")
    const three = headOf(repo)
    const two = execFileSync('git', ['rev-parse', 'HEAD@{1}'], { cwd: repo, encoding: 'utf8' }).trim()
    sh(repo, 'git checkout -q --detach HEAD~1 && git checkout -q main')
    expect(await amendedCommits(repo, [two, three])).toEqual(new Map([[two, one], [three, two]]))
  })

  it('takes no commit for the replaced one that lacks the amend\'s parents (a reflog whose entry before the amend is gone)', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "git commit -q --allow-empty -m 'one' && git commit -q --allow-empty --amend -m 'two'")
    const two = headOf(repo)
    // Without the entry that made `one`, the entry before the amend is the initial commit's.
    sh(repo, 'git reflog delete HEAD@{1}')
    expect(await amendedCommits(repo, [two])).toEqual(new Map())
  })

  it('finds nothing without a reflog or a repository', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, 'git config core.logAllRefUpdates false && rm -rf .git/logs')
    sh(repo, "git commit -q --allow-empty -m 'one' && git commit -q --allow-empty --amend -m 'two'")
    expect(await amendedCommits(repo, [headOf(repo)])).toEqual(new Map())
    expect(await amendedCommits(tempFolder(), ['9b74b9482ad5faff9546262bb5063474358ed29a'])).toEqual(new Map())
  })
})
