import { describe, expect, it } from 'vitest'
import { folderStepsOf, gitEventsOf, reportedCommitsOf, runsGitCommit } from './commit-detection.js'

describe('gitEventsOf', () => {
  it.each([
    ["git commit -m 'feat: cart'", '[main 1a2b3c4] feat: cart\n 1 file changed', { kind: 'commit', hashes: ['1a2b3c4'] }],
    ['git add -A && git commit -am "x"', '[main (root-commit) deadbeef] x\n', { kind: 'commit', hashes: ['deadbeef'] }],
    ['git -C sub commit -m y', '[detached HEAD 0123abc] y\n', { kind: 'commit', hashes: ['0123abc'] }],
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

  it('ignores failures, other commands and lookalikes', () => {
    expect(gitEventsOf("git commit -m 'x'", '[main abcdef1] x', 1)).toEqual([])
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
    ['cd "a b" ; pushd c && git commit', [{ target: 'a', moves: true }, { target: 'c', moves: true }]],
    ['cd /elsewhere && git -C repo commit -m x', [{ target: '/elsewhere', moves: true }, { target: 'repo', moves: false }]],
    ['cd ~/x && cd $HOME && cd - && git commit', []],
  ])('reads the folders `%s` names', (command, steps) => {
    expect(folderStepsOf(command)).toEqual(steps)
  })
})
