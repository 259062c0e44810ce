import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Fact, RecordQuery, TrackerStore } from '@agent-tracker/core'
import { SCHEMA_VERSION, priorArt } from '@agent-tracker/core'
import type { SearchedCollection } from '@agent-tracker/core/store'
import { SEARCHED_COLLECTIONS, recordEntry, searchDigest, searchEntryList } from '@agent-tracker/core/store'
import { createFactScript, createMemoryStore, searchDigestOfWords1 } from '@agent-tracker/core/testing'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { lastFactSeq } from './batch-writes.js'
import { deepCheck } from './deep-check.js'
import { encodeFactBatch } from './fact-log-codec.js'
import { LAST_FACT_SEQ_KEY, META, SEARCHED_THROUGH_KEY, SEARCH_BUILD_KEY, SEARCH_DATABASES, SUB_DATABASES, STRUCTURES_KEY, keyPart, searchMarkKeys, toLmdbKey } from './layout.js'
import { openTables } from './open-environment.js'
import { openLmdbStore } from './open-lmdb-store.js'
import { keyParts, searchKey, searchReadOptions, visitSearchEntries } from './search-index.js'
import { asSchema2, asSearchWords1, asSearchWords2, writeSearchEntryOfWords1 } from './testing.js'

const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'plan@openai/gpt-5'
const SHOP = '/home/dev/shop'
const API = '/home/dev/api'

/** Two setups in two projects: every searched kind, grades that add notes later, bugs against commits. */
function history(): Fact[] {
  const shop = createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-01T09:00:00.000Z', stepMs: 13 * 60_000, session: 'ses_1' })
  const api = createFactScript({ setup: GPT, project: API, start: '2026-03-01T10:00:00.000Z', stepMs: 17 * 60_000 })
  const facts: Fact[] = []
  for (let i = 0; i < 15; i++) {
    facts.push(shop.commit(`5a${String(i)}c0ffee`, `stripe webhook retries, part ${String(i)}`), shop.activity(`retry flaky webhook test ${String(i)}`, i % 4 === 0 ? 'the build broke' : 'done'))
    facts.push(shop.retrospective(`5a${String(i)}c0ffee`, i % 3 === 0 ? { agentNote: 'kept it small' } : { task: `webhook idempotency ${String(i)}`, userNote: 'fine' }))
    facts.push(api.commit(`ap${String(i)}beef`, `parser cache ${String(i)}`), api.activity(`cache invalidation ${String(i)}`))
    if (i % 4 === 1) facts.push(api.bug('user', i % 8 === 1 ? undefined : `cache broke ${String(i)}`, `ap${String(i)}beef`))
    if (i % 5 === 2) facts.push(shop.grade(`5a${String(i)}c0ffee`, { by: 'user', userGrade: 5, userNote: `excellent stripe handling ${String(i)}` }))
  }
  return facts
}

/** A closed database of schema 3 holding {@link history}. */
async function storedHistory(): Promise<string> {
  const databasePath = join(tempFolder(), 'tracker.lmdb')
  const store = openLmdbStore({ databasePath })
  await store.applyFacts(history())
  await store.close()
  return databasePath
}

/** A collection's search entries, decoded: what the index holds. */
async function indexed(store: TrackerStore, collection: SearchedCollection, query: RecordQuery = {}): Promise<unknown[]> {
  const entries = await searchEntryList(store, collection, query)
  return entries.map((entry) => ({ key: entry.key(), at: entry.at(), digest: [...entry.digest] }))
}

/** The same, made from the collection's records: what the index should hold. */
async function expected(store: TrackerStore, collection: SearchedCollection, query: RecordQuery = {}): Promise<unknown[]> {
  return (await store.find(collection, query)).map((record) => ({ key: recordEntry(collection, record).key(), at: record.at, digest: [...searchDigest(collection, record)] }))
}

async function expectInStep(store: TrackerStore, query: RecordQuery = {}): Promise<void> {
  for (const collection of SEARCHED_COLLECTIONS) expect(await indexed(store, collection, query), collection).toEqual(await expected(store, collection, query))
}

