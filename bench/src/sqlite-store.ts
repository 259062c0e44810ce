import type { AppliedBatch, CollectionName, CollectionRecords, CommitRef, Fact, RecordKey, RecordQuery, SyncTrackerStore } from '@agent-tracker/core'
import { resolveRules, validateFact } from '@agent-tracker/core'
import type { TimelineCollection } from '@agent-tracker/core/store'
import { matchesQuery, normaliseQuery, orderAndLimit, planFacts, selectCommitRefs } from '@agent-tracker/core/store'
import Database from 'better-sqlite3'

/**
 * The store port on SQLite (better-sqlite3, WAL, `synchronous = FULL`: every commit is fsync'd,
 * as every LMDB flush is), with agent-tracker's own design: the same planner inside one
 * transaction per batch, fact ids claimed in a unique index, the facts of a batch logged as one
 * row, records as JSON keyed by collection and key, and commits indexed by setup, time, project
 * and hash as the LMDB store indexes them. Only what the benchmark's workload and report use is
 * implemented; it isolates the storage engine from everything else.
 */
export function openSqliteStore(path: string): SyncTrackerStore {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(`
    CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS commit_index (project TEXT NOT NULL, hash TEXT NOT NULL, setup TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (project, hash)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS commits_by_setup ON commit_index (setup, at);
    CREATE INDEX IF NOT EXISTS commits_by_time ON commit_index (at);
    CREATE INDEX IF NOT EXISTS commits_by_project ON commit_index (project, at);
    CREATE INDEX IF NOT EXISTS commits_by_hash ON commit_index (hash);
    CREATE TABLE IF NOT EXISTS fact_ids (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS facts (seq INTEGER PRIMARY KEY, batch TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  `)
  const rules = resolveRules()
  const select = db.prepare<[string, string], { value: string }>('SELECT value FROM records WHERE collection = ? AND key = ?')
  const selectAll = db.prepare<[string], { value: string }>('SELECT value FROM records WHERE collection = ?')
  const commitRefs = db.prepare<[], CommitRef>('SELECT setup, project, hash, at FROM commit_index')
  const commitsOfSetup = db.prepare<[string, string, string], { project: string; hash: string }>('SELECT project, hash FROM commit_index WHERE setup = ? AND at >= ? AND at < ? ORDER BY at')
  const upsert = db.prepare('INSERT OR REPLACE INTO records (collection, key, value) VALUES (?, ?, ?)')
  const remove = db.prepare('DELETE FROM records WHERE collection = ? AND key = ?')
  const unindexCommit = db.prepare('DELETE FROM commit_index WHERE project = ? AND hash = ?')
  const indexCommit = db.prepare('INSERT OR REPLACE INTO commit_index (project, hash, setup, at) VALUES (?, ?, ?, ?)')
  const claim = db.prepare('INSERT OR IGNORE INTO fact_ids (id, seq) VALUES (?, ?)')
  // The last sequence number kept in one row, as the LMDB store keeps it under a meta key (a MAX over the ids would scan them all).
  const lastSeq = db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'last-seq'")
  const saveLastSeq = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('last-seq', ?)")
  const log = db.prepare('INSERT INTO facts (seq, batch) VALUES (?, ?)')
  const getRecord = <C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined => {
    const row = select.get(collection, JSON.stringify(key))
    return row === undefined ? undefined : (JSON.parse(row.value) as CollectionRecords[C])
  }
  const apply = db.transaction((facts: readonly Fact[]): AppliedBatch => {
    let next = (lastSeq.get()?.value ?? 0) + 1
    const first = next
    // Commits through their by-setup index, as the LMDB store reads them; other kinds (never asked for by this workload) by a scan.
    const recordsSince = <C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string): CollectionRecords[C][] =>
      collection === 'commits'
        ? commitsOfSetup.all(setup, since, until ?? '\uffff').flatMap(({ project, hash }) => getRecord(collection, [project, hash]) ?? [])
        : orderAndLimit(collection, selectAll.all(collection).map((row) => JSON.parse(row.value) as CollectionRecords[C]).filter((record) => record.setup === setup && record.at >= since && (until === undefined || record.at < until)), { order: 'oldest' })
    const plan = planFacts({ get: getRecord, claimFact: (id) => claim.run(id, next).changes === 1 && Boolean(next++), recordsSince }, facts, rules)
    for (const { collection, key } of plan.deletes) {
      remove.run(collection, JSON.stringify(key))
      if (collection === 'commits') unindexCommit.run(key[0], key[1])
    }
    for (const write of plan.writes) {
      upsert.run(write.collection, JSON.stringify(write.key), JSON.stringify(write.record))
      if (write.collection === 'commits') indexCommit.run(write.record.project, write.record.hash, write.record.setup, write.record.at)
    }
    if (plan.logged.length > 0) {
      log.run(first, JSON.stringify(plan.logged))
      saveLastSeq.run(next - 1)
    }
    return { deferred: false, applied: plan.applied, skipped: plan.skipped, recordsWritten: plan.writes.length }
  })
  const unused = (): never => {
    throw new Error('not used by the benchmark')
  }
  const later = <T>(work: () => T): Promise<T> => Promise.resolve().then(work)
  return {
    rules,
    applyFactsSync: (facts) => apply(facts.map((fact) => validateFact(fact))),
    applyFacts: (facts) => later(() => apply(facts.map((fact) => validateFact(fact)))),
    get: (collection, key) => later(() => getRecord(collection, key)),
    find: <C extends CollectionName>(collection: C, query: RecordQuery = {}) => later(() => {
      const normal = normaliseQuery(collection, query)
      const records = selectAll.all(collection).map((row) => JSON.parse(row.value) as CollectionRecords[C]).filter((record) => matchesQuery(collection, record, normal))
      return orderAndLimit(collection, records, normal)
    }),
    findCommitRefs: (query: RecordQuery = {}) => later(() => selectCommitRefs(commitRefs.all(), normaliseQuery('commits', query))),
    knownFactIds: unused,
    readFactLog: unused,
    lastFactSeq: unused,
    scan: unused,
    importRecords: unused,
    importSetups: unused,
    reattribute: unused,
    saveProjectProfile: unused,
    schemaVersion: () => Promise.resolve(2),
    recordMigration: unused,
    listMigrations: unused,
    close: () => {
      db.close()
      return Promise.resolve()
    },
  }
}
