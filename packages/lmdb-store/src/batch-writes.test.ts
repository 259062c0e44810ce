import { join } from 'node:path'
import type { CollectionName, Fact } from '@agent-tracker/core'
import { resolveRules } from '@agent-tracker/core'
import { planFacts } from '@agent-tracker/core/store'
import { createFactScript } from '@agent-tracker/core/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { appendFactLog, createTransactionReader, deleteRecords, putRecords, sequenceBytes } from './batch-writes.js'
import type { Environment } from './open-environment.js'
import { openEnvironment } from './open-environment.js'
import { LAST_FACT_SEQ_KEY } from './layout.js'

const SETUP = 'build@fake/m1'
const opened: Environment[] = []

function environment(): Environment {
  const db = openEnvironment(join(tempFolder(), 'batch.lmdb'), 64 * 1024 * 1024, false)
  opened.push(db)
  return db
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.root.close()
})

/** Counts the reads of each sub-database (the real LMDB read still runs). */
function countReads(db: Environment): Partial<Record<CollectionName, number>> {
  const reads: Partial<Record<CollectionName, number>> = {}
  for (const [collection, table] of Object.entries(db.tables) as [CollectionName, Environment['tables'][CollectionName]][]) {
    const read = table.get.bind(table)
    table.get = ((key: Parameters<typeof read>[0]) => {
      reads[collection] = (reads[collection] ?? 0) + 1
      return read(key)
    }) as typeof table.get
  }
  return reads
}

describe('applying a batch inside the write transaction', () => {
  it('reads each key once, absent keys included, and indexes new commits without reading them again', () => {
    const db = environment()
    const s = createFactScript({ setup: SETUP, project: '/p' })
    const reads = countReads(db)
    db.root.transactionSync(() => {
      const reader = createTransactionReader(db)
      const plan = planFacts(reader, [s.commit('c1'), s.grade('c1', { by: 'user', userGrade: 5 }), s.commit('c2'), s.toolCall()], resolveRules())
      putRecords(db, plan.writes, reader)
    })
    expect(reads).toEqual({ setups: 1, projects: 1, usage: 1, commits: 2, retrospectives: 1 })
    expect([...db.indexes.commitsBySetup.getKeys({})].map((key) => (key as string[]).filter((_, i) => i !== 1))).toEqual([[SETUP, '/p', 'c1'], [SETUP, '/p', 'c2']])
  })

  it('moves a commit in the by-setup index when its time changes, and leaves no stale entry', () => {
    const db = environment()
    const commit = { v: 1 as const, project: '/p', hash: 'c1', setup: SETUP, at: '2026-01-01T00:00:00.000Z', message: 'first' }
    db.root.transactionSync(() => {
      putRecords(db, [{ collection: 'commits', key: ['/p', 'c1'], record: commit }])
    })
    db.root.transactionSync(() => {
      putRecords(db, [{ collection: 'commits', key: ['/p', 'c1'], record: { ...commit, at: '2026-02-01T00:00:00.000Z' } }])
    })
    expect([...db.indexes.commitsBySetup.getKeys({})]).toEqual([[SETUP, '2026-02-01T00:00:00.000Z', '/p', 'c1']])
    expect([...db.indexes.commitsByTime.getRange({})].map(({ key, value }) => [key, value])).toEqual([[['2026-02-01T00:00:00.000Z', '/p', 'c1'], SETUP]])
    expect([...db.indexes.commitsByProject.getKeys({})]).toEqual([['/p', '2026-02-01T00:00:00.000Z', 'c1']])
    expect([...db.indexes.commitsByHash.getRange({})].map(({ key, value }) => [key, value])).toEqual([[['c1', '/p'], [SETUP, '2026-02-01T00:00:00.000Z']]])
  })

  it('leaves no index entry of a commit an amend replaced, nor of its review', () => {
    const db = environment()
    const first = '3f2a9c41d0b7e65a8c1f2e3d4b5a69788796a5b4'
    const amended = '9b74b9482ad5faff9546262bb5063474358ed29a'
    const s = createFactScript({ setup: SETUP, project: '/p' })
    for (const facts of [[s.commit(first), s.grade(first, { by: 'agent', agentGrade: 2 })], [s.amend(amended, first)]]) {
      db.root.transactionSync(() => {
        const reader = createTransactionReader(db)
        const plan = planFacts(reader, facts, resolveRules())
        deleteRecords(db, plan.deletes)
        putRecords(db, plan.writes, reader)
      })
    }
    const hashes = (keys: Iterable<unknown>, at: number): unknown[] => [...keys].map((key) => (key as string[])[at])
    expect(hashes(db.indexes.commitsBySetup.getKeys({}), 3)).toEqual([amended])
    expect(hashes(db.indexes.commitsByTime.getKeys({}), 2)).toEqual([amended])
    expect(hashes(db.indexes.commitsByProject.getKeys({}), 2)).toEqual([amended])
    expect(hashes(db.indexes.commitsByHash.getKeys({}), 0)).toEqual([amended])
    expect(hashes(db.indexes.retrospectivesBySetup.getKeys({}), 2)).toEqual([amended])
    expect(hashes(db.indexes.retrospectivesByTime.getKeys({}), 2)).toEqual([amended])
    expect(hashes(db.tables.commits.getKeys({}), 1)).toEqual([amended])
  })
})

