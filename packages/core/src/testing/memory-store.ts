import { TrackerError } from '../errors.js'
import type { Fact } from '../facts/facts.js'
import { selectCommitRefs, toCommitRef } from '../store/commit-ref.js'
import { planFacts } from '../planning/plan-facts.js'
import { planImport } from '../planning/plan-import.js'
import type { RecordReader, TimelineCollection } from '../planning/plan-overlay.js'
import { withProfile } from '../planning/plan-projects.js'
import type { LoggedReattribution, ReattributionInput } from '../planning/plan-reattribution.js'
import { REATTRIBUTED_COLLECTIONS, attributedFact, planReattribution } from '../planning/plan-reattribution.js'
import { planSetupImport } from '../scoring/combine-setups.js'
import { matchesQuery, normaliseQuery, orderAndLimit } from '../store/record-query.js'
import type { CollectionName, CollectionRecords, RecordKey } from '../store/records.js'
import { COLLECTIONS, compareKeys } from '../store/records.js'
import type { ScoringRules, ScoringRulesInput } from '../scoring/rules.js'
import { resolveRules } from '../scoring/rules.js'
import { checkFactLogQuery } from '../store/fact-log-query.js'
import type { AppliedBatch, FactLogQuery, ImportResult, LoggedFact, MigrationRecord, RecordBatch, SyncTrackerStore } from '../store/tracker-store.js'
import { SCHEMA_VERSION } from '../store/tracker-store.js'
import { validateFact } from '../facts/validate-fact.js'

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Scoring rules (partial rules are merged over the defaults). */
  readonly rules?: ScoringRulesInput
}

type Table = Map<string, { readonly key: RecordKey; readonly record: unknown }>

