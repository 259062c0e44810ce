import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { CommitNotes } from './commit-notes.js'
import { noteCommitFolders } from './commit-watch.js'
import { commitsOfFinishedCall } from './finished-call.js'

const sh = (cwd: string, command: string): void => {
  execFileSync('sh', ['-c', command], { cwd, stdio: 'ignore' })
}

describe('a note of the reflog kept between the hooks of a call', () => {
  it('finds a quiet commit whose committer date the command set outside the call, which the window cannot', async () => {
    for (const command of ["GIT_COMMITTER_DATE='2020-01-01T00:00:00Z' git commit -q --allow-empty -m 'feat: dated'", "env GIT_COMMITTER_DATE='2040-01-01T00:00:00Z' git commit -q --allow-empty -m 'feat: dated'"]) {
      const repo = gitRepository(tempFolder())
      const notes = new CommitNotes(join(tempFolder(), 'commit-notes'))
      notes.save('toolu_1', await noteCommitFolders(command, repo))
      const from = new Date()
      sh(repo, "git commit -q --allow-empty -m 'human: meanwhile'")
      sh(repo, command)
      const call = { command, workdir: repo, reported: [], ranFrom: from, ranTo: new Date() }
      // git dates the reflog's line with the committer date too: by time, the commit is not the call's.
      expect((await commitsOfFinishedCall(call)).commits.map((commit) => commit.subject)).not.toContain('feat: dated')
      expect(await commitsOfFinishedCall({ ...call, before: notes.take('toolu_1') })).toEqual({ checked: true, commits: [{ hash: headOf(repo), subject: 'feat: dated' }] })
    }
  })

  it('gives a note once, leaves no folder behind, and drops notes of calls that never ended', async () => {
    const repo = gitRepository(tempFolder())
    const folder = join(tempFolder(), 'commit-notes')
    const notes = new CommitNotes(folder)
    const note = await noteCommitFolders('git commit -q -m x', repo)
    notes.save('toolu/1', note)
    expect(notes.take('toolu/1')).toEqual(JSON.parse(JSON.stringify(note)))
    expect(notes.take('toolu/1')).toBeUndefined()
    expect(existsSync(folder)).toBe(false)
    notes.save('stale', note)
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
    utimesSync(join(folder, 'stale.json'), old, old)
    writeFileSync(join(folder, 'broken.json'), '{"folders": 1}')
    notes.save('fresh', note)
    expect(readdirSync(folder).sort()).toEqual(['broken.json', 'fresh.json'])
    expect(notes.take('broken')).toBeUndefined()
  })
})