describe('the search indexes', () => {
  it('hold each searched record’s digest, in time order, in step through grades, notes, bugs, imports, reattribution and merges', async () => {
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    const facts = history()
    for (let from = 0; from < facts.length; from += 7) await store.applyFacts(facts.slice(from, from + 7))
    await expectInStep(store)
    expect(await indexed(store, 'activities')).toHaveLength(30)

    // Imports, then a reattribution that moves every record of the api project to Sonnet.
    await store.importRecords({
      commits: [{ v: 1, project: API, hash: 'imp1', setup: GPT, at: '2026-02-01T10:00:00.000Z', message: 'imported stripe change' }],
      activities: [{ v: 1, id: 'imp-a', setup: GPT, project: API, at: '2026-02-01T11:00:00.000Z', task: 'imported webhook task', actions: '', outcome: 'failed', decisions: '' }],
    })
    await expectInStep(store)
    await store.reattribute({ from: GPT, to: SONNET, project: API, source: 'journal' })
    await expectInStep(store)
    expect((await indexed(store, 'commits')).filter((entry) => (entry as { key: string[] }).key[0] === API)).toHaveLength(16)
    await store.close()
  })

  it('give the newest entries of a window, at most the limit, as the records read by time do', async () => {
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    await store.applyFacts(history())
    for (const query of [{ limit: 5 }, { since: '2026-03-01T12:00:00.000Z' }, { until: '2026-03-01T13:00:00.000Z', limit: 4 }, { since: '2026-03-01T11:00:00.000Z', until: '2026-03-01T14:30:00.000Z' }, { limit: 0 }]) {
      await expectInStep(store, query)
    }
    await store.close()
  })

  it('find the same prior art as a search of the records themselves', async () => {
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    const reference = createMemoryStore()
    const facts = history()
    await store.applyFacts(facts)
    await reference.applyFacts(facts)
    let hits = 0
    for (const task of ['stripe webhook retries', 'cache broke', 'parser', 'flaky test', 'kept small', 'nothing matches this']) {
      for (const depth of [3, 2000]) {
        const found = await priorArt(store, { task, depth })
        expect(found).toEqual(await priorArt(reference, { task, depth }))
        hits += found.patterns.length + found.mistakes.length
      }
    }
    expect(hits).toBeGreaterThan(40)
    await store.close()
  })

  it('are built after a database of schema 2 is first opened for writing, a step at a time; read-only, it is read as it is and searched through its records', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const writer = openLmdbStore({ databasePath })
    await writer.applyFacts(history())
    const before = await priorArt(writer, { task: 'stripe webhook cache' })
    await writer.close()
    await asSchema2(databasePath)
    const file = readFileSync(databasePath)

    // Read-only opens (read commands, a merge source) leave it as it is, and read it.
    for (const options of [{ readOnly: true }, { readOnly: true, upgrade: false }]) {
      const asIs = openLmdbStore({ databasePath, ...options })
      expect(await asIs.schemaVersion()).toBe(2)
      expect(asIs.searchIndexes()).toBe('absent')
      const entries = await searchEntryList(asIs, 'activities', { limit: 3 })
      expect(entries.map((entry) => entry.record !== undefined)).toEqual([true, true, true])
      expect(await priorArt(asIs, { task: 'stripe webhook cache' })).toEqual(before)
      await asIs.close()
    }
    expect(readFileSync(databasePath).equals(file)).toBe(true)

    const upgraded = openLmdbStore({ databasePath })
    expect(await upgraded.schemaVersion()).toBe(SCHEMA_VERSION)
    // The open upgraded the schema and started the build: until it is done, searches read the records.
    expect(upgraded.searchIndexes()).toBe('building')
    const total = 30 + 15 + 30 + 4
    expect(upgraded.searchIndexBuild()).toEqual({ built: 0, total, done: false })
    expect(await priorArt(upgraded, { task: 'stripe webhook cache' })).toEqual(before)
    expect(await upgraded.continueSearchIndexBuild(50)).toEqual({ built: 50, total, done: false })
    expect(upgraded.searchIndexes()).toBe('building')
    expect(await upgraded.continueSearchIndexBuild(50)).toEqual({ built: total, total, done: true })
    expect(upgraded.searchIndexes()).toBe('in step')
    expect(upgraded.searchIndexBuild()).toBeUndefined()
    expect(await upgraded.continueSearchIndexBuild()).toEqual({ built: 0, total: 0, done: true })
    await expectInStep(upgraded)
    expect((await searchEntryList(upgraded, 'activities', { limit: 3 })).map((entry) => entry.record)).toEqual([undefined, undefined, undefined])
    expect(await priorArt(upgraded, { task: 'stripe webhook cache' })).toEqual(before)
    await upgraded.close()
  })

  it.each([[1, asSearchWords1], [2, asSearchWords2]] as const)('are rebuilt once, a step at a time, in a database whose words a release cut as version %i of the search words did; read-only, it is searched through its records', async (_, asEarlier) => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const later = createFactScript({ setup: SONNET, project: SHOP, start: '2026-04-01T00:00:00.000Z', stepMs: 60_000 })
    const facts = [...history(), later.activity('हिन्दी अनुवाद जोड़ें'), later.activity('Re\u0301sume\u0301 upload'), later.activity('Café menu'), later.activity('修复了数据库连接问题')]
    const reference = createMemoryStore()
    await reference.applyFacts(facts)
    const writer = openLmdbStore({ databasePath })
    await writer.applyFacts(facts)
    await writer.close()
    await asEarlier(databasePath)
    const file = readFileSync(databasePath)
    const queries = ['हिन्दी', 'अनार', 'résumé', 'cafe', 'stripe webhook cache', '数据库']
    const answers = await Promise.all(queries.map((task) => priorArt(reference, { task })))
    expect(answers.map((answer) => answer.patterns.length)).toEqual([1, 0, 1, 1, 10, 1])
    const sameAnswers = async (store: TrackerStore): Promise<void> => {
      for (const [index, task] of queries.entries()) expect(await priorArt(store, { task }), task).toEqual(answers[index])
    }

    // Read-only opens leave it as it is, and search its records, not its digests.
    const asIs = openLmdbStore({ databasePath, readOnly: true })
    expect(asIs.searchIndexes()).toBe('outdated')
    expect((await searchEntryList(asIs, 'activities', { limit: 1 }))[0]?.record).toBeDefined()
    await sameAnswers(asIs)
    await asIs.close()
    expect(readFileSync(databasePath).equals(file)).toBe(true)

    // A writable open writes nothing for it (no write lock taken on the opening thread): the first step
    // of the build, which waits for the lock off that thread, empties the indexes and starts it;
    // searches read the records until it is done.
    const upgraded = openLmdbStore({ databasePath })
    expect(await upgraded.schemaVersion()).toBe(SCHEMA_VERSION)
    expect(readFileSync(databasePath).equals(file)).toBe(true)
    expect(upgraded.searchIndexes()).toBe('outdated')
    expect(upgraded.searchIndexBuild()).toBeUndefined()
    await sameAnswers(upgraded)
    const total = 30 + 19 + 30 + 4
    expect(await upgraded.continueSearchIndexBuild(50)).toEqual({ built: 50, total, done: false })
    expect(upgraded.searchIndexes()).toBe('building')
    await sameAnswers(upgraded)
    expect(await upgraded.continueSearchIndexBuild(50)).toEqual({ built: total, total, done: true })
    expect(upgraded.searchIndexes()).toBe('in step')
    await expectInStep(upgraded)
    expect((await searchEntryList(upgraded, 'activities', { limit: 1 }))[0]?.record).toBeUndefined()
    await sameAnswers(upgraded)
    await upgraded.close()

    // Once: the next open finds them in step and starts nothing.
    const reopened = openLmdbStore({ databasePath })
    expect(reopened.searchIndexes()).toBe('in step')
    await reopened.close()
  })

  it('are built again when a process of version 1 of the search words wrote, during the build, a record the build had passed: none keeps words cut the old way', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const later = createFactScript({ setup: SONNET, project: SHOP, start: '2026-04-01T00:00:00.000Z', stepMs: 60_000 })
    const oldWrite = later.activity('Café menu')
    const reference = createMemoryStore()
    await reference.applyFacts([...history(), oldWrite])
    const written = openLmdbStore({ databasePath })
    await written.applyFacts(history())
    await written.close()
    await asSearchWords1(databasePath)
    const store = openLmdbStore({ databasePath })
    // 15 retrospectives and 30 activities, 30 commits, 4 bugs: the first step ends among the commits.
    expect(await store.continueSearchIndexBuild(60)).toEqual({ built: 60, total: 79, done: false })
    // A process of the earlier release (open since before) writes an activity now: its fact, its
    // record, and its search entry with the words cut its way; it knows nothing of this build.
    await writeActivityAsSearchWords1(databasePath, reference, oldWrite)
    expect(store.searchIndexes()).toBe('building')
    // The pass that reaches the end sees a batch of another release since it began, and takes another.
    expect(await store.continueSearchIndexBuild(60)).toMatchObject({ built: 0, done: false })
    for (let step = 0; step < 10 && !(await store.continueSearchIndexBuild(60)).done; step++) { /* until done */ }
    expect(store.searchIndexes()).toBe('in step')
    // Its record's entry holds the words as this release cuts them, and a search finds it.
    const [record] = (await reference.find('activities', {})).filter((activity) => activity.at === oldWrite.at)
    if (record === undefined) throw new Error('the reference lacks the activity')
    const entry = (await searchEntryList(store, 'activities', { since: oldWrite.at })).find((each) => each.at() === oldWrite.at)
    expect(entry?.record).toBeUndefined()
    expect([...entry?.digest ?? []]).toEqual([...searchDigest('activities', record)])
    const found = await priorArt(store, { task: 'cafe' })
    expect(found).toEqual(await priorArt(reference, { task: 'cafe' }))
    expect(found.patterns).toHaveLength(1)
    await store.close()
  })

  it('name the entries an earlier release wrote its way without a fact during a rebuild (a merge\'s records), which no mark shows, until a repair', async () => {
    const databasePath = await storedHistory()
    const written = openLmdbStore({ databasePath })
    expect(await written.searchEntriesOutOfStep()).toEqual({ count: 0, first: [] })
    const [record] = await written.find('activities', { limit: 1 })
    await written.close()
    if (record === undefined) throw new Error('the history has journal entries')
    const key = recordEntry('activities', record).key()
    // A merge of a release of version 1 of the search words, while the build ran: its records' entries its way, no fact.
    await writeSearchEntryOfWords1(databasePath, 'activities', key, record, { task: 'Café menu' })
    const store = openLmdbStore({ databasePath })
    expect(store.searchIndexes()).toBe('in step')
    expect(await store.searchEntriesOutOfStep()).toEqual({ count: 1, first: [{ collection: 'activities', key }] })
    await store.repairSearchIndexes()
    expect(await store.searchEntriesOutOfStep()).toEqual({ count: 0, first: [] })
    await store.close()
  })

  it('are rebuilt by the background build once behind, as a repair would: a step at a time, from the first record', async () => {
    const databasePath = await storedHistory()
    // A release of version 1 of the search words rebuilt them its way and marked them under its key.
    const earlier = open({ path: databasePath, maxDbs: 32 })
    const meta = earlier.openDB({ name: META })
    earlier.transactionSync(() => { meta.putSync(searchMarkKeys(1).searchedThrough, meta.get(SEARCHED_THROUGH_KEY)); })
    await earlier.close()
    const store = openLmdbStore({ databasePath })
    expect(store.searchIndexes()).toBe('behind')
    expect(store.searchIndexBuildPending()).toBe(true)
    expect(await store.continueSearchIndexBuild(50)).toMatchObject({ built: 50, done: false })
    expect(store.searchIndexes()).toBe('building')
    expect(await store.continueSearchIndexBuild(50)).toMatchObject({ done: true })
    expect(store.searchIndexes()).toBe('in step')
    expect(store.searchIndexBuildPending()).toBe(false)
    await expectInStep(store)
    await store.close()
  })

  it('are known to be behind when a release of version 1 of the search words marks them its way after they were rebuilt, until a repair', async () => {
    const databasePath = await storedHistory()
    // Its doctor --repair rebuilds them with its words and marks them under its own key.
    const earlier = open({ path: databasePath, maxDbs: 32 })
    const meta = earlier.openDB({ name: META })
    expect(meta.get(SEARCHED_THROUGH_KEY)).toBeGreaterThan(0)
    earlier.transactionSync(() => { meta.putSync(searchMarkKeys(1).searchedThrough, meta.get(SEARCHED_THROUGH_KEY)); })
    await earlier.close()
    const store = openLmdbStore({ databasePath })
    expect(store.searchIndexes()).toBe('behind')
    expect(await store.repairSearchIndexes()).toBeGreaterThan(60)
    expect(store.searchIndexes()).toBe('in step')
    await store.close()
  })

  it('stay in step with what is written between the steps of a build, in this process and another, and the build stops at the size limit', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const facts = history()
    const half = Math.floor(facts.length / 2)
    const writer = openLmdbStore({ databasePath })
    await writer.applyFacts(facts.slice(0, half))
    await writer.close()
    await asSchema2(databasePath)

    const store = openLmdbStore({ databasePath })
    const other = openLmdbStore({ databasePath })
    expect(store.searchIndexes()).toBe('building')
    let steps = 0
    for (let from = half; ; from += 5) {
      // Writes ahead of the build and behind it, by both processes' stores, each a transaction of its own.
      if (from < facts.length) await (steps % 2 === 0 ? store : other).applyFacts(facts.slice(from, from + 5))
      const step = await (steps % 3 === 0 ? other : store).continueSearchIndexBuild(4)
      steps += 1
      if (step.done && from >= facts.length) break
    }
    expect(steps).toBeGreaterThan(10)
    expect(other.searchIndexes()).toBe('in step')
    await expectInStep(store)
    const reference = createMemoryStore()
    await reference.applyFacts(facts)
    expect(await priorArt(store, { task: 'stripe webhook retries cache' })).toEqual(await priorArt(reference, { task: 'stripe webhook retries cache' }))
    await other.close()
    await store.close()

    // A build whose entries would pass the size limit writes nothing, and says why; a smaller step fits.
    const fullPath = join(tempFolder(), 'tracker.lmdb')
    const filler = openLmdbStore({ databasePath: fullPath })
    const journal = createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
    await filler.applyFacts(Array.from({ length: 700 }, (_, i) => journal.activity(`${String(i)} ${'stripe webhook retries '.repeat(60)}`)))
    await filler.close()
    await asSchema2(fullPath)
    const upgrading = openLmdbStore({ databasePath: fullPath })
    const used = upgrading.info().usedBytes
    await upgrading.close()
    expect(used).toBeGreaterThan(1024 * 1024)
    const tight = openLmdbStore({ databasePath: fullPath, maxDatabaseSize: used + 48 * 1024 })
    const refused = await tight.continueSearchIndexBuild(10_000).catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'DATABASE_FULL' })
    expect(tight.searchIndexBuild()).toEqual({ built: 0, total: 700, done: false })
    expect(await tight.continueSearchIndexBuild(5)).toEqual({ built: 5, total: 700, done: false })
    expect(tight.searchIndexes()).toBe('building')
    await tight.close()
  })

  it('start a build again from the first record when where it stopped is garbled', async () => {
    const databasePath = await storedHistory()
    await asSchema2(databasePath)
    const upgrading = openLmdbStore({ databasePath })
    expect(await upgrading.continueSearchIndexBuild(30)).toMatchObject({ built: 30, done: false })
    await upgrading.close()
    for (const garbled of [{ collection: 'two', after: null, built: 30 }, { collection: 1, after: [7], built: 30 }, 'x']) {
      const root = open({ path: databasePath, maxDbs: 32 })
      root.transactionSync(() => { root.openDB({ name: META }).putSync(SEARCH_BUILD_KEY, garbled); })
      await root.close()
      const store = openLmdbStore({ databasePath })
      expect(store.searchIndexBuild()).toMatchObject({ built: 0, done: false })
      let step = await store.continueSearchIndexBuild(40)
      while (!step.done) step = await store.continueSearchIndexBuild(40)
      expect(store.searchIndexes()).toBe('in step')
      await expectInStep(store)
      await store.close()
      await asSchema2(databasePath)
      await openLmdbStore({ databasePath }).close()
    }
  })

  it('keep key parts of any bytes, long ones as their digests, the parts’ own order within a time, and times before 1970 in order', () => {
    const at = '2026-03-01T09:00:00.000Z'
    for (const [collection, key] of [['commits', ['a', 'b']], ['retrospectives', ['with\u0000nul', '\u0001\u0002']], ['activities', ['ü', at, 'x'.repeat(5000)]], ['bugs', ['s', '2026-03-01T09:00:00Z', 'id']]] as const) {
      expect(keyParts(searchKey(collection, at, key))).toEqual(toLmdbKey(key))
    }
    const sorted = [['a', 'z'], ['a\u0000', 'a'], ['a\u0001', 'a'], ['ab', ''], ['b', 'a']]
    const keys = sorted.map((key) => searchKey('commits', at, key))
    expect([...keys].sort((a, b) => Buffer.compare(a, b))).toEqual(keys)
    const times = ['1900-01-01T00:00:00.000Z', '1950-06-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', at, '9999-12-31T00:00:00.000Z']
    const timed = times.map((time) => searchKey('retrospectives', time, ['z', 'z']))
    expect([...timed].sort((a, b) => Buffer.compare(a, b))).toEqual(timed)
    // A journal entry's time is in its key once, as the entry's first bytes.
    expect(searchKey('activities', at, ['s', at, 'id']).length).toBe(searchKey('commits', at, ['s', 'id']).length)
  })

  it('are read back, without copies, with the keys and times they were written under, of any bytes and any time', async () => {
    const root = open({ path: join(tempFolder(), 'raw.lmdb'), maxDbs: 4 })
    const index = root.openDB<Buffer, Buffer>({ name: SEARCH_DATABASES.commits, keyEncoding: 'binary', encoding: 'binary' })
    const times = ['1900-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2026-03-01T09:00:00.000Z', '9999-12-31T23:59:59.999Z', '+275760-09-13T00:00:00.000Z']
    const parts = ['ü/日本', 'with\u0000nul', '\u0001', 'x'.repeat(5000)]
    const written = times.flatMap((at, n) => parts.map((part, p) => ({ at, key: [part, `c${String(n)}${String(p)}`], digest: searchDigest('commits', { v: 1, setup: part, project: '/w', at, hash: `c${String(n)}${String(p)}`, message: `commit ${part}` }) })))
    root.transactionSync(() => {
      for (const { at, key, digest } of written) index.putSync(searchKey('commits', at, key), Buffer.from(digest))
    })
    const reads = root.openDB<Uint8Array>(searchReadOptions(SEARCH_DATABASES.commits))
    const read: { key: readonly string[]; at: string; digest: number[] }[] = []
    visitSearchEntries(reads, SEARCH_DATABASES.commits, {}, (entry, digest) => read.push({ key: entry.key(), at: entry.at(), digest: [...digest] }))
    // The index's order, reversed: by the key's bytes, greatest first.
    const newestFirst = [...written].sort((a, b) => Buffer.compare(searchKey('commits', b.at, b.key), searchKey('commits', a.at, a.key)))
    expect(read).toEqual(newestFirst.map(({ at, key, digest }) => ({ key: toLmdbKey(key), at, digest: [...digest] })))
    // A window and a limit: the newest five from 1969 on, before the last instant of 9999.
    const windowed: string[] = []
    visitSearchEntries(reads, SEARCH_DATABASES.commits, { since: '1969-01-01T00:00:00.000Z', until: '9999-12-31T23:59:59.999Z', limit: 5 }, (entry) => windowed.push(entry.at()))
    expect(windowed).toEqual(['2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z', '1969-12-31T23:59:59.999Z'])
    await root.close()
  })

  it('write the layout docs/database.md gives for every time and part, the quick way or the general one', () => {
    // The layout, written plainly: 8 bytes of time + 8.64e15 (0 for an unreadable time), the form,
    // then each part's UTF-8 with bytes 0 and 1 escaped, each ended by 0.
    const layout = (collection: SearchedCollection, at: string, key: readonly string[]): Buffer => {
      const ms = Date.parse(at)
      const time = Number.isNaN(ms) ? 0n : BigInt(ms) + 8_640_000_000_000_000n
      const withoutTime = (collection === 'activities' || collection === 'bugs') && key.length === 3 && key[1] === at && new Date(Number(time - 8_640_000_000_000_000n)).toISOString() === at
      const head = Buffer.alloc(9)
      head.writeBigUInt64BE(time, 0)
      head[8] = withoutTime ? 1 : 0
      const parts = (withoutTime ? [key[0] ?? '', key[2] ?? ''] : key).map((part) => {
        const bytes = [...Buffer.from(keyPart(part), 'utf8')].flatMap((byte) => (byte <= 1 ? [1, byte + 1] : [byte]))
        return Buffer.from([...bytes, 0])
      })
      return Buffer.concat([head, ...parts])
    }
    const times = [
      '2026-03-01T09:00:00.000Z', '2024-02-29T23:59:59.999Z', '2026-02-29T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '2026-04-31T12:00:00.000Z',
      '2026-01-01T24:00:00.000Z', '2026-03-01T09:00:00Z', '2026-03-01T09:00:00.000+02:00', '1969-12-31T23:59:59.999Z', '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z', '+275760-09-13T00:00:00.000Z', 'not a time', '',
    ]
    const parts = ['build@anthropic/claude-sonnet-4-5', 'ü/日本', 'with\u0000nul', '\u0001', '', 'x'.repeat(5000), 'act_1']
    let compared = 0
    for (const collection of SEARCHED_COLLECTIONS) {
      for (const at of times) {
        for (const part of parts) {
          for (const key of [[part, at, 'id'], ['setup', at, part], [part, 'c0ffee'], ['setup', '2026-03-01T09:00:00.000Z', part]]) {
            expect(searchKey(collection, at, key), `${collection} ${at} ${JSON.stringify(key).slice(0, 60)}`).toEqual(layout(collection, at, key))
            compared += 1
          }
        }
      }
    }
    expect(compared).toBe(SEARCHED_COLLECTIONS.length * times.length * parts.length * 4)
  })

  it('are known to be behind when a process that does not keep them wrote facts or records, and are then rebuilt by a repair', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const store = openLmdbStore({ databasePath })
    const reference = createMemoryStore()
    const facts = history()
    await store.applyFacts(facts.slice(0, 40))
    await reference.applyFacts(facts.slice(0, 40))
    expect(store.searchIndexes()).toBe('in step')
    // An earlier release, open since before the upgrade, writes a batch: its facts and records, no search entry, no mark.
    const earlier = open({ path: databasePath, maxDbs: 32 })
    const meta = earlier.openDB({ name: META })
    const through = meta.get(SEARCHED_THROUGH_KEY) as number
    await store.applyFacts(facts.slice(40))
    await reference.applyFacts(facts.slice(40))
    earlier.transactionSync(() => {
      meta.putSync(SEARCHED_THROUGH_KEY, through)
      earlier.openDB({ name: SEARCH_DATABASES.retrospectives, keyEncoding: 'binary', encoding: 'binary' }).clearSync()
    })
    await earlier.close()
    expect(store.searchIndexes()).toBe('behind')
    // Searched through the records meanwhile: the same answers as ever.
    for (const task of ['stripe webhook', 'excellent stripe handling', 'cache broke']) expect(await priorArt(store, { task })).toEqual(await priorArt(reference, { task }))
    expect((await searchEntryList(store, 'retrospectives', { limit: 1 }))[0]?.record).toBeDefined()
    // A batch written now does not mark them in step again: only a rebuild does.
    await store.applyFacts([createFactScript({ setup: SONNET, project: SHOP, start: '2026-04-01T00:00:00.000Z' }).activity('later work')])
    expect(store.searchIndexes()).toBe('behind')
    expect(await store.repairSearchIndexes()).toBeGreaterThan(60)
    expect(store.searchIndexes()).toBe('in step')
    await expectInStep(store)
    await store.close()
  })

  it('say which entry is damaged, rather than search wrongly', async () => {
    const databasePath = await storedHistory()
    const root = open({ path: databasePath, maxDbs: 32 })
    const index = root.openDB<Buffer, Buffer>({ name: SEARCH_DATABASES.activities, keyEncoding: 'binary', encoding: 'binary' })
    const [newest] = [...index.getRange({ reverse: true, limit: 1 })]
    if (newest === undefined) throw new Error('no entry')
    const garbled = Buffer.from(newest.value)
    garbled[0] = 7
    root.transactionSync(() => {
      index.putSync(newest.key, garbled)
    })
    await root.close()
    const reader = openLmdbStore({ databasePath, readOnly: true })
    const failure = await priorArt(reader, { task: 'webhook' }).then(() => undefined, (error: unknown) => error)
    expect(failure).toMatchObject({ code: 'DAMAGED_RECORD' })
    expect((failure as Error).message).toMatch(/^The search index activities-search holds a damaged entry \(a search digest of \d+ bytes is not of format 1, under \S+ 2026-03-01T\S+ \S+\): the database file is probably damaged there\.$/)
    await reader.close()
    const check = await deepCheck(databasePath)
    expect(check.trees.find((tree) => tree.name === 'activities-search')?.problem).toBe('its values cannot be read: a search digest is not of format 1 (entry 30)')
  })

  it('are checked by a deep check: an entry whose record its table no longer gives back is named', async () => {
    const databasePath = await storedHistory()
    expect((await deepCheck(databasePath)).intact).toBe(true)
    // A record removed behind the indexes' back, as a damaged page would lose it.
    const root = open({ path: databasePath, maxDbs: 32 })
    const activities = root.openDB({ name: SUB_DATABASES.activities, sharedStructuresKey: STRUCTURES_KEY })
    const [first] = [...activities.getKeys({ limit: 1, start: [SONNET] })]
    root.transactionSync(() => activities.removeSync(first as never))
    await root.close()
    const check = await deepCheck(databasePath)
    expect(check.trees.find((tree) => tree.name === 'activities-search')?.problem).toMatch(/^it lists 1 of its 30 records that activities does not give back \(the first: build@anthropic\/claude-sonnet-4-5 2026-03-01T\S+ \S+\)$/)
  })
})

