import type { CollectionName, CollectionRecords, CommitRef, RecordQuery } from '@agent-tracker/core'
import type { ReattributedCollection, ReattributionInput } from '@agent-tracker/core/store'
import { matchesQuery, orderAndLimit, selectCommitRefs } from '@agent-tracker/core/store'
import type { Database, Key } from 'lmdb'
import { prefixRange } from './layout.js'

/** The sub-databases a query reads. */
export interface QueryTables {
  readonly tables: { readonly [C in CollectionName]: Database<CollectionRecords[C]> }
  /** Commits by setup and time: `[setup, at, project, hash]` → `true`. */
  readonly commitIndex: Database<true>
}

const TIME_KEYED: ReadonlySet<CollectionName> = new Set(['gradeEvents', 'bugs', 'activities'])

/**
 * Runs a normalised query. With a setup, events (keyed `[setup, at, id]`) and commits (through
 * their by-setup index) come from one ordered range read, newest first unless asked otherwise,
 * that stops at the limit; everything else is narrowed by its best key prefix, then filtered,
 * ordered and limited.
 */
export function findRecords<C extends CollectionName>(db: QueryTables, collection: C, query: RecordQuery): CollectionRecords[C][] {
  if (query.setup !== undefined && TIME_KEYED.has(collection)) {
    return collectInTimeOrder(db.tables[collection] as Database<CollectionRecords[C]>, collection, query, (entry) => entry.value)
  }
  if (query.setup !== undefined && collection === 'commits') {
    return collectInTimeOrder(db.commitIndex, collection, query, ({ key }) => {
      const [, , project, hash] = key as [string, string, string, string]
      return db.tables.commits.get([project, hash]) as CollectionRecords[C] | undefined
    })
  }
  const prefix = prefixOf(collection, query)
  const matching: CollectionRecords[C][] = []
  for (const { value } of (db.tables[collection] as Database<CollectionRecords[C]>).getRange(prefix === undefined ? {} : prefixRange(prefix))) {
    if (matchesQuery(collection, value, query)) matching.push(value)
  }
  return orderAndLimit(collection, matching, query)
}

/**
 * Reads keys `[setup, at, ...]` between `since` and `until` in time order, keeping records that
 * match, until `limit` of them. Key order within one time is the key order stores break ties by.
 */
function collectInTimeOrder<V, C extends CollectionName>(
  table: Database<V>,
  collection: C,
  query: RecordQuery,
  recordOf: (entry: { key: Key; value: V }) => CollectionRecords[C] | undefined,
): CollectionRecords[C][] {
  const setup = query.setup ?? ''
  const low: Key = [setup, query.since ?? '']
  const high: Key = query.until === undefined ? prefixRange([setup]).end : [setup, query.until]
  const range = query.order === 'oldest' || query.order === 'any' ? { start: low, end: high } : { start: high, end: low, reverse: true }
  const found: CollectionRecords[C][] = []
  if (query.limit === 0) return found
  for (const entry of table.getRange(range)) {
    const record = recordOf(entry)
    if (record !== undefined && matchesQuery(collection, record, query)) {
      found.push(record)
      if (found.length === query.limit) break
    }
  }
  return found
}

/**
 * Commit references from the keys of the by-setup index alone — `[setup, at, project, hash]` —
 * without reading a single commit record; a setup (and its time window) narrows the key range.
 */
export function findCommitRefs(db: QueryTables, query: RecordQuery): CommitRef[] {
  const range = query.setup === undefined ? {} : {
    start: [query.setup, query.since ?? ''],
    end: query.until === undefined ? prefixRange([query.setup]).end : [query.setup, query.until],
  }
  const refs: CommitRef[] = []
  for (const key of db.commitIndex.getKeys(range)) {
    const [setup, at, project, hash] = key as [string, string, string, string]
    refs.push({ setup, project, hash, at })
  }
  return selectCommitRefs(refs, query)
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
  const commits = [...db.commitIndex.getKeys(prefixRange([setup]))].map((key) => {
    const [, , commitProject, hash] = key as [string, string, string, string]
    return db.tables.commits.get([commitProject, hash])
  }).filter(keep)
  const records = { commits, retrospectives: ranged('retrospectives'), gradeEvents: ranged('gradeEvents'), bugs: ranged('bugs'), activities: ranged('activities'), usage: ranged('usage') }
  return { records, fromHasOtherRecords }
}
