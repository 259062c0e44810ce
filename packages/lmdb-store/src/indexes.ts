import type { CollectionName, CollectionRecords, RecordKey } from '@agent-tracker/core'
import type { Key } from 'lmdb'
import type { IndexName } from './layout.js'

/** What a query needs of an index entry to filter without reading the record, and the record's key. */
export interface IndexEntry {
  readonly setup: string
  readonly project: string
  readonly at: string
  readonly primaryKey: RecordKey
}

/** The leading key part of a time-ordered index: none (every record by time), the setup, or the project. */
export type TimeScope = 'all' | 'setup' | 'project'

/** A secondary index: its sub-database, how a record is keyed in it, and what its entries say. */
export interface SecondaryIndex<C extends CollectionName = CollectionName> {
  readonly name: IndexName | 'commitsBySetup'
  readonly collection: C
  /** For indexes in time order: what comes before the time in their keys. Lookup indexes have none. */
  readonly scope: TimeScope | undefined
  /** True when the index key follows from the primary key alone, so a record never moves in it. */
  readonly fixed: boolean
  key(record: CollectionRecords[C]): Key
  value(record: CollectionRecords[C]): unknown
  entry(key: Key, value: unknown): IndexEntry
}

type Parts = readonly string[]
const part = (key: Key, index: number): string => (key as Parts)[index] ?? ''

const commitsBySetup: SecondaryIndex<'commits'> = {
  name: 'commitsBySetup', collection: 'commits', scope: 'setup', fixed: false,
  key: (r) => [r.setup, r.at, r.project, r.hash],
  value: () => true,
  entry: (k) => ({ setup: part(k, 0), at: part(k, 1), project: part(k, 2), primaryKey: [part(k, 2), part(k, 3)] }),
}

const commitsByTime: SecondaryIndex<'commits'> = {
  name: 'commitsByTime', collection: 'commits', scope: 'all', fixed: false,
  key: (r) => [r.at, r.project, r.hash],
  value: (r) => r.setup,
  entry: (k, v) => ({ setup: v as string, at: part(k, 0), project: part(k, 1), primaryKey: [part(k, 1), part(k, 2)] }),
}

const commitsByProject: SecondaryIndex<'commits'> = {
  name: 'commitsByProject', collection: 'commits', scope: 'project', fixed: false,
  key: (r) => [r.project, r.at, r.hash],
  value: (r) => r.setup,
  entry: (k, v) => ({ setup: v as string, project: part(k, 0), at: part(k, 1), primaryKey: [part(k, 0), part(k, 2)] }),
}

/** Commits by hash, for finding one by a prefix of its hash: `[hash, project]` → `[setup, at]`. */
const commitsByHash: SecondaryIndex<'commits'> = {
  name: 'commitsByHash', collection: 'commits', scope: undefined, fixed: false,
  key: (r) => [r.hash, r.project],
  value: (r) => [r.setup, r.at],
  entry: (k, v) => ({ setup: (v as Parts)[0] ?? '', at: (v as Parts)[1] ?? '', project: part(k, 1), primaryKey: [part(k, 1), part(k, 0)] }),
}

const retrospectivesBySetup: SecondaryIndex<'retrospectives'> = {
  name: 'retrospectivesBySetup', collection: 'retrospectives', scope: 'setup', fixed: false,
  key: (r) => [r.setup, r.at, r.commit],
  value: (r) => r.project,
  entry: (k, v) => ({ setup: part(k, 0), at: part(k, 1), project: v as string, primaryKey: [part(k, 0), part(k, 2)] }),
}

const retrospectivesByTime: SecondaryIndex<'retrospectives'> = {
  name: 'retrospectivesByTime', collection: 'retrospectives', scope: 'all', fixed: false,
  key: (r) => [r.at, r.setup, r.commit],
  value: (r) => r.project,
  entry: (k, v) => ({ at: part(k, 0), setup: part(k, 1), project: v as string, primaryKey: [part(k, 1), part(k, 2)] }),
}

/** Events keyed `[setup, at, id]` by time across setups: `[at, setup, id]` → project. */
function eventsByTime<C extends 'gradeEvents' | 'bugs' | 'activities'>(name: IndexName, collection: C): SecondaryIndex<C> {
  return {
    name, collection, scope: 'all', fixed: true,
    key: (r) => [r.at, r.setup, r.id],
    value: (r) => r.project,
    entry: (k, v) => ({ at: part(k, 0), setup: part(k, 1), project: v as string, primaryKey: [part(k, 1), part(k, 0), part(k, 2)] }),
  }
}

/** Every secondary index, by collection. */
export const SECONDARY_INDEXES: { readonly [C in CollectionName]: readonly SecondaryIndex<C>[] } = {
  setups: [],
  projects: [],
  usage: [],
  evidence: [],
  commits: [commitsBySetup, commitsByTime, commitsByProject, commitsByHash],
  retrospectives: [retrospectivesBySetup, retrospectivesByTime],
  gradeEvents: [eventsByTime('gradeEventsByTime', 'gradeEvents')],
  bugs: [eventsByTime('bugsByTime', 'bugs')],
  activities: [eventsByTime('activitiesByTime', 'activities')],
}

/** Collections whose primary keys run `[setup, at, id]`: their own table is their by-setup time order. */
export const KEYED_BY_SETUP_AND_TIME: ReadonlySet<CollectionName> = new Set(['gradeEvents', 'bugs', 'activities'])

/** The time-ordered index of a collection with the given scope, if it has one. */
export function timeIndex<C extends CollectionName>(collection: C, scope: TimeScope): SecondaryIndex<C> | undefined {
  return (SECONDARY_INDEXES[collection] as readonly SecondaryIndex<C>[]).find((index) => index.scope === scope)
}

/** True when two keys are equal part by part. */
export function sameKey(a: Key, b: Key): boolean {
  const x = a as Parts
  const y = b as Parts
  return x.length === y.length && x.every((value, index) => value === y[index])
}
