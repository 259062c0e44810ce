import type { CollectionName, CollectionRecords, CommitRef, RecordQuery, SetupTotalsRecord } from '@agent-tracker/core'
import type { ReattributedCollection, ReattributionInput } from '@agent-tracker/core/store'
import { matchesQuery, orderAndLimit, selectCommitRefs } from '@agent-tracker/core/store'
import type { Database, Key, RangeOptions } from 'lmdb'
import type { StoredFactBatch } from './fact-log-codec.js'
import type { StoredOutcomeMonth } from './outcome-days.js'
import type { IndexEntry, SecondaryIndex, TimeScope } from './indexes.js'
import { KEYED_BY_SETUP_AND_TIME, SECONDARY_INDEXES, timeIndex } from './indexes.js'
import type { IndexName } from './layout.js'
import { ABOVE_ANY_STRING, COMMITS_BY_SETUP, INDEX_DATABASES, fullKeyPart, isDigestPart, keyPart, prefixRange, toLmdbKey } from './layout.js'
import type { SearchReads, SearchTables } from './search-index.js'
import { missingRecordError } from './store-errors.js'

/** The sub-databases a query reads. */
export interface QueryTables {
  readonly tables: { readonly [C in CollectionName]: Database<CollectionRecords[C]> }
  /**
   * The same record tables, opened again to read values alone: lmdb-js decodes every key of a
   * range it walks, and a read by key prefix uses none of them — for 10,000 day rollups, a fifth
   * of the read's time and three strings and an array each for the collector (see `valuesOnlyKeys`).
   */
  readonly values: { readonly [C in CollectionName]: Database<CollectionRecords[C]> }
  /** The secondary indexes (see `indexes.ts`). */
  readonly indexes: Readonly<Record<IndexName | 'commitsBySetup', Database<unknown>>>
  /** The search indexes (see `search-index.ts`). */
  readonly search: SearchTables
  /** The same, opened again to be read without copies (see `searchReadOptions`). */
  readonly searchReads: SearchReads
  /** The fact log: batches keyed by the sequence number of their first fact. */
  readonly factLog: Database<StoredFactBatch>
  /** Fact ids taken: `id` → sequence number. */
  readonly factIds: Database<number>
  /** The same sub-database taking values as bytes: a claim writes its sequence number's encoding itself (see `createTransactionReader`). */
  readonly factIdBytes: Database<Uint8Array>
  /** Schema version, migration records, the last fact sequence number. */
  readonly meta: Database<unknown>
  /**
   * Each setup's rollups added up, kept in step by every write of a rollup. Read-only, undefined in
   * a database written before it existed.
   */
  readonly setupTotals: Database<SetupTotalsRecord> | undefined
  /**
   * Each project's days of work as `[day number, rollups, commits]` under `[project, day]`, kept in
   * step by every write of a rollup. Read-only, undefined in a database written before it existed.
   */
  readonly projectDays: Database<StoredProjectDay> | undefined
  /** The same, opened again to be read without decoding keys (a project's days are a prefix range; the value names the day). */
  readonly projectDayValues: Database<StoredProjectDay> | undefined
  /**
   * Each project's outcome days by month under `[project, month]` (see `StoredOutcomeMonth`), kept
   * in step by every write of a rollup. Read-only, undefined in a database written before it existed.
   */
  readonly outcomeDays: Database<StoredOutcomeMonth> | undefined
  /** The same, opened again to be read without decoding keys (a project's months are a prefix range; the entries name their days). */
  readonly outcomeDayValues: Database<StoredOutcomeMonth> | undefined
}

/**
 * A project's day of work as stored: the day (days since 1970-01-01, UTC: a number decodes in a
 * fraction of the time of a date's text), the rollups that count work that day, and their commits.
 */
export type StoredProjectDay = readonly [day: number, rollups: number, commits: number]

const TIME_ORDERED: ReadonlySet<CollectionName> = new Set(['commits', 'retrospectives', 'gradeEvents', 'bugs', 'activities'])

