import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ScriptedHistory, lines } from '../../test/scripted-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import type { ChangeLimits, CommitChange } from './fix-diff.js'
import { CHANGE_DIFF_OPTIONS, changeReader, changedLinesOf } from './fix-diff.js'

const LIMITS: ChangeLimits = { maxFiles: 3, maxLines: 6 }

/** What one commit changed, read the way the scan did before it batched: `git diff <parent> <commit>`, a process per commit. */
function changedLinesOne(history: ScriptedHistory, commit: string, limits: ChangeLimits): CommitChange {
  const reader = changeReader(limits)
  for (const line of history.git('diff', ...CHANGE_DIFF_OPTIONS, `${commit}~1`, commit, '--').split('\n')) reader.read(line)
  return reader.result()
}

describe('changedLinesOf', () => {
  it('reads every commit\'s changed lines in one git call, exactly as a diff of each against its parent', async () => {
    const history = new ScriptedHistory(join(tempFolder('fix-diff-'), 'repo'), 3)
    history.commit('initial', { 'a.ts': lines('a', 8), 'b.ts': lines('b', 4), 'c.ts': lines('c', 3) })
    const commits = [
      history.commit('change two lines and delete one', { 'a.ts': lines('a', 8).replace('a2 = 2', 'a2 = 22').replace('const a5 = 5\n', '').replace('a7 = 7', 'a7 = 70') }),
      history.commit('whitespace and blank lines only', { 'b.ts': `\n${lines('b', 4).replace('const b1', '   const b1')}\n` }),
      history.commit('only adds', { 'c.ts': `${lines('c', 3)}${lines('d', 2)}` }),
      history.commit('empty'),
      history.commit('too many lines', { 'a.ts': lines('x', 8) }),
    ]
    history.git('mv', 'b.ts', 'renamed.ts')
    writeFileSync(join(history.folder, 'renamed.ts'), `\n${lines('b', 4).replace('const b1', '   const b1').replace('b3 = 3', 'b3 = 33')}\n`)
    commits.push(history.commit('rename and change'))
    writeFileSync(join(history.folder, 'blob.bin'), Buffer.from([0, 1, 2, 3]))
    commits.push(history.commit('binary'))
    commits.push(history.commit('too many files', { 'f1.ts': 'x\n', 'f2.ts': 'y\n', 'f3.ts': 'z\n', 'f4.ts': 'w\n' }))
    history.git('rm', '-q', 'c.ts')
    commits.push(history.commit('delete a file'))

    const batched = await changedLinesOf(history.folder, [...commits].reverse(), LIMITS)
    expect([...batched.keys()].sort()).toEqual([...commits].sort())
    for (const commit of commits) expect(batched.get(commit), commit).toEqual(changedLinesOne(history, commit, LIMITS))
    // The cases themselves, so the comparison above is not of two empty answers; a renamed file's lines are named by its path at the parent, where they are blamed.
    expect(commits.map((commit) => {
      const change = batched.get(commit)
      return typeof change === 'string' ? change : change?.files.map((file) => `${file.path}:${file.ranges.map(([start, count]) => `${String(start)}+${String(count)}`).join(',')}`).join(' ')
    })).toEqual(['a.ts:2+1,5+1,7+1', 'formatting-only', '', 'formatting-only', 'too-large', 'b.ts:4+1', '', 'too-large', 'c.ts:1+5'])
  })

  it('asks git nothing for no commits', async () => {
    expect((await changedLinesOf(join(tempFolder('fix-diff-'), 'missing'), [], LIMITS)).size).toBe(0)
  })
})
