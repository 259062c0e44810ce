import { describe, expect, it } from 'vitest'
import { folderStepsOf, gitCommitsOf, gitEventsOf, reportedCommitsOf, runsGitCommit } from './commit-detection.js'

describe('gitEventsOf', () => {
  it.each([
    ["git commit -m 'feat: cart'", '[main 1a2b3c4] feat: cart\n 1 file changed', { kind: 'commit', hashes: ['1a2b3c4'] }],
    ['git add -A && git commit -am "x"', '[main (root-commit) deadbeef] x\n', { kind: 'commit', hashes: ['deadbeef'] }],
    ['git -C sub commit -m y', '[detached HEAD 0123abc] y\n', { kind: 'commit', hashes: ['0123abc'] }],
    ["git -c user.email=a@b.c --no-pager commit -m 'z'", '[main 4567def] z\n', { kind: 'commit', hashes: ['4567def'] }],
    ['git --git-dir=.git --work-tree=. commit -q -m w', '', { kind: 'commit', hashes: [] }],
    ['git --no-pager push origin main', 'To host:repo.git\n', { kind: 'push', remote: 'origin', branch: 'main' }],
    ["git commit -q -m 'quiet'", '', { kind: 'commit', hashes: [] }],
    ['git push origin main', 'To host:repo.git\n   a..b  main -> main\n', { kind: 'push', remote: 'origin', branch: 'main' }],
    ['git push -u origin HEAD:refs/heads/feature', '', { kind: 'push', remote: 'origin', branch: 'refs/heads/feature' }],
    ['git push', 'Everything up-to-date\n', { kind: 'push' }],
  ])('recognises `%s`', (command, output, event) => {
    expect(gitEventsOf(command, output, 0)).toEqual([event])
  })

  it('sees every commit and then a push in one command, in order', () => {
    expect(gitEventsOf("git commit -m 'a' && git commit -m 'b' && git push", '[main abcdef1] a\n[main 1234567] b\n', 0)).toEqual([{ kind: 'commit', hashes: ['abcdef1', '1234567'] }, { kind: 'push' }])
  })

  it('sees a commit git made in a command that failed after it: whether one was made is for git to say', () => {
    expect(gitEventsOf("git commit -m 'feat: a' && npm test", '[main 1ffb8be] feat: a\n 1 file changed\nnpm ERR! Test failed.\n', 1)).toEqual([{ kind: 'commit', hashes: ['1ffb8be'] }])
    expect(gitEventsOf("git commit -m 'feat: a' && git push nowhere main", "[main 1ffb8be] feat: a\nfatal: 'nowhere' does not appear to be a git repository\n", 128)).toEqual([{ kind: 'commit', hashes: ['1ffb8be'] }])
    expect(gitEventsOf("git commit -q -m 'x' && npm test", 'npm ERR! Test failed.\n', 1)).toEqual([{ kind: 'commit', hashes: [] }])
  })

  it('counts a push only where git pushed: not one quoted, echoed, dry-run or failed behind a pipe', () => {
    expect(gitEventsOf("echo 'remember: git push when done'", 'remember: git push when done\n', 0)).toEqual([])
    expect(gitEventsOf('echo TODO git push after review', 'TODO git push after review\n', 0)).toEqual([])
    expect(gitEventsOf("git commit -m 'fix: so git push works'", '[main abcdef1] fix: so git push works\n', 0)).toEqual([{ kind: 'commit', hashes: ['abcdef1'] }])
    expect(gitEventsOf('git push --dry-run origin main', 'To host:repo.git\n   a..b  main -> main\n', 0)).toEqual([])
    expect(gitEventsOf('git push -n', '', 0)).toEqual([])
    expect(gitEventsOf('git push nowhere main 2>&1 | tail -2', "fatal: 'nowhere' does not appear to be a git repository\nfatal: Could not read from remote repository.\n", 0)).toEqual([])
    expect(gitEventsOf('git push origin main 2>&1 | tail -2', ' ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to \'host:repo.git\'\n', 0)).toEqual([])
    expect(gitEventsOf('git push origin main', 'To host:repo.git\n', 1)).toEqual([])
    // Its exit code hidden (a pipe, ||, ;), a push counts only where git reported one.
    expect(gitEventsOf('git push nowhere main 2>&1 | tail -2', 'Please make sure you have the correct access rights\nand the repository exists.\n', 0)).toEqual([])
    expect(gitEventsOf('git push origin main || true', '', 0)).toEqual([])
    expect(gitEventsOf('git push origin main; echo done', 'done\n', 0)).toEqual([])
    expect(gitEventsOf('git push origin main 2>&1 | tail -3', 'To host:repo.git\n   a..b  main -> main\n', 0)).toEqual([{ kind: 'push', remote: 'origin', branch: 'main' }])
    expect(gitEventsOf('git push && echo pushed', 'pushed\n', 0)).toEqual([{ kind: 'push' }])
    expect(gitEventsOf('git push\n', '', 0)).toEqual([{ kind: 'push' }])
    // Run as a command of its own, after assignments or `git -C`, it is a push.
    expect(gitEventsOf('GIT_SSH_COMMAND=ssh git -C sub push origin HEAD:main', 'To host:repo.git\n', 0)).toEqual([{ kind: 'push', remote: 'origin', branch: 'main' }])
    expect(gitEventsOf('(cd sub && git push)', 'Everything up-to-date\n', 0)).toEqual([{ kind: 'push' }])
  })

  it('ignores other commands and lookalikes', () => {
    expect(gitEventsOf('git status && git log', '[main abcdef1] x', 0)).toEqual([])
    expect(gitEventsOf('echo "nothing to commit"', 'nothing to commit', 0)).toEqual([])
    expect(runsGitCommit('git commitment')).toBe(false)
    expect(runsGitCommit('cd sub && git commit -q')).toBe(true)
  })
})