/**
 * Writes the journal entry `fact` into the database at `databasePath` as a process of version 1 of
 * the search words writes it: the fact appended to the log, its record (as `reference`, which
 * applied it, holds it) put, with its search entry under words cut that way; the search marks are left as
 * that release leaves them when its own is not in step (during a build of this release's, it is gone).
 */
async function writeActivityAsSearchWords1(databasePath: string, reference: TrackerStore, fact: Fact): Promise<void> {
  const earlier = open({ path: databasePath, maxDbs: 32 })
  try {
    const db = openTables(earlier)
    earlier.transactionSync(() => {
      const seq = lastFactSeq(db) + 1
      db.factLog.putSync(seq, encodeFactBatch([fact]))
      db.meta.putSync(LAST_FACT_SEQ_KEY, seq)
      if (db.meta.get(searchMarkKeys(1).searchedThrough) === seq - 1) db.meta.putSync(searchMarkKeys(1).searchedThrough, seq)
    })
    for (const record of await reference.find('activities', {})) {
      if (record.at !== fact.at) continue
      const key = recordEntry('activities', record).key()
      earlier.transactionSync(() => {
        db.tables.activities.putSync(toLmdbKey(key), record)
        db.search.activities?.putSync(searchKey('activities', record.at, key), searchDigestOfWords1('activities', record))
      })
    }
  } finally {
    await earlier.close()
  }
}