/**
 * An in-memory store implementing the port, for tests and for hosts that want no persistence.
 * Records are copied in and out, as a persistent store would.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): SyncTrackerStore {
  const rules: ScoringRules = resolveRules(options.rules ?? {})
  const tables = new Map<CollectionName, Table>(COLLECTIONS.map((name) => [name, new Map()]))
  const migrations = new Map<string, MigrationRecord>()
  /** The fact log (sequence number = position + 1) and every logged id with its sequence number. */
  const log: Fact[] = []
  const factIds = new Map<string, number>()
  /** Reattributions, for reading the log (see `attributedFact`). */
  const reattributions: LoggedReattribution[] = []
  // How this store names itself as an import source (see `combineSetup`).
  const ownSource = `database:memory-${String(Date.now())}-${Math.random().toString(36).slice(2)}`
  let closed = false

  const table = (collection: CollectionName): Table => {
    const found = tables.get(collection)
    if (found === undefined) throw new TrackerError('INVALID_QUERY', `Unknown collection "${collection}".`)
    return found
  }
  const slot = (key: RecordKey): string => JSON.stringify(key)
  const ensureOpen = (): void => {
    if (closed) throw new TrackerError('STORE_CLOSED', 'The memory store is closed.')
  }
  const getRecord = <C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined =>
    table(collection).get(slot(key))?.record as CollectionRecords[C] | undefined
  const put = (collection: CollectionName, key: RecordKey, record: unknown): void => {
    table(collection).set(slot(key), { key, record: copy(record) })
  }

  const applyFactsSync = (facts: readonly Fact[]): AppliedBatch => {
    ensureOpen()
    const checked = facts.map((fact) => validateFact(fact))
    const claimed = new Set<string>()
    const reader: RecordReader = {
      get: getRecord,
      claimFact: (id) => {
        if (factIds.has(id) || claimed.has(id)) return false
        claimed.add(id)
        return true
      },
      recordsSince: <C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string) => {
        const records = [...table(collection).values()].map((entry) => entry.record as CollectionRecords[C])
        const within = (record: CollectionRecords[C]): boolean => record.setup === setup && record.at >= since && (until === undefined || record.at < until)
        return orderAndLimit(collection, records.filter(within), { order: 'oldest' })
      },
    }
    const plan = planFacts(reader, checked, rules)
    for (const { collection, key } of plan.deletes) table(collection).delete(slot(key))
    for (const write of plan.writes) put(write.collection, write.key, write.record)
    for (const fact of plan.logged) {
      log.push(copy(fact))
      factIds.set(fact.id, log.length)
    }
    return { deferred: false, applied: plan.applied, skipped: plan.skipped, recordsWritten: plan.writes.length }
  }

  return {
    rules,
    applyFactsSync,
    applyFacts: (facts) => Promise.resolve().then(() => applyFactsSync(facts)),

    get: <C extends CollectionName>(collection: C, key: RecordKey) =>
      Promise.resolve().then(() => {
        ensureOpen()
        const found = getRecord(collection, key)
        return found === undefined ? undefined : copy(found)
      }),

    find: <C extends CollectionName>(collection: C, query = {}) =>
      Promise.resolve().then(() => {
        ensureOpen()
        const normal = normaliseQuery(collection, query)
        const matching = [...table(collection).values()]
          .map((entry) => entry.record as CollectionRecords[C])
          .filter((record) => matchesQuery(collection, record, normal))
        return orderAndLimit(collection, matching, normal).map(copy)
      }),

    findCommitRefs: (query = {}) =>
      Promise.resolve().then(() => {
        ensureOpen()
        const refs = [...table('commits').values()].map((entry) => toCommitRef(entry.record as CollectionRecords['commits']))
        return selectCommitRefs(refs, normaliseQuery('commits', query))
      }),

    knownFactIds: (ids) =>
      Promise.resolve().then(() => {
        ensureOpen()
        return new Set(ids.filter((id) => factIds.has(id)))
      }),

    // eslint-disable-next-line @typescript-eslint/require-await -- the port is async; this store has nothing to wait for
    async *readFactLog(query?: FactLogQuery): AsyncIterable<LoggedFact> {
      ensureOpen()
      const { after, limit } = checkFactLogQuery(query)
      const end = Math.min(log.length, after + limit)
      for (let seq = after + 1; seq <= end; seq++) {
        const fact = log[seq - 1]
        if (fact !== undefined) yield { seq, fact: attributedFact(copy(fact), seq, reattributions) }
      }
    },

    lastFactSeq: () => Promise.resolve().then(() => (ensureOpen(), log.length)),

    // eslint-disable-next-line @typescript-eslint/require-await -- the port is async; this store has nothing to wait for
    async *scan<C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
      ensureOpen()
      const entries = [...table(collection).values()].sort((a, b) => compareKeys(a.key, b.key))
      for (const entry of entries) yield copy(entry.record as CollectionRecords[C])
    },

    importRecords: (batch: RecordBatch) =>
      Promise.resolve().then((): ImportResult => {
        ensureOpen()
        const plan = planImport({ get: getRecord }, batch)
        for (const write of plan.writes) put(write.collection, write.key, write.record)
        return { written: plan.written, skipped: plan.skipped }
      }),

    importSetups: (source, setups) =>
      Promise.resolve().then(() => {
        ensureOpen()
        const plan = planSetupImport((id) => getRecord('setups', [id]), setups, source, rules, ownSource)
        for (const record of plan.puts) put('setups', [record.id], record)
        return copy(plan.result)
      }),

    reattribute: (move) =>
      Promise.resolve().then(() => {
        ensureOpen()
        const ofFrom = (collection: CollectionName): unknown[] => [...table(collection).values()].map((entry) => entry.record).filter((record) => (record as { setup?: string }).setup === move.from)
        const inProject = (record: unknown): boolean => (record as { project?: string }).project === move.project
        const records = Object.fromEntries(REATTRIBUTED_COLLECTIONS.map((c) => [c, ofFrom(c).filter(inProject)])) as unknown as ReattributionInput['records']
        const fromHasOtherRecords = REATTRIBUTED_COLLECTIONS.some((c) => ofFrom(c).some((record) => !inProject(record)))
        const plan = planReattribution(move, { records, get: getRecord, fromHasOtherRecords }, rules)
        for (const { collection, key } of plan.deletes) table(collection).delete(slot(key))
        for (const write of plan.puts) put(write.collection, write.key, write.record)
        if (log.length > 0) reattributions.push({ from: move.from, to: move.to, project: move.project, throughSeq: log.length })
        return plan.result
      }),

    saveProjectProfile: (path, profile) =>
      Promise.resolve().then(() => {
        ensureOpen()
        const record = withProfile(getRecord('projects', [path]), path, profile)
        put('projects', [path], record)
        return copy(record)
      }),

    schemaVersion: () => Promise.resolve().then(() => (ensureOpen(), SCHEMA_VERSION)),
    recordMigration: (record) =>
      Promise.resolve().then(() => {
        ensureOpen()
        migrations.set(record.id, copy(record))
      }),
    listMigrations: () =>
      Promise.resolve().then(() => {
        ensureOpen()
        return [...migrations.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map(copy)
      }),
    close: () => {
      closed = true
      return Promise.resolve()
    },
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}
