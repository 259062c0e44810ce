import type { CollectionName, Fact, RecordKey, RecordQuery, TrackerStore } from '@agent-tracker/core'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { withWriteBuffer } from './write-buffer.js'

const SETUP = 'build@fake/m1'
const OTHER_SETUP = 'plan@fake/m2'
const PROJECT = '/home/dev/shop'
const OTHER_PROJECT = '/home/dev/blog'
const GRADES = [-1, 1, 2, 5] as const
/** One of a few commit hashes, full length so that an amend can name them. */
const hashOf = (n: number): string => `c0ffee${String(n)}`.padEnd(40, '0')

const stores: [string, () => TrackerStore][] = [
  ['memory', () => createMemoryStore()],
  ['lmdb', () => openLmdbStore({ databasePath: ':memory:' })],
]

describe.each(stores)('reads through the buffer over %s', (_, openStore) => {
  it('show the stored state as it is now plus the pending facts when another writer changes the same setup', async () => {
    const store = openStore()
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    const mine = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 1000 })
    const theirs = createFactScript({ setup: SETUP, project: OTHER_PROJECT, stepMs: 1000 })
    const neighbour = createFactScript({ setup: OTHER_SETUP, project: PROJECT, stepMs: 1000 })
    buffer.append([...Array.from({ length: 10 }, () => mine.toolCall()), mine.commit('aaaa1111')])
    expect((await buffer.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 10, commits: 1 })

    await store.applyFacts(Array.from({ length: 5 }, () => theirs.toolCall()))
    expect((await buffer.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 15, commits: 1 })
    buffer.append([mine.toolCall()])
    expect((await buffer.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 16, commits: 1 })

    // Another process records the same commit first: the pending one becomes a repeat.
    await store.applyFacts([neighbour.commit('aaaa1111')])
    expect((await buffer.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 16, commits: 0 })
    expect((await buffer.find('commits', { project: PROJECT })).map((c) => c.setup)).toEqual([OTHER_SETUP])

    const seen = await buffer.get('setups', [SETUP])
    expect(await buffer.flush()).toMatchObject({ factsWritten: 12, skipped: 1, errors: [] })
    expect(await store.get('setups', [SETUP])).toEqual(seen)
    await buffer.close()
  })

  it('count a pending fact whose id is stored already (or pending already) as nothing, as the flush will', async () => {
    const store = openStore()
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    const mine = createFactScript({ setup: SETUP, project: PROJECT })
    const call = mine.toolCall()
    const commit = mine.commit('bbbb2222')
    await store.applyFacts([call, commit])
    const fresh = mine.toolCall()
    buffer.append([{ ...call, ok: false }, commit, fresh, fresh])
    expect((await buffer.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 2, toolFailures: 0, commits: 1 })
    expect(await buffer.find('usage', { setup: SETUP })).toEqual([expect.objectContaining({ toolCalls: 2, commits: 1 })])
    expect(await buffer.flush()).toMatchObject({ factsWritten: 4, skipped: 3 })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 2, toolFailures: 0, commits: 1 })
    await buffer.close()
  })

  it('show an amend pending after reads of its commit: the grades and bugs given to the commit, pending or stored, follow it', async () => {
    const store = openStore()
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    const mine = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([mine.commit(hashOf(1), 'feat'), mine.bug('user', 'stored bug', hashOf(1))])
    buffer.append([mine.grade(hashOf(1), { by: 'agent', agentGrade: 2 })])
    expect((await buffer.find('gradeEvents', { setup: SETUP })).map((event) => event.commit)).toEqual([hashOf(1)])
    buffer.append([mine.amend(hashOf(2), hashOf(1), 'feat, linted')])
    const reads = async (through: TrackerStore): Promise<unknown[]> => [
      (await through.find('gradeEvents', { setup: SETUP })).map((event) => event.commit),
      (await through.find('bugs', { setup: SETUP })).map((bug) => bug.commit),
      (await through.find('commits', { project: PROJECT })).map((commit) => commit.hash),
      await through.get('retrospectives', [SETUP, hashOf(1)]),
      (await through.get('retrospectives', [SETUP, hashOf(2)]))?.agentGrade,
    ]
    const shown = await reads(buffer)
    expect(shown).toEqual([[hashOf(2)], [hashOf(2)], [hashOf(2)], undefined, 2])
    await buffer.flush()
    expect(await reads(store)).toEqual(shown)
    await buffer.close()
  })

  it('start over after a flush, also in a scope that had nothing pending', async () => {
    const buffer = withWriteBuffer(openStore(), { maxPending: false, maxAgeMs: false })
    const mine = createFactScript({ setup: SETUP, project: PROJECT })
    const neighbour = createFactScript({ setup: OTHER_SETUP, project: PROJECT })
    buffer.append(Array.from({ length: 5 }, () => neighbour.toolCall()))
    expect(await buffer.get('setups', [SETUP])).toBeUndefined()
    await buffer.flush()
    buffer.append(Array.from({ length: 3 }, () => mine.toolCall()))
    expect((await buffer.get('setups', [SETUP]))?.state.toolCalls).toBe(3)
    await buffer.close()
  })

  it('answer exactly as planning every pending fact afresh would, while facts, reads, flushes and other writers interleave', async () => {
    const store = openStore()
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    const scripts = [SETUP, OTHER_SETUP].flatMap((setup) =>
      [PROJECT, OTHER_PROJECT].map((project) => createFactScript({ setup, project, stepMs: 3_600_000 })),
    )
    // Another process, writing to the same database behind the buffer's back.
    const outsiders = [SETUP, OTHER_SETUP].map((setup) => createFactScript({ setup, project: PROJECT, start: '2026-01-02T00:00:00.000Z', stepMs: 3_600_000 }))
    let pending: Fact[] = []
    const sent: Fact[] = []
    let seed = 7
    // Each amend makes a commit of its own, as git does.
    let amends = 0
    const pick = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return Math.floor((seed / 2147483648) * n)
    }
    const nextFact = (): Fact => {
      const script = scripts[pick(scripts.length)] ?? createFactScript({ setup: SETUP, project: PROJECT })
      const hash = hashOf(pick(6))
      // Now and then a fact sent before comes again (pending or stored): a repeat by its id.
      const again = pick(10) === 0 ? sent[pick(sent.length)] : undefined
      if (again !== undefined) return again
      switch (pick(8)) {
        case 0: return script.commit(hash)
        case 1: return script.grade(hash, pick(2) === 0 ? { by: 'user', userGrade: GRADES[pick(4)] ?? 1 } : { by: 'agent', agentGrade: GRADES[pick(4)] ?? 1 })
        case 2: return script.bug()
        case 3: return script.usage({ input: 100 }, 0.01)
        case 4: return script.activity('task')
        case 5: return script.amend(hashOf(100 + (amends += 1)), hash)
        default: return script.toolCall('bash', pick(5) !== 0)
      }
    }
    const reads: [CollectionName, RecordKey | RecordQuery][] = [
      ['setups', [SETUP]], ['setups', [OTHER_SETUP]], ['projects', [PROJECT]],
      ['usage', { setup: SETUP }], ['usage', { project: OTHER_PROJECT }], ['commits', { project: PROJECT }], ['commits', {}],
      ['retrospectives', { setup: SETUP }], ['gradeEvents', { setup: OTHER_SETUP }], ['bugs', {}], ['activities', { setup: SETUP, limit: 2 }],
    ]
    const read = (through: TrackerStore, [collection, target]: [CollectionName, RecordKey | RecordQuery]): Promise<unknown> =>
      Array.isArray(target) ? through.get(collection, target as RecordKey) : through.find(collection, target as RecordQuery)

    for (let step = 0; step < 300; step++) {
      const action = pick(20)
      if (action < 10) {
        const facts = Array.from({ length: 1 + pick(3) }, nextFact)
        buffer.append(facts)
        pending = [...pending, ...facts]
        sent.push(...facts)
      } else if (action < 16) {
        const target = reads[pick(reads.length)] ?? reads[0] ?? ['setups', [SETUP]]
        const fresh = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
        fresh.append(pending)
        expect(await read(buffer, target)).toEqual(await read(fresh, target))
      } else if (action < 19) {
        const outsider = outsiders[pick(outsiders.length)] ?? createFactScript({ setup: SETUP, project: PROJECT })
        const hash = hashOf(pick(6))
        const choice = pick(5)
        // The outsider may also send a fact this buffer holds pending (a host resending it).
        const resent = choice === 3 ? pending[pick(pending.length)] : undefined
        const made = choice === 0 ? outsider.toolCall() : choice === 1 ? outsider.commit(hash) : choice === 4 ? outsider.amend(hashOf(100 + (amends += 1)), hash) : outsider.grade(hash, { by: 'agent', agentGrade: 2 })
        await store.applyFacts([resent ?? made])
      } else {
        // What the buffer shows before a flush is what is stored after it.
        const before = await Promise.all(reads.map((target) => read(buffer, target)))
        expect((await buffer.flush()).errors).toEqual([])
        expect(await Promise.all(reads.map((target) => read(store, target)))).toEqual(before)
        pending = []
      }
    }
    await buffer.close()
  })
})
