import type { CommitRef } from './commit-ref.js'
import type { Fact } from '../facts/facts.js'
import type { ProjectProfile } from '../projects/project-profile.js'
import type { AgentState } from '../scoring/agent-state.js'
import type { CollectionName, CollectionRecords, ProjectRecord, RecordKey, SetupRecord } from './records.js'
import type { ScoringRules } from '../scoring/rules.js'
import type { OutcomeDay } from '../rollups/outcome-days.js'
import type { ProjectDayRecord } from '../rollups/project-days.js'
import type { SetupTotalsRecord } from '../rollups/setup-totals.js'
import type { SearchEntryVisitor, SearchedCollection } from '../projects/search-digest.js'

/** A filter over one collection; every field is optional. */
export interface RecordQuery {
  /** Only records of this setup. */
  readonly setup?: string
  /** Only records of this project path. */
  readonly project?: string
  /** Only records at or after this ISO timestamp. */
  readonly since?: string
  /** Only records before this ISO timestamp (exclusive). */
  readonly until?: string
  /** Commits (and retrospectives) only: only those whose commit hash starts with this. */
  readonly hashPrefix?: string
  /** At most this many records. */
  readonly limit?: number
  /** `newest` first (default), `oldest` first, or `any`: the store's fastest order (for aggregates). */
  readonly order?: 'newest' | 'oldest' | 'any'
}

/** A fact the store did not apply, and why: {@link REPEAT}, or a sentence (e.g. a commit recorded twice). */
export interface SkippedFact {
  readonly id: string
  readonly reason: string
}

/** The reason of a skipped fact whose id the store had already: it was sent or ingested again. */
export const REPEAT = 'repeat'

/** One entry of the fact log: a fact as applied, and its local sequence number. */
export interface LoggedFact {
  /** Position in this store's log: 1, 2, 3, … in apply order, across processes. Local to one store. */
  readonly seq: number
  readonly fact: Fact
}

/** Which part of the fact log to read: facts after a sequence number, at most so many. */
export interface FactLogQuery {
  /** Only facts with a greater sequence number (e.g. the last one a team database acknowledged); default 0. */
  readonly after?: number
  /** At most this many facts. */
  readonly limit?: number
}

/** What one atomic batch did when the store wrote it at once. */
export interface AppliedBatch {
  readonly deferred: false
  /** Facts applied. */
  readonly applied: number
  /** Facts that changed nothing: repeats of a stored id (reason {@link REPEAT}) and facts with no effect left. */
  readonly skipped: readonly SkippedFact[]
  /** Records put (several facts on one record collapse into one put). */
  readonly recordsWritten: number
}

/** A batch a buffering store accepted for a later atomic write; reads already reflect it. */
export interface DeferredBatch {
  readonly deferred: true
  /** Facts accepted. */
  readonly accepted: number
}

/** What {@link TrackerStore.applyFacts} did with a batch. */
export type ApplyResult = AppliedBatch | DeferredBatch

/** Records to import, by collection. */
export type RecordBatch = { readonly [C in CollectionName]?: readonly CollectionRecords[C][] }

/** What an additive import did: records written, and records already present and left alone. */
export interface ImportResult {
  readonly written: number
  readonly skipped: number
}

/** A migration or merge that ran against the store. */
export interface MigrationRecord {
  /** Stable id of the source, e.g. `project-db:/home/me/app`. */
  readonly id: string
  readonly kind: 'project-database' | 'legacy-files' | 'merge' | 'upgrade' | 'evidence-scan'
  readonly source: string
  /** Where the next incremental run resumes: for an evidence scan, the HEAD it scanned up to. */
  readonly cursor?: string
  /**
   * An evidence scan: the fact log's last sequence number when it began. A commit logged after it
   * that was made before `cursor` makes the next scan read the whole history again.
   */
  readonly factSeq?: number
  readonly at: string
  readonly migrated: number
  readonly skipped: number
  readonly errors: number
  /** The time zone that times written without one were read in (an IANA name or `UTC±hh:mm`). */
  readonly timeZone?: string
  /** Legacy files: the setup they were imported under. */
  readonly setup?: string
  /** Setups present before whose scores this source added to. */
  readonly combinedSetups?: readonly string[]
  /** The program that ran the migration, when it was not agent-tracker (e.g. its predecessor). */
  readonly migratedBy?: string
}

/** What {@link TrackerStore.importSetups} did with each setup. */
export interface SetupImportResult {
  /** Setups the store lacked, now written. */
  readonly written: number
  /** Setups the store had, with the source's scores added: before and after. */
  readonly combined: readonly { readonly id: string; readonly before: AgentState; readonly after: AgentState }[]
  /** Setups whose every score from this source the store already had. */
  readonly skipped: number
}