describe('reportedCommitsOf', () => {
  it('reads the hash and subject of each commit line git printed', () => {
    expect(reportedCommitsOf('[main (root-commit) deadbee] first: a b\n 1 file changed\n[main 1234567] second\n')).toEqual([{ hash: 'deadbee', subject: 'first: a b' }, { hash: '1234567', subject: 'second' }])
    expect(reportedCommitsOf('nothing to commit')).toEqual([])
  })
})

describe('folderStepsOf', () => {
  it.each([
    ['git commit -q -m x', []],
    ['cd sub && git commit -m x', [{ target: 'sub', moves: true }]],
    ['cd "a b" ; pushd c && git commit', [{ target: 'a b', moves: true }, { target: 'c', moves: true }]],
    ["(cd sub && git commit -m x)", [{ target: 'sub', moves: false }]],
    ['v=$(cd /tmp && pwd) && cd sub && pushd +1 && git commit -q -m x', [{ target: '/tmp', moves: false }, { target: 'sub', moves: true }]],
    ["{ cd 'my sub'; git commit -m x; }", [{ target: 'my sub', moves: true }]],
    ['cd my\\ sub && git -C "other repo" commit', [{ target: 'my sub', moves: true }, { target: 'other repo', moves: false }]],
    ['cd "$HOME/x" && cd "~literal" && git commit', [{ target: '~literal', moves: true }]],
    ['git -c user.name=B -C sub commit -q -m x', [{ target: 'sub', moves: false }]],
    ['git --no-pager -C sub commit -m x && /usr/bin/git -Cother commit -m y', [{ target: 'sub', moves: false }, { target: 'other', moves: false }]],
    ['cd -P real && git --git-dir .git -C "a b" commit', [{ target: 'real', moves: true }, { target: 'a b', moves: false }]],
    ['cd /elsewhere && git -C repo commit -m x', [{ target: '/elsewhere', moves: true }, { target: 'repo', moves: false }]],
    ['cd ~/x && cd $HOME && cd - && git commit', []],
  ])('reads the folders `%s` names', (command, steps) => {
    expect(folderStepsOf(command)).toEqual(steps)
  })
})

