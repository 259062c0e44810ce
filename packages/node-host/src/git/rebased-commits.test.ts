import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { rebasedOriginal } from './rebased-commits.js'

const sh = (cwd: string, command: string): string => execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8' })

/** A repository where a feature branch's commit (recorded by a host) was rebased onto a newer main: the recorded hash and its copy's. */
function rebasedRepository(): { repo: string; recorded: string; copy: string } {
  const repo = gitRepository(tempFolder())
  sh(repo, "echo base > base.txt && git add base.txt && git commit -q -m 'chore: base'")
  sh(repo, "git checkout -q -b feature && printf 'a\\nb\\n' > cart.txt && git add cart.txt && git commit -q -m 'feat: cart'")
  const recorded = headOf(repo)
  sh(repo, "git checkout -q main && echo more >> base.txt && git commit -q -am 'chore: more' && git checkout -q feature && git rebase -q main")
  return { repo, recorded, copy: headOf(repo) }
}

const now = (): string => new Date().toISOString()

describe('rebasedOriginal', () => {
  it('finds the recorded commit a rebase copied, by the same change while git still holds it, and by subject and time once pruned', async () => {
    const { repo, recorded, copy } = rebasedRepository()
    expect(copy).not.toBe(recorded)
    const other = { hash: 'f'.repeat(40), message: 'feat: other', at: now() }
    const commit = { hash: recorded, message: 'feat: cart\n\nBody.', at: now() }
    expect(await rebasedOriginal(repo, copy.slice(0, 7), [other, commit])).toEqual({ recorded: commit, copy, because: 'same-change' })
    // Pruned: the reflogs that held the recorded commit expired, and the unreachable object removed.
    sh(repo, 'git reflog expire --expire=now --all && git gc -q --prune=now')
    expect(sh(repo, `git cat-file -t ${recorded} 2>&1 || true`)).toMatch(/could not get object info|Not a valid object name|fatal/)
    expect(await rebasedOriginal(repo, copy, [other, commit])).toEqual({ recorded: commit, copy, because: 'same-subject' })
    // Recorded long after the copy says it was authored: not the same commit.
    expect(await rebasedOriginal(repo, copy, [{ ...commit, at: '2030-01-01T00:00:00.000Z' }])).toBeUndefined()
  })

  it('does not guess: a commit with the subject but another change, two candidates, or a ref git does not know', async () => {
    const { repo, recorded, copy } = rebasedRepository()
    // Another commit git holds, with the same subject but a different change.
    sh(repo, "git checkout -q -b elsewhere main && echo other > other.txt && git add other.txt && git commit -q -m 'feat: cart' && git checkout -q feature")
    const lookalike = sh(repo, 'git rev-parse elsewhere').trim()
    expect(await rebasedOriginal(repo, copy, [{ hash: lookalike, message: 'feat: cart', at: now() }])).toBeUndefined()
    // Two pruned commits of that subject recorded at the time: either could be it.
    const gone = (digit: string): { hash: string; message: string; at: string } => ({ hash: digit.repeat(40), message: 'feat: cart', at: now() })
    expect(await rebasedOriginal(repo, copy, [gone('a'), gone('b')])).toBeUndefined()
    expect(await rebasedOriginal(repo, copy, [gone('a')])).toMatchObject({ recorded: { hash: 'a'.repeat(40) }, because: 'same-subject' })
    // The same change, which git shows, is taken over a pruned lookalike.
    expect(await rebasedOriginal(repo, copy, [gone('a'), { hash: recorded, message: 'feat: cart', at: now() }])).toMatchObject({ recorded: { hash: recorded }, because: 'same-change' })
    expect(await rebasedOriginal(repo, 'deadbeef', [{ hash: recorded, message: 'feat: cart', at: now() }])).toBeUndefined()
    expect(await rebasedOriginal(tempFolder(), copy, [{ hash: recorded, message: 'feat: cart', at: now() }])).toBeUndefined()
    // The copy itself recorded is no rebase of anything.
    expect(await rebasedOriginal(repo, copy, [{ hash: copy, message: 'feat: cart', at: now() }])).toBeUndefined()
  })
})