/** Which records {@link TrackerStore.reattribute} moves. */
export interface Reattribution {
  /** The setup the records were imported under. */
  readonly from: string
  /** The setup they belong to. */
  readonly to: string
  /** Only records of this project move. */
  readonly project: string
  /** The import source whose part of `from`'s scores moves with them (see `SetupRecord.imports`). */
  readonly source: string
}

/** What {@link TrackerStore.reattribute} did. */
export interface ReattributeResult {
  /** Records now under the new setup. */
  readonly moved: number
  /** Records the new setup already had; the copies under the old one were dropped. */
  readonly dropped: number
  /** True when the old setup was left with nothing and removed. */
  readonly removedSetup: boolean
}

/** How a long read goes: pages of this many records, and what to do between pages. */
export interface PagedRead {
  /** Records per store query; default 1,000. */
  readonly pageSize?: number | undefined
  /** Called between pages: a host lets its event loop turn, a store releases memory. */
  readonly betweenPages?: (() => unknown) | undefined
}

/**
 * The store port. State changes cross it only as facts, which the store applies to the
 * current stored state inside its own atomic write, so that no concurrent writer's increment
 * is ever lost. Every fact has a stable id: the store remembers the ids it has seen, in the same
 * write, and skips a fact whose id it has (a {@link REPEAT}), so reruns and resends never count
 * twice. It keeps every fact it took in an append-only log with a local sequence number, for
 * recomputing, merging and syncing. Reads return plain, versioned records.
 */