describe('gitCommitsOf', () => {
  it.each([
    ["git commit -q -m 'feat: a'", [{ subject: 'feat: a', given: true }]],
    ['/usr/bin/git commit --allow-empty -m x', [{ subject: 'x', given: true }]],
    ["git -c user.name='Agent Smith' commit -m y", [{ subject: 'y', given: true }]],
    ['git -P --git-dir .git commit -qm z && git --no-pager commit --message=w', [{ subject: 'z', given: true }, { subject: 'w', given: true }]],
    ["git commit -am 'it'\\''s'", [{ subject: "it's", given: true }]],
    ['git commit -m "Fix parser\nso it reads\n\nBody."', [{ subject: 'Fix parser so it reads', given: true }]],
    ['MSG=x; git commit -q -m "$MSG"', [{ subject: undefined, given: true }]],
    ["git commit -q -m \"$(cat <<'EOF'\nAdd feature\n\nBody.\nEOF\n)\"", [{ subject: undefined, given: true }]],
    ['git commit -F msg.txt && git commit --amend --no-edit', [{ subject: undefined, given: false, file: { path: 'msg.txt' } }, { subject: undefined, given: false }]],
    ['git commit -qF sub/m && git commit --file=/tmp/m -q; git commit --file m2 && git commit -aFm3', [{ subject: undefined, given: false, file: { path: 'sub/m' } }, { subject: undefined, given: false, file: { path: '/tmp/m' } }, { subject: undefined, given: false, file: { path: 'm2' } }, { subject: undefined, given: false, file: { path: 'm3' } }]],
    ['git commit -F "$F" && printf x | git commit -F -', [{ subject: undefined, given: false, file: { path: undefined } }, { subject: undefined, given: false, file: { path: undefined } }]],
    ["git commit -F - <<'EOF'\nfeat: $NOT expanded\n\nBody.\nEOF", [{ subject: 'feat: $NOT expanded', given: true }]],
    ['git commit -F - <<-EOF\n\tfeat: tabs\n\tEOF\ngit commit --file - <<< "feat: here-string"', [{ subject: 'feat: tabs', given: true }, { subject: 'feat: here-string', given: true }]],
    ['git commit -F - <<EOF\nfeat: $VERSION\nEOF', [{ subject: undefined, given: false, file: { path: undefined } }]],
    ['(cd sub && git commit -mquick)', [{ subject: 'quick', given: true }]],
    ["git commit -q -m 'feat: a' && git commit -q --amend --no-edit", [{ subject: 'feat: a', given: true }, { subject: undefined, given: false }]],
    ["git commit -m 'feat: a' && git commit --amend -m \"feat: b\"; git -C sub commit --message=c", [{ subject: 'feat: a', given: true }, { subject: 'feat: b', given: true }, { subject: 'c', given: true }]],
    ["git --no-pager commit -q -m mine && git --git-dir=.git -c user.name=x commit -m 'two'", [{ subject: 'mine', given: true }, { subject: 'two', given: true }]],
    ['git add . && git commit -am "fix: \\"quoted\\"" && git push', [{ subject: 'fix: "quoted"', given: true }]],
    ["env GIT_COMMITTER_DATE='2020-01-01' git commit -q -m 'feat: dated' && GIT_AUTHOR_DATE=x nohup git commit -m two", [{ subject: 'feat: dated', given: true }, { subject: 'two', given: true }]],
    ["timeout 60 git -C sub commit -m three; sh -c \"git commit -m 'four'\"", [{ subject: 'three', given: true }, { subject: 'four', given: true }]],
    ["echo 'git commit -m x'", []],
    ["echo -m 'x'", []],
    ['git status', []],
  ])('reads the commits of `%s`', (command, commits) => {
    expect(gitCommitsOf(command)).toEqual(commits)
  })

  it.each(['/usr/bin/git commit -m x', "git -c user.name='Agent Smith' commit -m y", 'git -P commit -q -m z', 'git --git-dir .git commit -q -m w'])('sees `%s` run git commit', (command) => {
    expect(runsGitCommit(command)).toBe(true)
  })
})
