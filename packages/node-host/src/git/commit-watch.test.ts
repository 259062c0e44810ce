import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { CommitWatch, commandFolders } from './commit-watch.js'
import { describeCommit, headCommit } from './read-commits.js'

const sh = (cwd: string, command: string): void => {
  execFileSync('sh', ['-c', command], { cwd, stdio: 'ignore' })
}

describe('commandFolders', () => {
  it.each([
    ['git commit -q -m x', ['/p']],
    ['cd sub && git commit -m x', ['/p', '/p/sub']],
    ['cd "a b" ; cd c && git commit', ['/p', '/p/a b', '/p/a b/c']],
    ['cd /elsewhere && git -C repo commit -m x', ['/p', '/elsewhere', '/elsewhere/repo']],
    ['cd ~/x && cd $HOME && cd - && git commit', ['/p']],
    ['cd a && cd b && cd c && cd d && git commit', ['/p', '/p/a', '/p/a/b', '/p/a/b/c']],
  ])('finds where `%s` may commit', (command, folders) => {
    expect(commandFolders(command, '/p')).toEqual(folders)
  })
})

describe('CommitWatch', () => {
  it('finds a quiet commit by the HEAD it moved, with its full hash and subject', async () => {
    const repo = gitRepository(tempFolder())
    const watch = new CommitWatch()
    const command = "echo a > a.txt && git add a.txt && git commit -q -m 'feat: a'"
    await watch.noteBefore('c1', command, repo)
    sh(repo, command)
    expect(await watch.commitsAfter('c1', command, repo, [])).toEqual([{ hash: headOf(repo), subject: 'feat: a' }])
  })

  it('finds the root commit of a repository made by the command itself', async () => {
    const folder = tempFolder()
    const command = "mkdir fresh && cd fresh && git init -q && git -c user.email=a@b -c user.name=A commit -q --allow-empty -m 'root'"
    const watch = new CommitWatch()
    await watch.noteBefore('c1', command, folder)
    sh(folder, command)
    // Made in another folder than the command's: it says which, for the project it belongs to.
    expect(await watch.commitsAfter('c1', command, folder, [])).toEqual([{ hash: headOf(join(folder, 'fresh')), subject: 'root', folder: join(folder, 'fresh') }])
  })

  it('confirms every commit git reported, and ignores hashes git does not know', async () => {
    const repo = gitRepository(tempFolder())
    const watch = new CommitWatch()
    const command = 'git commit -q --allow-empty -m one && git commit --allow-empty -m two'
    await watch.noteBefore('c1', command, repo)
    sh(repo, command)
    const one = execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: repo, encoding: 'utf8' }).trim()
    expect(await watch.commitsAfter('c1', command, repo, [one.slice(0, 7), 'abcdef1'])).toEqual([{ hash: one, subject: 'one' }, { hash: headOf(repo), subject: 'two' }])
  })

  it('reports a `git commit --amend` as the new commit with the full hash of the one it replaced, printed or quiet', async () => {
    const repo = gitRepository(tempFolder())
    const watch = new CommitWatch()
    const commit = "echo a > a.txt && git add a.txt && git commit -m 'feat: a'"
    await watch.noteBefore('c1', commit, repo)
    const printed = execFileSync('sh', ['-c', commit], { cwd: repo, encoding: 'utf8' })
    const first = headOf(repo)
    expect(await watch.commitsAfter('c1', commit, repo, [/\[main ([0-9a-f]+)\]/.exec(printed)?.[1] ?? ''])).toEqual([{ hash: first, subject: 'feat: a' }])
    const amend = "echo b >> a.txt && git commit -a --amend -m 'feat: a, linted'"
    await watch.noteBefore('c2', amend, repo)
    const reported = /\[main ([0-9a-f]+)\]/.exec(execFileSync('sh', ['-c', amend], { cwd: repo, encoding: 'utf8' }))?.[1] ?? ''
    expect(await watch.commitsAfter('c2', amend, repo, [reported])).toEqual([{ hash: headOf(repo), subject: 'feat: a, linted', amends: first }])
    const quiet = 'git commit -q --amend --allow-empty -m again'
    const linted = headOf(repo)
    await watch.noteBefore('c3', quiet, repo)
    sh(repo, quiet)
    expect(await watch.commitsAfter('c3', quiet, repo, [])).toEqual([{ hash: headOf(repo), subject: 'again', amends: linted }])
  })

  it('takes the commits `git commit` made in the call, not the commit a checkout, a fast-forward or a merge left HEAD on', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "git checkout -q -b side && git commit -q --allow-empty -m 'theirs' && git checkout -q main")
    const theirs = execFileSync('git', ['rev-parse', 'side'], { cwd: repo, encoding: 'utf8' }).trim()
    const watch = new CommitWatch()
    const cases: [string, string][] = [
      ["git commit -q --allow-empty -m 'mine, then a checkout' && git checkout -q side", 'mine, then a checkout'],
      ["git checkout -q main && git commit -q --allow-empty -m 'mine, then a fast-forward' && git reset -q --hard side", 'mine, then a fast-forward'],
      ["git checkout -q -b other && git commit -q --allow-empty -m 'side 2' && git checkout -q main && git merge -q --no-ff other -m merged", 'side 2'],
    ]
    for (const [index, [command, subject]] of cases.entries()) {
      await watch.noteBefore(`c${String(index)}`, command, repo)
      sh(repo, command)
      const made = await watch.commitsAfter(`c${String(index)}`, command, repo, [])
      expect(made.map((commit) => commit.subject)).toEqual([subject])
      expect(made.map((commit) => commit.hash)).not.toContain(theirs)
    }
  })

  it('takes only the printed commits when git printed one for each `git commit`, not what others committed meanwhile', async () => {
    const repo = gitRepository(tempFolder())
    const watch = new CommitWatch()
    const command = "git commit --allow-empty -m 'mine'"
    await watch.noteBefore('c1', command, repo)
    const printed = /\[main ([0-9a-f]+)\]/.exec(execFileSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8' }))?.[1] ?? ''
    // The user commits in another terminal while the call's result is on its way.
    sh(repo, "git commit -q --allow-empty -m 'by the user'")
    expect((await watch.commitsAfter('c1', command, repo, [printed])).map((commit) => commit.subject)).toEqual(['mine'])
  })

  it('leaves out a commit another process made while a quiet call ran, by the message the call gave', async () => {
    const repo = gitRepository(tempFolder())
    const watch = new CommitWatch()
    const command = "git commit -q --allow-empty -m 'feat: slow agent'"
    await watch.noteBefore('c1', command, repo)
    sh(repo, "git commit -q --allow-empty -m 'human: my own work'")
    sh(repo, command)
    expect((await watch.commitsAfter('c1', command, repo, [])).map((commit) => commit.subject)).toEqual(['feat: slow agent'])
  })

  it('leaves out a commit another process made while a quiet `git commit -F` ran, by its file\'s message or else as not the newest', async () => {
    for (const [command, subject] of [
      ["printf 'feat: from a file\\n' > msg.txt && git commit -q --allow-empty -F msg.txt", 'feat: from a file'],
      ["printf 'feat: gone\\n' > m && git commit -q --allow-empty --file m && rm m", 'feat: gone'],
    ] as const) {
      const repo = gitRepository(tempFolder())
      const watch = new CommitWatch()
      await watch.noteBefore('c1', command, repo)
      sh(repo, "git commit -q --allow-empty -m 'human: my own work'")
      sh(repo, command)
      expect((await watch.commitsAfter('c1', command, repo, [])).map((commit) => commit.subject)).toEqual([subject])
    }
  })

  it('leaves out a commit git printed for a cherry-pick, and finds the quiet commit of the same call', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "git checkout -q -b side && git commit -q --allow-empty -m 'side work' && git checkout -q main")
    const watch = new CommitWatch()
    const command = "git commit -q --allow-empty -m 'mine' && git cherry-pick --allow-empty side"
    await watch.noteBefore('c1', command, repo)
    const printed = /\[main ([0-9a-f]+)\]/.exec(execFileSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8' }))?.[1] ?? ''
    expect(printed).not.toBe('')
    expect((await watch.commitsAfter('c1', command, repo, [printed])).map((commit) => commit.subject)).toEqual(['mine'])
  })

  it('finds every commit of a call that rewrote the reflog first (git gc expiring old moves)', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, 'for i in 1 2 3; do GIT_COMMITTER_DATE=2020-01-01T00:00Z git commit -q --allow-empty -m old$i; done')
    const watch = new CommitWatch()
    const command = 'git reflog expire --expire=all --all && git commit -q --allow-empty -m a && git commit -q --allow-empty -m b && git commit -q --allow-empty -m c'
    await watch.noteBefore('c1', command, repo)
    sh(repo, command)
    expect((await watch.commitsAfter('c1', command, repo, [])).map((commit) => commit.subject)).toEqual(['a', 'b', 'c'])
  })

  it('reads on from where the reflog ended when its last move has a subject beyond ASCII', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "git commit -q --allow-empty -m 'café: déjà vu ✓'")
    const watch = new CommitWatch()
    const command = "git commit -q --allow-empty -m 'naïve two'"
    await watch.noteBefore('c1', command, repo)
    sh(repo, command)
    expect(await watch.commitsAfter('c1', command, repo, [])).toEqual([{ hash: headOf(repo), subject: 'naïve two' }])
  })

  it('compares HEAD before and after the call where the repository keeps no reflog', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, 'git config core.logAllRefUpdates false && rm -rf .git/logs')
    const watch = new CommitWatch()
    const command = "git commit -q --allow-empty -m 'no reflog'"
    await watch.noteBefore('c1', command, repo)
    sh(repo, command)
    expect(await watch.commitsAfter('c1', command, repo, [])).toEqual([{ hash: headOf(repo), subject: 'no reflog' }])
  })

  it('finds nothing when HEAD did not move, when nothing was noted, or after forget', async () => {
    const repo = gitRepository(tempFolder())
    const watch = new CommitWatch()
    await watch.noteBefore('c1', 'git commit -q -m nothing', repo)
    expect(await watch.commitsAfter('c1', 'git commit -q -m nothing', repo, [])).toEqual([])
    sh(repo, 'git commit -q --allow-empty -m unseen')
    expect(await watch.commitsAfter('c2', 'git commit -q -m x', repo, [])).toEqual([])
    await watch.noteBefore('c3', 'git commit -q -m x', repo)
    watch.forget('c3')
    sh(repo, 'git commit -q --allow-empty -m forgotten')
    expect(await watch.commitsAfter('c3', 'git commit -q -m x', repo, [])).toEqual([])
  })
})

describe('reading commits with git', () => {
  it('gives HEAD, null where there is no commit, and describes a commit by an abbreviated hash', async () => {
    const repo = gitRepository(tempFolder())
    const head = headOf(repo)
    expect(await headCommit(repo)).toBe(head)
    expect(await headCommit(tempFolder())).toBeNull()
    expect(await describeCommit(repo, head.slice(0, 7))).toEqual({ hash: head, subject: 'initial' })
    expect(await describeCommit(repo, 'abcdef1')).toBeUndefined()
    expect(await describeCommit(join(repo, 'missing'), head)).toBeUndefined()
  })
})