export interface TrackerStore {
  /** The scoring rules this store applies facts with. */
  readonly rules: ScoringRules
  /**
   * Applies a batch atomically: all facts or none. A buffering store may accept it for a later
   * atomic write instead (a {@link DeferredBatch}); its reads must then already reflect it.
   * @throws {TrackerError} INVALID_FACT (nothing applied) or a store-specific error (nothing applied).
   */
  applyFacts(facts: readonly Fact[]): Promise<ApplyResult>
  /** One record by its primary key (see `recordKey`). */
  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined>
  /**
   * Records matching the query, newest first unless `order: 'oldest'`.
   * @throws {TrackerError} INVALID_QUERY for a malformed query.
   */
  find<C extends CollectionName>(collection: C, query?: RecordQuery): Promise<CollectionRecords[C][]>
  /**
   * Gives `visit` the records `find(collection, query)` returns, in the same order, one at a time
   * and as they are read: a reader that keeps a few numbers of each holds no array of them all, and
   * a record it keeps nothing of is garbage at once (for 10,000 day rollups, most of a read's
   * garbage collection). Optional: a store without it is read through `find` (see {@link visitRecords}).
   * @throws {TrackerError} INVALID_QUERY for a malformed query; whatever `visit` throws, which ends the read.
   */
  visitRecords?<C extends CollectionName>(collection: C, query: RecordQuery, visit: (record: CollectionRecords[C]) => void): Promise<void>
  /**
   * The commits `find('commits', query)` returns, as {@link CommitRef}s (no message or task), in
   * the same order: a store may answer from an index without reading the records.
   * @throws {TrackerError} INVALID_QUERY for a malformed query.
   */
  findCommitRefs(query?: RecordQuery): Promise<CommitRef[]>
  /**
   * Which of these fact ids the store has taken already (applied, or found without effect): a fact
   * with one of them would be skipped as a {@link REPEAT}.
   */
  knownFactIds(ids: readonly string[]): Promise<ReadonlySet<string>>
  /**
   * The fact log in sequence order, after `after` and up to `limit` facts, read lazily: every fact
   * the store took (applied, or found without effect), as it was given. A buffering store writes
   * what is pending first.
   * @throws {TrackerError} INVALID_QUERY for a malformed query.
   */
  readFactLog(query?: FactLogQuery): AsyncIterable<LoggedFact>
  /** The sequence number of the newest logged fact; 0 while the log is empty. */
  lastFactSeq(): Promise<number>
  /**
   * Every record of a collection in key order, without loading them all at once. Given
   * `read.betweenPages`, the store may read a page of `read.pageSize` records at a time, each page
   * a read of its own, and calls it between pages (where a store that maps its file can let the
   * pages it read leave memory): a write between two pages may then be seen in part, as in any
   * paged read. Without it, one consistent read.
   */
  scan<C extends CollectionName>(collection: C, read?: PagedRead): AsyncIterable<CollectionRecords[C]>
  /** Writes records whose key is absent; never overwrites. Atomic. */
  importRecords(batch: RecordBatch): Promise<ImportResult>
  /**
   * Adds setups another database reports (`source` names it, e.g. `merge:/path`): a setup the
   * store lacks is written; one it has gets the source's scores added (see `combineSetup`), once —
   * importing the same source again adds only what changed there. Atomic.
   */
  importSetups(source: string, setups: readonly SetupRecord[]): Promise<SetupImportResult>
  /**
   * Moves what one import put under the wrong setup to the right one, in one atomic write: every
   * record of `from` in `project` is re-keyed under `to` (records `to` already has are kept and the
   * old copies dropped), and `source`'s part of `from`'s scores moves to `to`. `from` is removed
   * when nothing is left of it.
   * @throws {TrackerError} INVALID_SETUP_ID for a malformed setup id.
   */
  reattribute(move: Reattribution): Promise<ReattributeResult>
  /**
   * Sets a project's profile, creating the project record if needed; every other field of an
   * existing record is kept.
   */
  saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord>
  /**
   * Gives `visit` the search entries of a searched collection (see `SearchEntry`), each with its
   * digest: newest first, in the query's window (`since`, `until`), at most its `limit`; its other
   * fields are not taken. A digest's bytes may be good only during its call (see
   * `SearchEntryVisitor`): a search reads each as it is given and keeps none. Optional: a store
   * without it is searched through its records (`find`), at the cost of reading them whole.
   */
  visitSearchEntries?(collection: SearchedCollection, query: RecordQuery, visit: SearchEntryVisitor): Promise<void>
  /**
   * Each setup's day rollups added up over all time, where the store keeps them beside the rollups
   * (changed in the same writes); undefined where it does not, and the all-time report adds up the
   * rollups instead.
   */
  setupTotals?(): Promise<SetupTotalsRecord[] | undefined>
  /**
   * The days of work of `project`, or of every project (see `ProjectDayRecord`), where the store
   * keeps them beside the rollups (changed in the same writes); undefined where it does not, and
   * the project list adds up the rollups instead.
   */
  projectDays?(project?: string): Promise<ProjectDayRecord[] | undefined>
  /**
   * The outcome day of every day rollup of the `projects` given, or of every project (see
   * `OutcomeDay`), where the store keeps them beside the rollups (changed in the same writes);
   * undefined where it does not, and a recommendation reads the rollups instead. Project by project,
   * in the order of the rollups' keys, and each project's in time order, setup by setup within a
   * month: each setup's outcome days come in the order of its rollups.
   */
  outcomeDays?(projects?: readonly string[]): Promise<OutcomeDay[] | undefined>
  /** The schema version of the stored data. */
  schemaVersion(): Promise<number>
  /** Remembers that a migration ran (replaces an earlier record with the same id). */
  recordMigration(record: MigrationRecord): Promise<void>
  /** Every migration recorded, oldest first. */
  listMigrations(): Promise<MigrationRecord[]>
  /** Releases the store; later calls reject with STORE_CLOSED. */
  close(): Promise<void>
}

/**
 * Gives `visit` the records `find(collection, query)` returns, in its order: one at a time as they
 * are read where the store can (see {@link TrackerStore.visitRecords}), else from `find`'s array.
 */
export async function visitRecords<C extends CollectionName>(store: TrackerStore, collection: C, query: RecordQuery, visit: (record: CollectionRecords[C]) => void): Promise<void> {
  if (store.visitRecords !== undefined) {
    await store.visitRecords(collection, query, visit)
    return
  }
  for (const record of await store.find(collection, query)) visit(record)
}

/** A store that can also apply a batch synchronously (for process-exit paths). */
export interface SyncTrackerStore extends TrackerStore {
  /** Like {@link TrackerStore.applyFacts}, synchronously and always written at once. */
  applyFactsSync(facts: readonly Fact[]): AppliedBatch
  /**
   * Whether an asynchronous write of this process is under way — one that may be waiting for a
   * write lock another process holds, on a thread of its own. A synchronous write would then wait
   * for that lock on the calling thread, however long it is held. Absent: never.
   */
  asyncWriteUnderWay?(): boolean
}

/** True when the store can apply facts synchronously. */
export function supportsSyncApply(store: TrackerStore): store is SyncTrackerStore {
  return typeof (store as Partial<SyncTrackerStore>).applyFactsSync === 'function'
}

/** The schema version this release of core reads and writes. */
export const SCHEMA_VERSION = 3