describe('claiming fact ids', () => {
  it('writes a sequence number as the id index\'s own encoder does, at every width', () => {
    const db = environment()
    const numbers = [0, 1, 31, 32, 63, 64, 127, 128, 255, 256, 257, 1000, 0xffff, 0x1_0000, 70_000, 0xffff_fffe, 0xffff_ffff, 0x1_0000_0000, 2 ** 40]
    db.root.transactionSync(() => {
      for (const seq of numbers) db.factIds.putSync(`encoder-${String(seq)}`, seq)
    })
    for (const seq of numbers) {
      const written = sequenceBytes(seq)
      const stored = db.factIds.getBinary(`encoder-${String(seq)}`)
      // Numbers it leaves to the encoder are those the encoder writes otherwise than 0xcd or 0xce.
      if (written === undefined) expect(seq < 256 || seq > 0xffff_ffff).toBe(true)
      else expect([...written]).toEqual([...(stored ?? [])])
    }
  })

  it('stores each claimed id with its fact\'s sequence number, read back as a number, across every width', () => {
    const db = environment()
    const s = createFactScript({ setup: SETUP, project: '/p' })
    // Batches of 20 facts after a log of so many: each crosses a width's edge (255, 65,535, 2³² − 1).
    for (const logged of [0, 250, 65_530, 0xffff_fff0]) {
      const facts = Array.from({ length: 20 }, () => s.toolCall())
      db.root.transactionSync(() => {
        db.meta.putSync(LAST_FACT_SEQ_KEY, logged)
        const reader = createTransactionReader(db, facts)
        const plan = planFacts(reader, facts, resolveRules())
        putRecords(db, plan.writes, reader)
        appendFactLog(db, reader.firstClaimedSeq, plan.logged)
      })
      expect(facts.map((fact) => db.factIds.get(fact.id))).toEqual(facts.map((_, index) => logged + index + 1))
    }
  })

  it.each(['one by one', 'given its batch'] as const)('claims each new id once in any key order, refuses repeats, and numbers the claims in turn (%s)', (mode) => {
    const db = environment()
    const s = createFactScript({ setup: SETUP, project: '/p' })
    const claim = (ids: readonly string[]): boolean[] => db.root.transactionSync(() => {
      const batch = ids.map((id) => ({ ...s.toolCall(), id }))
      const reader = createTransactionReader(db, mode === 'given its batch' ? batch : undefined)
      const claims = batch.map((fact) => reader.claimFact(fact.id))
      // As the fact log does: the next transaction numbers on from the last claim.
      const count = claims.filter(Boolean).length
      if (count > 0) db.meta.putSync(LAST_FACT_SEQ_KEY, reader.firstClaimedSeq + count - 1)
      return claims
    })
    // Rising, as generated ids come; then below the stored ones, interleaved and repeated; then ids
    // whose order as JavaScript compares them (UTF-16) is not the order LMDB keeps (UTF-8 bytes):
    // U+FFFF sorts above U+10000 in UTF-16 and below it in UTF-8. A claim tried as an append that
    // LMDB refuses must still be made.
    expect(claim(['m-1', 'm-2', 'm-3'])).toEqual([true, true, true])
    expect(claim(['a-1', 'z-9', 'm-2', 'z-9', 'n-1', 'm-4', 'b-1', 'z-10', 'm-1'])).toEqual([true, true, false, false, true, true, true, true, false])
    expect(claim(['\u{10000}', '\u{FFFF}', '\u{10000}', '\u{FFFF}', 'zz'])).toEqual([true, true, false, false, true])
    expect(claim(['\u{10FFFF}', '\u{10FFFF}'])).toEqual([true, false])

    const claimed = ['m-1', 'm-2', 'm-3', 'a-1', 'z-9', 'n-1', 'm-4', 'b-1', 'z-10', '\u{10000}', '\u{FFFF}', 'zz', '\u{10FFFF}']
    expect(claimed.map((id) => db.factIds.get(id))).toEqual(claimed.map((_, index) => index + 1))
    expect([...db.factIds.getKeys()]).toHaveLength(claimed.length)
  })

  it('given its batch, claims and numbers a large batch in no key order, partly stored already, as one by one does', () => {
    const s = createFactScript({ setup: SETUP, project: '/p' })
    // Ids in no order (a provider's), some stored by an earlier batch, some repeated within the batch.
    let state = 7
    const random = (): number => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31)
    const ids = Array.from({ length: 3000 }, () => `opencode:ses_1:toolu_${random().toString(36)}`)
    const earlier = ids.filter((_, index) => index % 7 === 3)
    const batch = [...ids, ...ids.filter((_, index) => index % 11 === 5)].map((id) => ({ ...s.toolCall(), id }))
    const outcome = (mode: 'one by one' | 'given its batch'): { claims: boolean[]; stored: unknown[] } => {
      const db = environment()
      db.root.transactionSync(() => {
        earlier.forEach((id, index) => {
          db.factIds.putSync(id, index + 1)
        })
        db.meta.putSync(LAST_FACT_SEQ_KEY, earlier.length)
      })
      const claims = db.root.transactionSync(() => {
        const reader = createTransactionReader(db, mode === 'given its batch' ? batch : undefined)
        return batch.map((fact) => reader.claimFact(fact.id))
      })
      return { claims, stored: ids.map((id) => db.factIds.get(id)) }
    }
    const given = outcome('given its batch')
    expect(given).toEqual(outcome('one by one'))
    // Every stored id kept its number; the new ones are numbered on from them, in the batch's order.
    expect(given.claims.filter(Boolean)).toHaveLength(new Set(ids).size - new Set(earlier).size)
    expect(new Set(given.stored).size).toBe(new Set(ids).size)
  })

  it('given its batch, answers claims in the batch\'s order past its holes, and refuses a claim out of that order, keeping none', () => {
    const db = environment()
    const s = createFactScript({ setup: SETUP, project: '/p' })
    const [first, second, third] = [s.toolCall(), s.toolCall(), s.toolCall()]
    // A hole, as a sparse array has: planning skips it without a claim.
    const withHole: Fact[] = [first]
    withHole[2] = second
    db.root.transactionSync(() => {
      const reader = createTransactionReader(db, withHole)
      expect([reader.claimFact(first.id), reader.claimFact(second.id)]).toEqual([true, true])
      db.meta.putSync(LAST_FACT_SEQ_KEY, 2)
    })
    expect([first, second].map((fact) => db.factIds.get(fact.id))).toEqual([1, 2])
    expect(() => {
      db.root.transactionSync(() => {
        const reader = createTransactionReader(db, [first, second, third])
        reader.claimFact(second.id)
      })
    }).toThrow(/claimed out of the order of its batch/)
    expect(db.factIds.get(third.id)).toBeUndefined()
  })
})