/** Index entries read ahead of their records at most (see `findRecords`). */
const CHUNK = 4096

/** How a query walks a collection in time order: a table whose keys run `[scope part?, at, …]`. */
interface TimeWalk {
  readonly table: Database<unknown>
  /** The setup or project the keys start with; undefined when they start with the time. */
  readonly prefix: string | undefined
  /** The entry of a key and value; undefined when the value is the record itself. */
  readonly index: SecondaryIndex | undefined
}

/**
 * Runs a normalised query. Commits, retrospectives, grade events, bugs and activities are read in
 * time order from the table or index whose keys start with the query's setup (or project, or
 * nothing) and then the time: one range read between `since` and `until`, newest first unless
 * asked otherwise, that filters on the index entries alone and reads a record only when it
 * matches — so it stops at the limit, whatever the size of the database. Setups, projects and day
 * rollups are narrowed by their key prefix, then filtered, ordered and limited.
 * @throws {TrackerError} DAMAGED_RECORD for a record an index lists that its table does not give back (a damaged page).
 */
export function findRecords<C extends CollectionName>(db: QueryTables, collection: C, query: RecordQuery): CollectionRecords[C][] {
  if (query.limit === 0) return []
  if (query.hashPrefix !== undefined && collection === 'commits') {
    const refs = commitRefsByHash(db, query)
    return refs.map((ref) => db.tables.commits.get(toLmdbKey([ref.project, ref.hash])) ?? throwMissing('commits', 'commitsByHash', [ref.project, ref.hash])) as CollectionRecords[C][]
  }
  const walk = walksTime(collection, query) ? timeWalk(db, collection, query) : undefined
  if (walk !== undefined) {
    const found: CollectionRecords[C][] = []
    const index = walk.index
    if (index === undefined) {
      for (const { value } of walkEntries(walk, query)) {
        const record = value as CollectionRecords[C]
        if (!matchesQuery(collection, record, query)) continue
        found.push(record)
        if (found.length === query.limit) break
      }
      return found
    }
    // The index entries are read a chunk at a time, then their records: a read between two steps
    // of a range makes lmdb-js position the range's cursor again (its key encoded anew, a search
    // down the tree), which cost as much as the walk itself.
    const table = db.tables[collection] as Database<CollectionRecords[C]>
    const limit = query.limit ?? Number.POSITIVE_INFINITY
    const entries = walkEntries(walk, query)[Symbol.iterator]()
    try {
      let more = true
      while (more && found.length < limit) {
        const chunk: IndexEntry[] = []
        const wanted = Math.min(limit - found.length, CHUNK)
        while (chunk.length < wanted) {
          const next = entries.next()
          if (next.done === true) {
            more = false
            break
          }
          chunk.push(index.entry(next.value.key, next.value.value))
        }
        for (const raw of chunk) {
          const entry = fullEntry(db, raw)
          if (!entryMatches(entry, query)) continue
          const record = table.get(toLmdbKey(entry.primaryKey)) ?? throwMissing(collection, index.name, entry.primaryKey)
          if (!matchesQuery(collection, record, query)) continue
          found.push(record)
          if (found.length === limit) break
        }
      }
    } finally {
      entries.return?.()
    }
    return found
  }
  const prefix = prefixOf(collection, query)
  const matching: CollectionRecords[C][] = []
  for (const { value } of (db.values[collection] as Database<CollectionRecords[C]>).getRange(prefix === undefined ? {} : prefixRange(prefix))) {
    if (matchesQuery(collection, value, query)) matching.push(value)
  }
  return orderAndLimit(collection, matching, query)
}

/** Whether a query is read in time order, from a table or index whose keys start with the time (see {@link timeWalk}); else by key prefix. */
function walksTime(collection: CollectionName, query: RecordQuery): boolean {
  return TIME_ORDERED.has(collection) && !(query.order === 'any' && query.since === undefined && query.until === undefined)
}

