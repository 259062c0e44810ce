import { describe, expect, it } from 'vitest'
import { gitEventsOf } from './git-events.js'

describe('gitEventsOf', () => {
  it.each([
    ["git commit -m 'feat: cart'", '[main 1a2b3c4] feat: cart\n 1 file changed', { kind: 'commit', shortHash: '1a2b3c4', subject: 'feat: cart' }],
    ['git add -A && git commit -am "x"', '[main (root-commit) deadbeef] x\n', { kind: 'commit', shortHash: 'deadbeef', subject: 'x' }],
    ['git -C sub commit -m y', '[detached HEAD 0123abc] y\n', { kind: 'commit', shortHash: '0123abc', subject: 'y' }],
    ['git push origin main', 'To host:repo.git\n   a..b  main -> main\n', { kind: 'push', remote: 'origin', branch: 'main' }],
    ['git push -u origin HEAD:refs/heads/feature', '', { kind: 'push', remote: 'origin', branch: 'refs/heads/feature' }],
    ['git push', 'Everything up-to-date\n', { kind: 'push' }],
  ])('recognises `%s`', (command, output, event) => {
    expect(gitEventsOf(command, output, 0)).toEqual([event])
  })

  it('sees a commit and a push in one command, in order', () => {
    expect(gitEventsOf("git commit -m 'a' && git push", '[main abcdef1] a\n', 0).map((e) => e.kind)).toEqual(['commit', 'push'])
  })

  it('ignores failures, other commands and lookalikes', () => {
    expect(gitEventsOf("git commit -m 'x'", '[main abcdef1] x', 1)).toEqual([])
    expect(gitEventsOf('git status && git log', '[main abcdef1] x', 0)).toEqual([])
    expect(gitEventsOf('echo "nothing to commit"', 'nothing to commit', 0)).toEqual([])
    expect(gitEventsOf("git commit -m 'x'", 'nothing to commit, working tree clean', 0)).toEqual([])
  })
})
