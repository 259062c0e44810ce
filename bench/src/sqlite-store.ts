import type { AppliedBatch, CollectionName, CollectionRecords, CommitRef, Fact, ProjectDayRecord, RecordKey, RecordQuery, SetupTotalsRecord, SyncTrackerStore, UsageRecord } from '@agent-tracker/core'
import { addRollupToTotals, emptySetupTotals, outcomeDayFrom, outcomeDayMove, outcomeNumbers, projectDayMove, resolveRules, validateFact } from '@agent-tracker/core'
import type { SearchedRecord, TimelineCollection } from '@agent-tracker/core/store'
import { isSearched, matchesQuery, normaliseQuery, orderAndLimit, planFacts, searchDigest, selectCommitRefs } from '@agent-tracker/core/store'
import Database from 'better-sqlite3'

/**
 * The store port on SQLite (better-sqlite3, WAL, `synchronous = FULL`: every commit is fsync'd,
 * as every LMDB flush is), with agent-tracker's own design: the same planner inside one
 * transaction per batch, fact ids claimed in a unique index, the facts of a batch logged as one
 * row, records as JSON keyed by collection and key, commits indexed by setup, time, project and
 * hash as the LMDB store indexes them, and what else the LMDB store keeps in step in the same
 * transaction for its reads: a search digest per retrospective, journal entry, commit and bug (in
 * time order), each setup's totals moved by its day rollups (which the report then reads), and
 * each project's days of work and each rollup's outcome day moved by them too.
 * Only what the benchmark's workload and report use is implemented; it isolates the storage
 * engine from everything else. (The LMDB store's check that a batch fits its size limit has no
 * counterpart: SQLite grows its file itself.)
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
    CREATE TABLE IF NOT EXISTS search (collection TEXT NOT NULL, at TEXT NOT NULL, key TEXT NOT NULL, digest BLOB NOT NULL, PRIMARY KEY (collection, at, key)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS setup_totals (setup TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS project_days (project TEXT NOT NULL, day TEXT NOT NULL, rollups INTEGER NOT NULL, commits INTEGER NOT NULL, PRIMARY KEY (project, day)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS outcome_days (project TEXT NOT NULL, day TEXT NOT NULL, setup TEXT NOT NULL, numbers TEXT NOT NULL, PRIMARY KEY (project, day, setup)) WITHOUT ROWID;
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
  const putSearch = db.prepare('INSERT OR REPLACE INTO search (collection, at, key, digest) VALUES (?, ?, ?, ?)')
  const removeSearch = db.prepare('DELETE FROM search WHERE collection = ? AND at = ? AND key = ?')
  const selectTotals = db.prepare<[string], { value: string }>('SELECT value FROM setup_totals WHERE setup = ?')
  const selectAllTotals = db.prepare<[], { value: string }>('SELECT value FROM setup_totals')
  const putTotals = db.prepare('INSERT OR REPLACE INTO setup_totals (setup, value) VALUES (?, ?)')
  const removeTotals = db.prepare('DELETE FROM setup_totals WHERE setup = ?')
  const selectDays = db.prepare<[], ProjectDayRecord>('SELECT project, day, rollups, commits FROM project_days ORDER BY project, day')
  const selectDaysOf = db.prepare<[string], ProjectDayRecord>('SELECT project, day, rollups, commits FROM project_days WHERE project = ? ORDER BY day')
  // A project's day moved by a rollup's change (see `projectDayMove`); a day left with no rollup that counts work keeps no row.
  const moveDay = db.prepare('INSERT INTO project_days (project, day, rollups, commits) VALUES (?, ?, ?, ?) ON CONFLICT (project, day) DO UPDATE SET rollups = rollups + excluded.rollups, commits = commits + excluded.commits')
  const dropEmptyDay = db.prepare('DELETE FROM project_days WHERE project = ? AND day = ? AND rollups <= 0')
  const moveProjectDay = (previous: UsageRecord | undefined, next: UsageRecord | undefined): void => {
    const rollup = next ?? previous
    const move = projectDayMove(previous, next)
    if (rollup === undefined || (move.rollups === 0 && move.commits === 0)) return
    moveDay.run(rollup.project, rollup.day, move.rollups, move.commits)
    if (move.rollups < 0) dropEmptyDay.run(rollup.project, rollup.day)
  }
  // A rollup's outcome day (see `outcomeDayMove`): a row per rollup that counts work, its numbers as JSON.
  const putOutcome = db.prepare('INSERT OR REPLACE INTO outcome_days (project, day, setup, numbers) VALUES (?, ?, ?, ?)')
  const removeOutcome = db.prepare('DELETE FROM outcome_days WHERE project = ? AND day = ? AND setup = ?')
  const selectOutcomes = db.prepare<[], { project: string; day: string; setup: string; numbers: string }>('SELECT project, day, setup, numbers FROM outcome_days ORDER BY project, setup, day')
  const moveOutcomeDay = (previous: UsageRecord | undefined, next: UsageRecord | undefined): void => {
    const rollup = next ?? previous
    const move = outcomeDayMove(previous, next)
    if (rollup === undefined || move === 'keep') return
    if (move === 'remove') removeOutcome.run(rollup.project, rollup.day, rollup.setup)
    else putOutcome.run(rollup.project, rollup.day, rollup.setup, JSON.stringify(outcomeNumbers(move)))
  }
  // A rollup key as JSON begins `["<setup>","<project>",`: the rollups of a setup in a project share that prefix.
  const firstRollup = db.prepare<[string, string], { key: string }>("SELECT key FROM records WHERE collection = 'usage' AND key >= ? AND key < ? LIMIT 1")
  const hasRollups = (setup: string, project: string): boolean => {
    const prefix = `${JSON.stringify([setup, project]).slice(0, -1)},`
    return firstRollup.get(prefix, `${prefix}\uffff`) !== undefined
  }
  const readRecord = <C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined => {
    const row = select.get(collection, JSON.stringify(key))
    return row === undefined ? undefined : (JSON.parse(row.value) as CollectionRecords[C])
  }
  // Inside a batch: each key read once, so that its writes know the stored version planning read (as the LMDB store's reader does).
  let read = new Map<string, unknown>()
  const getRecord = <C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined => {
    const id = `${collection}\u0000${JSON.stringify(key)}`
    if (read.has(id)) return read.get(id) as CollectionRecords[C] | undefined
    const record = readRecord(collection, key)
    read.set(id, record)
    return record
  }
  // Each setup's totals read once per batch, moved by every rollup of it, written once (as the LMDB store does).
  const movedTotals = (): { moved: Map<string, SetupTotalsRecord>; totals: (setup: string) => SetupTotalsRecord } => {
    const moved = new Map<string, SetupTotalsRecord>()
    const totals = (setup: string): SetupTotalsRecord => {
      const row = moved.has(setup) ? undefined : selectTotals.get(setup)
      return moved.get(setup) ?? (row === undefined ? emptySetupTotals(setup) : (JSON.parse(row.value) as SetupTotalsRecord))
    }
    return { moved, totals }
  }
  const apply = db.transaction((facts: readonly Fact[]): AppliedBatch => {
    let next = (lastSeq.get()?.value ?? 0) + 1
    const first = next
    // Commits through their by-setup index, as the LMDB store reads them; other kinds (never asked for by this workload) by a scan.
    const recordsSince = <C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string): CollectionRecords[C][] =>
      collection === 'commits'
        ? commitsOfSetup.all(setup, since, until ?? '\uffff').flatMap(({ project, hash }) => getRecord(collection, [project, hash]) ?? [])
        : orderAndLimit(collection, selectAll.all(collection).map((row) => JSON.parse(row.value) as CollectionRecords[C]).filter((record) => record.setup === setup && record.at >= since && (until === undefined || record.at < until)), { order: 'oldest' })
    read = new Map()
    const plan = planFacts({ get: getRecord, claimFact: (id) => claim.run(id, next).changes === 1 && Boolean(next++), recordsSince }, facts, rules)
    const { moved, totals } = movedTotals()
    for (const { collection, key } of plan.deletes) {
      const stored = getRecord(collection, key)
      if (stored === undefined) continue
      remove.run(collection, JSON.stringify(key))
      if (collection === 'commits') unindexCommit.run(key[0], key[1])
      if (isSearched(collection)) removeSearch.run(collection, (stored as SearchedRecord).at, JSON.stringify(key))
      if (collection === 'usage') {
        const rollup = stored as UsageRecord
        moved.set(rollup.setup, addRollupToTotals(totals(rollup.setup), rollup, -1, hasRollups(rollup.setup, rollup.project) ? 0 : -1))
        moveProjectDay(rollup, undefined)
        moveOutcomeDay(rollup, undefined)
      }
    }
    for (const write of plan.writes) {
      const key = JSON.stringify(write.key)
      const previous = getRecord(write.collection, write.key)
      if (write.collection === 'usage') {
        const before = previous as UsageRecord | undefined
        const moving = before === undefined ? totals(write.record.setup) : addRollupToTotals(totals(write.record.setup), before, -1)
        moved.set(write.record.setup, addRollupToTotals(moving, write.record, 1, before === undefined && !hasRollups(write.record.setup, write.record.project) ? 1 : 0))
        moveProjectDay(before, write.record)
        moveOutcomeDay(before, write.record)
      }
      upsert.run(write.collection, key, JSON.stringify(write.record))
      if (write.collection === 'commits') indexCommit.run(write.record.project, write.record.hash, write.record.setup, write.record.at)
      if (isSearched(write.collection)) {
        const record = write.record as SearchedRecord
        const before = previous as SearchedRecord | undefined
        if (before !== undefined && before.at !== record.at) removeSearch.run(write.collection, before.at, key)
        putSearch.run(write.collection, record.at, key, searchDigest(write.collection, record))
      }
    }
    for (const [setup, moves] of moved) {
      if (moves.projects > 0) putTotals.run(setup, JSON.stringify(moves))
      else removeTotals.run(setup)
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
    get: (collection, key) => later(() => readRecord(collection, key)),
    find: <C extends CollectionName>(collection: C, query: RecordQuery = {}) => later(() => {
      const normal = normaliseQuery(collection, query)
      const records = selectAll.all(collection).map((row) => JSON.parse(row.value) as CollectionRecords[C]).filter((record) => matchesQuery(collection, record, normal))
      return orderAndLimit(collection, records, normal)
    }),
    findCommitRefs: (query: RecordQuery = {}) => later(() => selectCommitRefs(commitRefs.all(), normaliseQuery('commits', query))),
    setupTotals: () => later(() => selectAllTotals.all().map((row) => JSON.parse(row.value) as SetupTotalsRecord)),
    projectDays: (project?: string) => later(() => (project === undefined ? selectDays.all() : selectDaysOf.all(project))),
    outcomeDays: (projects?: readonly string[]) => later(() => {
      const wanted = projects === undefined ? undefined : new Set(projects)
      return selectOutcomes.all().filter((row) => wanted === undefined || wanted.has(row.project)).map((row) => outcomeDayFrom(row.setup, row.project, row.day, JSON.parse(row.numbers) as number[]))
    }),
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