/**
 * Gives `visit` the records {@link findRecords} returns, in its order, each as it is read where
 * findRecords reads by key prefix in any order and without a limit (the day rollups, for one): the
 * reader then holds no array of them all. Other queries visit findRecords' array.
 * @throws {TrackerError} DAMAGED_RECORD as findRecords does; whatever `visit` throws.
 */
export function visitRecords<C extends CollectionName>(db: QueryTables, collection: C, query: RecordQuery, visit: (record: CollectionRecords[C]) => void): void {
  if (query.order !== 'any' || query.limit !== undefined || (query.hashPrefix !== undefined && collection === 'commits') || walksTime(collection, query)) {
    for (const record of findRecords(db, collection, query)) visit(record)
    return
  }
  const prefix = prefixOf(collection, query)
  for (const { value } of (db.values[collection] as Database<CollectionRecords[C]>).getRange(prefix === undefined ? {} : prefixRange(prefix))) {
    if (matchesQuery(collection, value, query)) visit(value)
  }
}

/** Throws {@link missingRecordError}: a record its index lists is not in its table. */
function throwMissing(collection: CollectionName, index: IndexName | 'commitsBySetup', key: readonly string[]): never {
  throw missingRecordError(collection, index === 'commitsBySetup' ? COMMITS_BY_SETUP : INDEX_DATABASES[index], key)
}

/**
 * Commit references from index entries alone, without reading a single commit record: the
 * by-setup, by-project or by-time index in time order, or the by-hash index for a hash prefix.
 */
export function findCommitRefs(db: QueryTables, query: RecordQuery): CommitRef[] {
  if (query.limit === 0) return []
  if (query.hashPrefix !== undefined) return commitRefsByHash(db, query)
  // In any order and without a window, a whole prefix of the narrowest index serves.
  const anyOrder = query.order === 'any' && query.since === undefined && query.until === undefined
  const walk = timeWalk(db, 'commits', query)
  const index = walk.index
  if (index === undefined) return []
  const refs: CommitRef[] = []
  const range = anyOrder ? (walk.prefix === undefined ? {} : prefixRange([walk.prefix])) : rangeOf(walk, query)
  for (const { key, value } of walk.table.getRange(range)) {
    const entry = fullEntry(db, index.entry(key, value))
    if (!entryMatches(entry, query)) continue
    refs.push({ setup: entry.setup, project: entry.project, hash: entry.primaryKey[1] ?? '', at: entry.at })
    if (refs.length === query.limit) break
  }
  return refs
}

/** Commits whose hash starts with the query's prefix, from the by-hash index, in the query's order. */
function commitRefsByHash(db: QueryTables, query: RecordQuery): CommitRef[] {
  const prefix = query.hashPrefix ?? ''
  const index = SECONDARY_INDEXES.commits.find((candidate) => candidate.name === 'commitsByHash')
  if (index === undefined) return []
  const refs: CommitRef[] = []
  for (const { key, value } of db.indexes.commitsByHash.getRange({ start: [prefix], end: [`${prefix}${ABOVE_ANY_STRING}`] })) {
    const entry = fullEntry(db, index.entry(key, value))
    refs.push({ setup: entry.setup, project: entry.project, hash: entry.primaryKey[1] ?? '', at: entry.at })
  }
  return selectCommitRefs(refs, query)
}

/** The table or index to walk for a time-ordered query, narrowest first: by setup, by project, else by time. */
function timeWalk(db: QueryTables, collection: CollectionName, query: RecordQuery): TimeWalk {
  const scoped = (scope: TimeScope, prefix: string | undefined): TimeWalk | undefined => {
    const index = timeIndex(collection, scope)
    return index === undefined ? undefined : { table: db.indexes[index.name], prefix, index: index }
  }
  if (query.setup !== undefined) {
    if (KEYED_BY_SETUP_AND_TIME.has(collection)) return { table: db.tables[collection], prefix: query.setup, index: undefined }
    const bySetup = scoped('setup', query.setup)
    if (bySetup !== undefined) return bySetup
  }
  if (query.project !== undefined) {
    const byProject = scoped('project', query.project)
    if (byProject !== undefined) return byProject
  }
  const byTime = scoped('all', undefined)
  if (byTime === undefined) throw new Error(`no time index for ${collection}`)
  return byTime
}

