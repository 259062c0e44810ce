import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { commitsOfFinishedCall } from './finished-call.js'

const sh = (cwd: string, command: string): string => execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8' })

describe('commitsOfFinishedCall', () => {
  it('confirms a reported short hash with its full hash and subject', async () => {
    const repo = gitRepository(tempFolder())
    const command = "echo a > a.txt && git add a.txt && git commit -m 'feat: a'"
    const printed = sh(repo, command)
    const short = /\[main ([0-9a-f]+)\]/.exec(printed)?.[1] ?? ''
    expect(await commitsOfFinishedCall({ command, workdir: repo, reported: [short] })).toEqual({ checked: true, commits: [{ hash: headOf(repo), subject: 'feat: a' }] })
  })

  it('gives a commit made by `git commit --amend` with the full hash of the one it replaced, reported or found by time', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "echo a > a.txt && git add a.txt && git commit -q -m 'feat: a'")
    const first = headOf(repo)
    const command = "echo b >> a.txt && git commit -a --amend -m 'feat: a, linted'"
    const from = new Date()
    const short = /\[main ([0-9a-f]+)\]/.exec(sh(repo, command))?.[1] ?? ''
    const amended = { hash: headOf(repo), subject: 'feat: a, linted', amends: first }
    expect(await commitsOfFinishedCall({ command, workdir: repo, reported: [short] })).toEqual({ checked: true, commits: [amended] })
    expect(await commitsOfFinishedCall({ command, workdir: repo, reported: [], ranFrom: from, ranTo: new Date() })).toEqual({ checked: true, commits: [amended] })
  })

  it('finds a quiet amend by its time after a later amend replaced it, with the commit it amended', async () => {
    const repo = gitRepository(tempFolder())
    // Three calls a minute apart: a commit, a quiet amend, and another amend (git's committer times set so).
    const at = (minute: number): Date => new Date(Date.UTC(2026, 10, 28, 12, minute))
    const commit = (minute: number, command: string): void => {
      execFileSync('sh', ['-c', command], { cwd: repo, env: { ...process.env, GIT_COMMITTER_DATE: `@${String(at(minute).getTime() / 1000)}` } })
    }
    commit(0, "git commit -q --allow-empty -m 'feat: a'")
    const first = headOf(repo)
    const quiet = 'git commit -q --allow-empty --amend --no-edit'
    commit(1, quiet)
    const middle = headOf(repo)
    commit(2, "git commit -q --allow-empty --amend -m 'feat: a, final'")
    expect(headOf(repo)).not.toBe(middle)
    // HEAD's history no longer holds the middle commit; its reflog does.
    expect(await commitsOfFinishedCall({ command: quiet, workdir: repo, reported: [], ranFrom: at(1), ranTo: at(1) })).toEqual({ checked: true, commits: [{ hash: middle, subject: 'feat: a', amends: first }] })
  })

  it('finds a quiet commit by the time the call ran, and nothing outside it', async () => {
    const repo = gitRepository(tempFolder())
    const sub = gitRepository(join(repo, 'sub'))
    const from = new Date()
    const command = "cd sub && git commit -q --allow-empty -m 'feat: quiet'"
    sh(repo, command)
    const to = new Date()
    expect(await commitsOfFinishedCall({ command, workdir: repo, reported: [], ranFrom: from, ranTo: to })).toEqual({ checked: true, commits: [{ hash: headOf(sub), subject: 'feat: quiet', folder: sub }] })
    const later = new Date(to.getTime() + 60_000)
    expect((await commitsOfFinishedCall({ command, workdir: repo, reported: [], ranFrom: later, ranTo: later })).commits).toEqual([])
  })

  it('finds a quiet commit whose message the shell builds, or whose first paragraph spans lines', async () => {
    const repo = gitRepository(tempFolder())
    for (const [command, subject] of [
      ["MSG='feat: v'; git commit -q --allow-empty -m \"$MSG\"", 'feat: v'],
      ["git commit -q --allow-empty -m \"$(cat <<'EOF'\nAdd feature\n\nBody.\nEOF\n)\"", 'Add feature'],
      ["git commit -q --allow-empty -m 'Fix parser\nso it reads'", 'Fix parser so it reads'],
      ["git commit -q --allow-empty -m 'it'\\''s'", "it's"],
      ["git commit -q --allow-empty -m '  indented subject'", 'indented subject'],
    ] as const) {
      const from = new Date()
      sh(repo, command)
      const to = new Date()
      expect((await commitsOfFinishedCall({ command, workdir: repo, reported: [], ranFrom: from, ranTo: to })).commits.map((commit) => commit.subject.trim())).toContain(subject)
      await new Promise((resolve) => setTimeout(resolve, 1100))
    }
  })

  it('leaves out a commit git printed for a cherry-pick, and finds the quiet commit of the same call', async () => {
    const repo = gitRepository(tempFolder())
    sh(repo, "git checkout -q -b side && git commit -q --allow-empty -m 'side work' && git checkout -q main")
    const command = "git commit -q --allow-empty -m 'mine' && git cherry-pick --allow-empty side"
    const from = new Date()
    const printed = /\[main ([0-9a-f]+)\]/.exec(execFileSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8' }))?.[1] ?? ''
    const to = new Date()
    expect(printed).not.toBe('')
    expect((await commitsOfFinishedCall({ command, workdir: repo, reported: [printed], ranFrom: from, ranTo: to })).commits.map((commit) => commit.subject)).toEqual(['mine'])
  })

  it('reads `cd "a folder with spaces"` and a subshell for the folder a printed commit was made in', async () => {
    const repo = gitRepository(tempFolder())
    const sub = gitRepository(join(repo, 'my sub'))
    for (const command of ["cd 'my sub' && git commit --allow-empty -m insub", "(cd 'my sub' && git commit --allow-empty -m again)"]) {
      const printed = /\[main ([0-9a-f]+)\]/.exec(execFileSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8' }))?.[1] ?? ''
      expect((await commitsOfFinishedCall({ command, workdir: repo, reported: [printed] })).commits).toEqual([{ hash: headOf(sub), subject: expect.any(String) as unknown, folder: sub }])
    }
  })

  it('takes only the commit with the message the command gave from the window', async () => {
    const repo = gitRepository(tempFolder())
    const from = new Date()
    sh(repo, "git commit -q --allow-empty -m 'someone else'")
    const command = 'git commit -q --allow-empty -m "feat: mine"'
    sh(repo, command)
    expect((await commitsOfFinishedCall({ command, workdir: repo, reported: [], ranFrom: from, ranTo: new Date() })).commits).toEqual([{ hash: headOf(repo), subject: 'feat: mine' }])
  })

  describe('a quiet `git commit -F`: only its commit of the window, not another made meanwhile', () => {
    const own = async (command: string, subject: string): Promise<void> => {
      const repo = gitRepository(tempFolder())
      const from = new Date()
      sh(repo, "mkdir -p sub && git commit -q --allow-empty -m 'someone else'")
      // bash, for the here-string.
      execFileSync('bash', ['-c', command], { cwd: repo })
      const { commits } = await commitsOfFinishedCall({ command, workdir: repo, reported: [], ranFrom: from, ranTo: new Date() })
      expect(commits.map(({ hash, subject }) => ({ hash, subject }))).toEqual([{ hash: headOf(repo), subject }])
    }

    it.each([
      ['its file gives (`-F file`)', "printf 'feat: from a file\\n\\nBody.\\n' > msg.txt && git commit -q --allow-empty -F msg.txt", 'feat: from a file'],
      ['its file gives (`--file=file`)', "printf 'feat: long option\\n' > sub/m && git commit -q --allow-empty --file=sub/m", 'feat: long option'],
      ['its file gives (`-Ffile`, after a `cd`)', "cd sub && printf 'feat: in sub\\n' > m && git commit -q --allow-empty -Fm", 'feat: in sub'],
      ['a here-document gives (`-F -`)', "git commit -q --allow-empty -F - <<'EOF'\nfeat: from stdin\n\nBody.\nEOF", 'feat: from stdin'],
      ['a here-string gives (`-F -`)', "git commit -q --allow-empty -F - <<< 'feat: here-string'", 'feat: here-string'],
      ['none, as the newest of the window: the file was removed', "printf 'feat: gone\\n' > /tmp/at-msg-$$ && git commit -q --allow-empty -F /tmp/at-msg-$$ && rm /tmp/at-msg-$$", 'feat: gone'],
      ['none, as the newest of the window: a pipe fed it', "printf 'feat: piped\\n' | git commit -q --allow-empty -F -", 'feat: piped'],
    ] as const)('by the message %s', async (_how, command, subject) => {
      await own(command, subject)
    })
  })

  describe('a commit and its amend in one call (both made in the same second): the amend, naming the commit', () => {
    const at = new Date(Date.UTC(2026, 10, 28, 12, 0))
    const run = (repo: string, command: string): string => execFileSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_COMMITTER_DATE: `@${String(at.getTime() / 1000)}` } })
    const before = (repo: string, moves = 1): string => execFileSync('git', ['rev-parse', `HEAD@{${String(moves)}}`], { cwd: repo, encoding: 'utf8' }).trim()
    const call = (command: string, workdir: string, reported: string[] = []): Parameters<typeof commitsOfFinishedCall>[0] => ({ command, workdir, reported, ranFrom: at, ranTo: at })

    it('both quiet', async () => {
      const repo = gitRepository(tempFolder())
      const command = "echo q > q.txt && git add q.txt && git commit -q -m 'feat: q' && echo q2 >> q.txt && git commit -q -a --amend --no-edit"
      run(repo, command)
      expect(await commitsOfFinishedCall(call(command, repo))).toEqual({ checked: true, commits: [{ hash: headOf(repo), subject: 'feat: q', amends: before(repo) }] })
    })

    it('the commit printed, its amend quiet', async () => {
      const repo = gitRepository(tempFolder())
      const command = "echo q > q.txt && git add q.txt && git commit -m 'feat: q' && echo q2 >> q.txt && git commit -q -a --amend --no-edit"
      const short = /\[main ([0-9a-f]+)\]/.exec(run(repo, command))?.[1] ?? ''
      expect(before(repo).startsWith(short)).toBe(true)
      expect(await commitsOfFinishedCall(call(command, repo, [short]))).toEqual({ checked: true, commits: [{ hash: headOf(repo), subject: 'feat: q', amends: before(repo) }] })
    })

    it('the commit quiet, its amend printed with a message of its own', async () => {
      const repo = gitRepository(tempFolder())
      const command = "echo q > q.txt && git add q.txt && git commit -q -m 'feat: q' && git commit --amend -m 'feat: q, final'"
      const short = /\[main ([0-9a-f]+)\]/.exec(run(repo, command))?.[1] ?? ''
      expect(headOf(repo).startsWith(short)).toBe(true)
      expect(await commitsOfFinishedCall(call(command, repo, [short]))).toEqual({ checked: true, commits: [{ hash: headOf(repo), subject: 'feat: q, final', amends: before(repo) }] })
    })

    it('leaves out an earlier call\'s commits of the same second, also those it replaced', async () => {
      const repo = gitRepository(tempFolder())
      // Each amend changes a file: with the same second, an amend that changed nothing would be the very same commit.
      run(repo, "echo q > q.txt && git add q.txt && git commit -q -m 'feat: q' && echo q2 >> q.txt && git commit -q -a --amend --no-edit")
      const other = "echo r > r.txt && git add r.txt && git commit -q -m 'feat: r'"
      run(repo, other)
      expect(await commitsOfFinishedCall(call(other, repo))).toEqual({ checked: true, commits: [{ hash: headOf(repo), subject: 'feat: r' }] })
      // A quiet amend names no message: every commit of the window may be its own, but the amend chain it ends is one commit.
      const amend = 'echo r2 >> r.txt && git commit -q -a --amend --no-edit'
      run(repo, amend)
      expect((await commitsOfFinishedCall(call(amend, repo))).commits).toEqual([
        { hash: before(repo, 2), subject: 'feat: q', amends: before(repo, 3) },
        { hash: headOf(repo), subject: 'feat: r', amends: before(repo) },
      ])
    })
  })

  it('drops a hash git does not know, and says when there is no repository to ask', async () => {
    const repo = gitRepository(tempFolder())
    expect(await commitsOfFinishedCall({ command: 'git commit -m x', workdir: repo, reported: ['abcdef1'] })).toEqual({ checked: true, commits: [] })
    expect(await commitsOfFinishedCall({ command: 'git commit -m x', workdir: join(tempFolder(), 'gone'), reported: ['abcdef1'] })).toEqual({ checked: false, commits: [] })
  })
})
