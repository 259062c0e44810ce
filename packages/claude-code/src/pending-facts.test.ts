import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core/host'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { PendingFacts, waitingFacts } from './pending-facts.js'

const fact = (id: string): Fact => ({ kind: 'tool_call', id, at: '2026-11-30T01:00:00.000Z', setup: 'claude-code@anthropic/m', project: '/w', tool: 'Bash', ok: true })

describe('the pending folder', () => {
  it('gives each add a file of its own, whole when it appears, so a take never meets one being written', () => {
    const databasePath = join(tempFolder('pending-'), 'tracker.lmdb')
    const pending = new PendingFacts(databasePath)
    pending.add('s1', [fact('a')])
    // A take renames away every file there now…
    const taken = pending.take()
    // …and what is added after it is a new file, which the next take finds.
    pending.add('s1', [fact('b')])
    expect((taken.facts as Fact[]).map((one) => one.id)).toEqual(['a'])
    taken.done()
    expect((pending.take().facts as Fact[]).map((one) => one.id)).toEqual(['b'])
    expect(readdirSync(pending.folder).filter((name) => name.endsWith('.part'))).toEqual([])
  })

  it('says which folder could not keep the facts, and that they are lost, not a raw error of a .part file', () => {
    const databasePath = join(tempFolder('pending-'), 'tracker.lmdb')
    // A file where the folder should be: as a folder without write permission is for another user.
    writeFileSync(`${databasePath}.pending`, '')
    expect(() => {
      new PendingFacts(databasePath).add('s1', [fact('a'), fact('b')])
    }).toThrow(new RegExp(`^could not keep 2 facts of this session for the database, which are lost: the folder ${databasePath}\\.pending, where the hooks keep facts until they are written, cannot be written \\(EEXIST: .+\\)\\. Make it writable; agent-tracker doctor checks the database and its folder\\.$`))
  })

  it('counts the sessions waiting, files of an earlier version (one per session) too', () => {
    const databasePath = join(tempFolder('pending-'), 'tracker.lmdb')
    const pending = new PendingFacts(databasePath)
    pending.add('s1', [fact('a')])
    pending.add('s1', [fact('b'), fact('c')])
    pending.add('s2', [fact('d')])
    writeFileSync(join(pending.folder, 'old-session.jsonl'), `${JSON.stringify(fact('e'))}\n`)
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 5, sessions: 3, unwritten: 0 })
    // A file a take left behind (its write failed) still counts, as unwritten.
    const [first] = readdirSync(pending.folder).filter((name) => name.startsWith('s2'))
    renameSync(join(pending.folder, first ?? ''), join(pending.folder, `${first ?? ''}.1.1.taken`))
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 5, sessions: 3, unwritten: 1 })
    expect(readFileSync(join(pending.folder, `${first ?? ''}.1.1.taken`), 'utf8')).toContain('"id":"d"')
  })
})