/**
 * The entries of a walk, in its order. An index entry's value holds only the setup or project
 * its key lacks: when the query filters on neither, the keys alone serve and no value is decoded
 * (the entry's setup or project then stays undefined: nothing reads it).
 */
function walkEntries(walk: TimeWalk, query: RecordQuery): Iterable<{ readonly key: Key; readonly value: unknown }> {
  const range = rangeOf(walk, query)
  if (walk.index === undefined || query.setup !== undefined || query.project !== undefined) return walk.table.getRange(range)
  return walk.table.getKeys(range).map((key) => ({ key, value: undefined }))
}

/** The key range of a walk between the query's `since` (inclusive) and `until` (exclusive), in its order. */
function rangeOf(walk: TimeWalk, query: RecordQuery): RangeOptions {
  const head = walk.prefix === undefined ? [] : [keyPart(walk.prefix)]
  const low: Key = [...head, query.since ?? '']
  const high: Key = [...head, query.until ?? ABOVE_ANY_STRING]
  return query.order === 'oldest' || query.order === 'any' ? { start: low, end: high } : { start: high, end: low, reverse: true }
}

/** An index entry with the full setup and project where its key holds their digests (see `keyPart`). */
function fullEntry(db: QueryTables, entry: IndexEntry): IndexEntry {
  if (!isDigestPart(entry.setup) && !isDigestPart(entry.project) && !entry.primaryKey.some(isDigestPart)) return entry
  const full = (part: string): string => fullKeyPart(db.meta, part)
  return { ...entry, setup: full(entry.setup), project: full(entry.project), primaryKey: entry.primaryKey.map(full) }
}

/** True when an index entry passes the query's setup, project and time filters. */
function entryMatches(entry: IndexEntry, query: RecordQuery): boolean {
  return (query.setup === undefined || entry.setup === query.setup)
    && (query.project === undefined || entry.project === query.project)
    && (query.since === undefined || entry.at >= query.since)
    && (query.until === undefined || entry.at < query.until)
}

/** The key prefix that narrows a query on a collection, if any. */
function prefixOf(collection: CollectionName, query: RecordQuery): string[] | undefined {
  switch (collection) {
    case 'setups':
      return query.setup === undefined ? undefined : [query.setup]
    case 'projects':
    case 'commits':
      return query.project === undefined ? undefined : [query.project]
    case 'usage':
      if (query.setup === undefined) return undefined
      return query.project === undefined ? [query.setup] : [query.setup, query.project]
    default:
      return query.setup === undefined ? undefined : [query.setup]
  }
}

/**
 * Every record of a setup that moves with a reattribution, split by whether it belongs to
 * `project`: one prefix range per collection (commits through their by-setup index).
 */
export function findSetupRecords(db: QueryTables, setup: string, project: string): { records: ReattributionInput['records']; fromHasOtherRecords: boolean } {
  let fromHasOtherRecords = false
  const keep = <R extends { readonly project: string }>(record: R | undefined): record is R => {
    if (record === undefined) return false
    if (record.project !== project) fromHasOtherRecords = true
    return record.project === project
  }
  const ranged = <C extends Exclude<ReattributedCollection, 'commits'>>(collection: C): CollectionRecords[C][] =>
    [...(db.tables[collection] as Database<CollectionRecords[C]>).getRange(prefixRange([setup]))].map(({ value }) => value).filter(keep)
  const commits = [...db.indexes.commitsBySetup.getKeys(prefixRange([setup]))].map((key) => {
    const [, , commitProject, hash] = key as [string, string, string, string]
    return db.tables.commits.get(toLmdbKey([commitProject, hash]))
  }).filter(keep)
  const records = { commits, retrospectives: ranged('retrospectives'), gradeEvents: ranged('gradeEvents'), bugs: ranged('bugs'), activities: ranged('activities'), usage: ranged('usage') }
  return { records, fromHasOtherRecords }
}
