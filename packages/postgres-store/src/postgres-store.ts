import type {
  AppliedBatch,
  CollectionName,
  CollectionRecords,
  CommitRef,
  Fact,
  FactLogQuery,
  ImportResult,
  LoggedFact,
  MigrationRecord,
  ProjectProfile,
  ProjectRecord,
  RecordBatch,
  RecordKey,
  ReattributeResult,
  Reattribution,
  RecordQuery,
  RefusedItem,
  ScoringRules,
  SetupImportResult,
  SetupRecord,
  TrackerStore,
} from '@agent-tracker/core'
import { REPEAT, SCHEMA_VERSION, TrackerError, screenFacts, validateFact } from '@agent-tracker/core'
import type { DeletedRecord, FactPlan, LoggedReattribution, PlannedRecord, ReattributedCollection, ReattributionInput, RecordReader, TimelineCollection } from '@agent-tracker/core/store'
import { REATTRIBUTED_COLLECTIONS, attributedFact, checkFactLogQuery, normaliseQuery, planFacts, planImport, planReattribution, planSetupImport, toCommitRef, withProfile } from '@agent-tracker/core/store'
import type { Pool, PoolClient } from 'pg'
import { quoteIdentifier } from './migrations.js'
import type { StallLimits } from './stall-limits.js'
import { transactionLimits } from './stall-limits.js'
import { findStatement, keyColumns, writeColumns } from './record-rows.js'

/** Who sends a batch: one machine's database, and the team member it belongs to. */
export interface SyncSource {
  /** Stable id of the sending database, e.g. `<machine>:<database path>`. */
  readonly source: string
  /** The member's chosen name. */
  readonly member: string
  /** The machine's name. */
  readonly machine: string
  /**
   * The sending database's own id (see the LMDB store's `databaseId`), when it has one: a database
   * deleted and made anew at the same path has another, and is then sent whole again, however its
   * log compares with what the team acknowledged.
   */
  readonly database?: string | undefined
}

/** What the team database did with a batch. */
export interface ReceivedBatch {
  /** The source's acknowledged sequence number after the batch. */
  readonly acknowledged: number
  /** Facts newer than what the source had acknowledged. */
  readonly received: number
  /** Facts that changed the team's records. */
  readonly applied: number
  /** Facts whose id the team database had already (from another machine, or an earlier send). */
  readonly repeats: number
  /** Facts refused at the door (by their local sequence number, and why): skipped, yet acknowledged. */
  readonly refused: readonly RefusedItem[]
}

/** A source's sync progress. */
export interface SyncSourceStatus extends SyncSource {
  readonly acknowledged: number
  /** Facts received from it in all. */
  readonly facts: number
  readonly lastSyncAt: string
}

/** How far the team database has acknowledged a source (see `PostgresStore.acknowledged`). */
export interface Acknowledged {
  readonly seq: number
  /** The id of the source's fact at `seq`; undefined when not known. */
  readonly id?: string
  /** The member the source last synced as; undefined for a new source. */
  readonly member?: string
  /** The id of the database that sent up to `seq` (see `SyncSource.database`); undefined when not known. */
  readonly database?: string
}

/** The meta entry holding the last fact acknowledged from a source. */
function ackedFactKey(source: string): string {
  return `acked_fact:${source}`
}

function parseAckedFact(value: string | null | undefined): { seq: number; id: string; database?: string } | undefined {
  if (value === null || value === undefined) return undefined
  try {
    const parsed = JSON.parse(value) as { seq?: unknown; id?: unknown; database?: unknown }
    if (typeof parsed.seq !== 'number' || typeof parsed.id !== 'string') return undefined
    return { seq: parsed.seq, id: parsed.id, ...(typeof parsed.database === 'string' ? { database: parsed.database } : {}) }
  } catch {
    return undefined
  }
}

/** Rows read per round trip by scans and fact-log reads. */
const PAGE = 1000

/** Where one store's data lives: the pool, the schema's quoted name, the member ('' for the whole team). */
export interface StoreLocation {
  readonly pool: Pool
  /** Turns a `pg` failure of this connection into a store error (see `translatePgError`). */
  readonly translate: (error: unknown) => unknown
  readonly schema: string
  readonly member: string
  /** How concurrent writes are kept apart (see {@link WriteConcurrency}). */
  readonly concurrency: WriteConcurrency
  /** The server-side stall limits each write transaction sets for itself (see `StallLimits`). */
  readonly stall: Pick<StallLimits, 'idleInTransactionMs' | 'lockWaitMs'>
}

/**
 * `lock` (the default): writers to one share take turns on a transaction-scoped advisory lock, as
 * LMDB's writers do. `serializable`: no lock; transactions run SERIALIZABLE and a batch that
 * conflicts with another is retried. The benchmark measures both.
 */
export type WriteConcurrency = 'lock' | 'serializable'

/** SQLSTATEs of a transaction that lost a race and may simply run again: serialization failure, deadlock, a key taken meanwhile. */
const RETRYABLE = new Set(['40001', '40P01', '23505'])
const MAX_ATTEMPTS = 50

/** Every key a plan may read, loaded inside the transaction before planning runs. */
type RecordCache = Map<string, unknown>

const slotOf = (collection: string, key: RecordKey): string => `${collection}\u0000${keyColumns(key).join('\u0000')}`

/**
 * The PostgreSQL implementation of the store port. Writes serialise per member on a
 * transaction-scoped advisory lock (as LMDB serialises its writers), so each batch re-reads the
 * records it changes inside its own transaction and no concurrent increment is lost; fact ids are
 * claimed and the fact log appended in the same transaction. Every statement is parameterised.
 */
export class PostgresStore implements TrackerStore {
  readonly rules: ScoringRules
  /** The team member whose share this store reads and writes; '' for the whole team. */
  readonly member: string
  readonly schema: string
  readonly #pool: Pool
  readonly #translate: (error: unknown) => unknown
  readonly #s: string
  readonly #ownsPool: boolean
  readonly #concurrency: WriteConcurrency
  readonly #stall: StoreLocation['stall']
  #closed = false
  #retries = 0
  /** The connections checked out of this store's own pool: a statement or transaction under way on each. */
  readonly #busy = new Set<PoolClient>()

  /** Use `openPostgresStore`. */
  constructor(location: StoreLocation, rules: ScoringRules, ownsPool: boolean) {
    this.#pool = location.pool
    this.#translate = location.translate
    this.schema = location.schema
    this.member = location.member
    this.#s = quoteIdentifier(location.schema)
    this.rules = rules
    this.#ownsPool = ownsPool
    this.#concurrency = location.concurrency
    this.#stall = location.stall
    if (ownsPool) {
      this.#pool.on('acquire', (client) => this.#busy.add(client))
      this.#pool.on('release', (_error, client) => this.#busy.delete(client))
      this.#pool.on('remove', (client) => this.#busy.delete(client))
    }
  }

  /** Transactions run again after losing a race (only with `serializable` writes). */
  get retries(): number {
    return this.#retries
  }

  /** The same database seen as another member's share (sharing this store's connections). */
  forMember(member: string): PostgresStore {
    return new PostgresStore({ pool: this.#pool, translate: this.#translate, schema: this.schema, member, concurrency: this.#concurrency, stall: this.#stall }, this.rules, false)
  }

  applyFacts(facts: readonly Fact[]): Promise<AppliedBatch> {
    return this.#run(async () => {
      const checked = facts.map((fact) => validateFact(fact))
      return this.#transaction((client) => this.applyInTransaction(client, checked))
    })
  }

  /**
   * Applies checked facts inside the caller's transaction: locks this member's writes, claims the
   * ids, plans against the records as stored now, writes them and appends the fact log.
   * @internal For sync, which applies one batch to the team and to the member in one transaction.
   */
  async applyInTransaction(client: PoolClient, facts: readonly Fact[], source?: string): Promise<AppliedBatch> {
    await this.#lock(client)
    const known = await this.#knownIds(client, facts.map((fact) => fact.id))
    const plan = await this.#plan(client, (reader) => planFacts(reader, facts, this.rules), known)
    await this.#deleteRecords(client, plan.deletes)
    await this.#putRecords(client, plan.writes)
    await this.#appendLog(client, plan.logged, source)
    return { deferred: false, applied: plan.applied, skipped: plan.skipped, recordsWritten: plan.writes.length }
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined> {
    return this.#run(async () => {
      const [k1, k2, k3] = keyColumns(key)
      const result = await this.#pool.query<{ record: CollectionRecords[C] }>(
        `SELECT record FROM ${this.#s}.records WHERE member = $1 AND collection = $2 AND k1 = $3 AND k2 = $4 AND k3 = $5`,
        [this.member, collection, k1, k2, k3])
      return result.rows[0]?.record
    })
  }

  find<C extends CollectionName>(collection: C, query: RecordQuery = {}): Promise<CollectionRecords[C][]> {
    return this.#run(async () => {
      const statement = findStatement(`${this.#s}.records`, this.member, collection, normaliseQuery(collection, query))
      const result = await this.#pool.query<{ record: CollectionRecords[C] }>(statement)
      return result.rows.map((row) => row.record)
    })
  }

  async findCommitRefs(query: RecordQuery = {}): Promise<CommitRef[]> {
    return (await this.find('commits', query)).map(toCommitRef)
  }

  knownFactIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.#run(async () => this.#knownIds(this.#pool, ids))
  }

  async *readFactLog(query?: FactLogQuery): AsyncIterable<LoggedFact> {
    this.#ensureOpen()
    const { after, limit } = checkFactLogQuery(query)
    const moves = (await this.#run(() => this.#pool.query<{ move: LoggedReattribution }>(
      `SELECT move FROM ${this.#s}.reattributions WHERE member = $1 ORDER BY n`, [this.member]))).rows.map((row) => row.move)
    let seq = after
    let left = limit
    while (left > 0) {
      const page = Math.min(PAGE, left)
      const result = await this.#run(() => this.#pool.query<{ seq: string; fact: Fact }>(
        `SELECT seq, fact FROM ${this.#s}.fact_log WHERE member = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [this.member, seq, page]))
      for (const row of result.rows) {
        seq = Number(row.seq)
        yield { seq, fact: moves.length === 0 ? row.fact : attributedFact(row.fact, seq, moves) }
      }
      left -= result.rows.length
      if (result.rows.length < page) return
    }
  }

  lastFactSeq(): Promise<number> {
    return this.#run(async () => this.#lastSeq(this.#pool))
  }

  async *scan<C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
    this.#ensureOpen()
    let last: [string, string, string] | undefined
    for (;;) {
      const after = last === undefined ? '' : ' AND (k1, k2, k3) > ($3, $4, $5)'
      const values = last === undefined ? [this.member, collection] : [this.member, collection, ...last]
      const result = await this.#run(() => this.#pool.query<{ k1: string; k2: string; k3: string; record: CollectionRecords[C] }>(
        `SELECT k1, k2, k3, record FROM ${this.#s}.records WHERE member = $1 AND collection = $2${after} ORDER BY k1, k2, k3 LIMIT ${String(PAGE)}`, values))
      for (const row of result.rows) yield row.record
      const tail = result.rows.at(-1)
      if (tail === undefined || result.rows.length < PAGE) return
      last = [tail.k1, tail.k2, tail.k3]
    }
  }

  importRecords(batch: RecordBatch): Promise<ImportResult> {
    return this.#run(() => this.#transaction(async (client) => {
      await this.#lock(client)
      const plan = await this.#plan(client, (reader) => planImport(reader, batch), new Set())
      await this.#putRecords(client, plan.writes)
      return { written: plan.written, skipped: plan.skipped }
    }))
  }

  importSetups(source: string, setups: readonly SetupRecord[]): Promise<SetupImportResult> {
    return this.#run(() => this.#transaction(async (client) => {
      await this.#lock(client)
      const own = `database:${await this.#databaseId(client)}`
      const stored = await this.#loadRecords(client, setups.map((setup): [CollectionName, RecordKey] => ['setups', [setup.id]]))
      const plan = planSetupImport((id) => stored.get(slotOf('setups', [id])) as SetupRecord | undefined, setups, source, this.rules, own)
      await this.#putRecords(client, plan.puts.map((record) => ({ collection: 'setups', key: [record.id], record })))
      return plan.result
    }))
  }

  reattribute(move: Reattribution): Promise<ReattributeResult> {
    return this.#run(() => this.#transaction(async (client) => {
      await this.#lock(client)
      const collections = [...REATTRIBUTED_COLLECTIONS]
      const found = await client.query<{ collection: ReattributedCollection; record: unknown }>(
        `SELECT collection, record FROM ${this.#s}.records WHERE member = $1 AND collection = ANY($2::text[]) AND setup = $3 AND project = $4`,
        [this.member, collections, move.from, move.project])
      const records = Object.fromEntries(collections.map((c) => [c, found.rows.filter((row) => row.collection === c).map((row) => row.record)])) as unknown as ReattributionInput['records']
      const other = await client.query<{ found: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${this.#s}.records WHERE member = $1 AND collection = ANY($2::text[]) AND setup = $3 AND project <> $4) AS found`,
        [this.member, collections, move.from, move.project])
      const fromHasOtherRecords = other.rows[0]?.found === true
      const plan = await this.#plan(client, (reader) => planReattribution(move, { records, fromHasOtherRecords, get: (collection, key) => reader.get(collection, key) }, this.rules), new Set())
      await this.#deleteRecords(client, plan.deletes)
      await this.#putRecords(client, plan.puts)
      // Facts logged so far under `from` in the project are read as `to`'s from now on.
      const throughSeq = await this.#lastSeq(client)
      if (throughSeq > 0) {
        const logged: LoggedReattribution = { from: move.from, to: move.to, project: move.project, throughSeq }
        await client.query(
          `INSERT INTO ${this.#s}.reattributions (member, n, move) SELECT $1, coalesce(max(n), 0) + 1, $2::json FROM ${this.#s}.reattributions WHERE member = $1`,
          [this.member, JSON.stringify(logged)])
      }
      return plan.result
    }))
  }

  saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord> {
    return this.#run(() => this.#transaction(async (client) => {
      await this.#lock(client)
      const stored = await this.#loadRecords(client, [['projects', [path]]])
      const record = withProfile(stored.get(slotOf('projects', [path])) as ProjectRecord | undefined, path, profile)
      await this.#putRecords(client, [{ collection: 'projects', key: [path], record }])
      return record
    }))
  }

  schemaVersion(): Promise<number> {
    return this.#run(async () => {
      const result = await this.#pool.query<{ value: string }>(`SELECT value FROM ${this.#s}.meta WHERE name = 'schema_version'`)
      return result.rows[0] === undefined ? SCHEMA_VERSION : Number(result.rows[0].value)
    })
  }

  recordMigration(record: MigrationRecord): Promise<void> {
    return this.#run(async () => {
      await this.#pool.query(
        `INSERT INTO ${this.#s}.migrations (member, id, at, record) VALUES ($1, $2, $3, $4::json)
         ON CONFLICT (member, id) DO UPDATE SET at = excluded.at, record = excluded.record`,
        [this.member, record.id, record.at, JSON.stringify(record)])
    })
  }

  listMigrations(): Promise<MigrationRecord[]> {
    return this.#run(async () => {
      const result = await this.#pool.query<{ record: MigrationRecord }>(`SELECT record FROM ${this.#s}.migrations WHERE member = $1 ORDER BY at, id`, [this.member])
      return result.rows.map((row) => row.record)
    })
  }

  /**
   * Takes one batch of a machine's fact log, in one transaction: the facts after what this source
   * had acknowledged are applied to the whole team and to the member's share (each skipping ids it
   * has, so a resend changes nothing), and the source's acknowledged sequence number moves to the
   * batch's last. Concurrent batches of one source wait for each other.
   */
  receive(from: SyncSource, batch: readonly LoggedFact[]): Promise<ReceivedBatch> {
    return this.#run(() => this.#transaction(async (client) => {
      const table = `${this.#s}.sync_sources`
      await client.query(
        `INSERT INTO ${table} (source, member, machine, acked_seq, facts, last_sync_at) VALUES ($1, $2, $3, 0, 0, now()) ON CONFLICT (source) DO NOTHING`,
        [from.source, from.member, from.machine])
      const row = await client.query<{ acked_seq: string }>(`SELECT acked_seq FROM ${table} WHERE source = $1 FOR UPDATE`, [from.source])
      const acked = Number(row.rows[0]?.acked_seq ?? 0)
      const fresh = batch.filter((entry) => entry.seq > acked)
      // The team's door: a fact that fails its check is reported by its sequence number and skipped; the rest go in.
      const { facts, refused } = screenFacts(fresh, (entry) => entry.fact, (entry) => `fact #${String(entry.seq)}`)
      const team = await this.applyInTransaction(client, facts, from.source)
      await this.forMember(from.member).applyInTransaction(client, facts, from.source)
      const last = Math.max(acked, ...fresh.map((entry) => entry.seq))
      await client.query(
        `UPDATE ${table} SET member = $2, machine = $3, acked_seq = $4, facts = facts + $5, last_sync_at = now() WHERE source = $1`,
        [from.source, from.member, from.machine, last, fresh.length])
      // The fact at that place, for the next sync to check the machine's log against (kept in meta,
      // which every release of the schema has: a release that does not write it still reads this one).
      const lastFact = fresh.find((entry) => entry.seq === last)
      if (lastFact !== undefined) {
        await client.query(
          `INSERT INTO ${this.#s}.meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
          [ackedFactKey(from.source), JSON.stringify({ seq: lastFact.seq, id: lastFact.fact.id, ...(from.database === undefined ? {} : { database: from.database }) })])
      }
      return { acknowledged: last, received: fresh.length, applied: team.applied, repeats: team.skipped.filter((s) => s.reason === REPEAT).length, refused }
    }))
  }

  /**
   * How far the team database has acknowledged a source: the last sequence number (0 for a new
   * source), the id of the fact it had there and of the database that sent it, when known (a
   * source last synced by an older release has neither), and the member it synced as.
   */
  acknowledged(source: string): Promise<Acknowledged> {
    return this.#run(async () => {
      const result = await this.#pool.query<{ acked_seq: string; member: string; fact: string | null }>(
        `SELECT acked_seq, member, (SELECT value FROM ${this.#s}.meta WHERE name = $2) AS fact FROM ${this.#s}.sync_sources WHERE source = $1`, [source, ackedFactKey(source)])
      const row = result.rows[0]
      if (row === undefined) return { seq: 0 }
      const seq = Number(row.acked_seq)
      const fact = parseAckedFact(row.fact)
      // An older release may have moved the sequence number on without it: then the id is not known.
      return { seq, member: row.member, ...(fact?.seq === seq ? { id: fact.id, ...(fact.database === undefined ? {} : { database: fact.database }) } : {}) }
    })
  }

  /** Forgets what a source had acknowledged, so that its whole log is sent again (repeats are skipped by id). */
  resetSource(source: string): Promise<void> {
    return this.#run(() => this.#transaction(async (client) => {
      await client.query(`UPDATE ${this.#s}.sync_sources SET acked_seq = 0 WHERE source = $1`, [source])
      await client.query(`DELETE FROM ${this.#s}.meta WHERE name = $1`, [ackedFactKey(source)])
    }))
  }

  /** Every machine database that has synced, with its member and progress, most recent first. */
  syncSources(): Promise<SyncSourceStatus[]> {
    return this.#run(async () => {
      const result = await this.#pool.query<{ source: string; member: string; machine: string; acked_seq: string; facts: string; last_sync_at: Date }>(
        `SELECT source, member, machine, acked_seq, facts, last_sync_at FROM ${this.#s}.sync_sources ORDER BY last_sync_at DESC, source`)
      return result.rows.map((row) => ({
        source: row.source, member: row.member, machine: row.machine,
        acknowledged: Number(row.acked_seq), facts: Number(row.facts), lastSyncAt: row.last_sync_at.toISOString(),
      }))
    })
  }

  /** The names of the members with a share of their own (everyone who has synced), sorted. */
  members(): Promise<string[]> {
    return this.#run(async () => {
      // One index probe per member rather than a scan of every record.
      const result = await this.#pool.query<{ member: string }>(
        `WITH RECURSIVE found AS (
           SELECT min(member) AS member FROM ${this.#s}.records WHERE member > ''
           UNION ALL
           SELECT (SELECT min(member) FROM ${this.#s}.records WHERE member > found.member) FROM found WHERE found.member IS NOT NULL)
         SELECT member FROM found WHERE member IS NOT NULL
         UNION SELECT member FROM ${this.#s}.sync_sources WHERE member > ''`)
      return result.rows.map((row) => row.member).sort()
    })
  }

  /** The newest schema migration applied to the team database. */
  migration(): Promise<number> {
    return this.#run(async () => {
      const result = await this.#pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${this.#s}.schema_migrations`)
      return result.rows[0]?.version ?? 0
    })
  }

  /**
   * Closes the connections (unless this store shares another's); later calls reject with
   * STORE_CLOSED. A statement under way is waited for — on a network gone quiet, up to
   * `StallLimits.answerMs` — unless `abandon` is set: then its connection is cut at once, the
   * statement rejects, and the server rolls its transaction back as for any lost connection.
   */
  async close(options: { readonly abandon?: boolean } = {}): Promise<void> {
    if (this.#ownsPool && options.abandon === true) {
      for (const client of this.#busy) (client as unknown as { readonly connection?: { readonly stream?: { destroy(): void } } }).connection?.stream?.destroy()
    }
    if (this.#closed) return
    this.#closed = true
    if (this.#ownsPool) await this.#pool.end()
  }

  /**
   * Runs work in one transaction on one connection: committed when it returns, rolled back when it
   * throws. With `serializable` writes, a transaction that lost a race runs again from the start.
   */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transactionOnce(work)
      } catch (error) {
        const state = (error as { code?: unknown }).code
        if (this.#concurrency !== 'serializable' || attempt >= MAX_ATTEMPTS || typeof state !== 'string' || !RETRYABLE.has(state)) throw error
        this.#retries += 1
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)))
      }
    }
  }

  async #transactionOnce<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect()
    let unusable: Error | undefined
    // The server can go away mid-transaction (a restart): the statement under way rejects, and
    // the connection's own error event must not crash the process.
    const onError = (error: Error): void => {
      unusable = error
    }
    client.on('error', onError)
    try {
      await client.query(this.#concurrency === 'serializable' ? 'BEGIN ISOLATION LEVEL SERIALIZABLE' : 'BEGIN')
      await client.query(transactionLimits(this.#stall))
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        // A connection that cannot even roll back is dropped rather than reused.
        unusable = rollback instanceof Error ? rollback : new Error(String(rollback))
      })
      throw error
    } finally {
      client.off('error', onError)
      client.release(unusable)
    }
  }

  /** Serialises this member's writes until the transaction ends. */
  async #lock(client: PoolClient): Promise<void> {
    if (this.#concurrency === 'serializable') return
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`agent-tracker:write:${this.schema}:${this.member}`])
  }

  async #knownIds(client: Pick<PoolClient, 'query'>, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set()
    const result = await client.query<{ id: string }>(`SELECT id FROM ${this.#s}.fact_ids WHERE member = $1 AND id = ANY($2::text[])`, [this.member, [...new Set(ids)]])
    return new Set(result.rows.map((row) => row.id))
  }

  async #lastSeq(client: Pick<PoolClient, 'query'>): Promise<number> {
    const result = await client.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM ${this.#s}.fact_log WHERE member = $1`, [this.member])
    return Number(result.rows[0]?.seq ?? 0)
  }

  /**
   * Runs a pure planner against the records of this transaction. Planning reads synchronously:
   * it runs once with what is loaded, noting every key (and range of a setup's records) it missed;
   * those are loaded and it runs again, until it misses none (usually twice: setups, projects and
   * rollups, then what a fact's records lead to; an amend adds the grade events and bugs after the
   * commit it replaced).
   */
  async #plan<P>(client: PoolClient, planner: (reader: RecordReader) => P, known: ReadonlySet<string>): Promise<P> {
    const cache: RecordCache = new Map()
    const ranges = new Map<string, readonly unknown[]>()
    for (;;) {
      const missing = new Map<string, [CollectionName, RecordKey]>()
      const missingRanges = new Map<string, [TimelineCollection, string, string, string | undefined]>()
      const claimed = new Set<string>()
      const reader: RecordReader = {
        get: <C extends CollectionName>(collection: C, key: RecordKey) => {
          const slot = slotOf(collection, key)
          if (cache.has(slot)) return cache.get(slot) as CollectionRecords[C] | undefined
          missing.set(slot, [collection, key])
          return undefined
        },
        recordsSince: <C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string) => {
          const range = slotOf(collection, until === undefined ? [setup, since] : [setup, since, until])
          const found = ranges.get(range)
          if (found !== undefined) return found as CollectionRecords[C][]
          missingRanges.set(range, [collection, setup, since, until])
          return []
        },
        claimFact: (id) => {
          if (known.has(id) || claimed.has(id)) return false
          claimed.add(id)
          return true
        },
      }
      const plan = planner(reader)
      if (missing.size === 0 && missingRanges.size === 0) return plan
      const loaded = await this.#loadRecords(client, [...missing.values()])
      for (const slot of missing.keys()) cache.set(slot, loaded.get(slot))
      for (const [range, [collection, setup, since, until]] of missingRanges) {
        const statement = findStatement(`${this.#s}.records`, this.member, collection, { setup, since, ...(until === undefined ? {} : { until }), order: 'oldest' })
        ranges.set(range, (await client.query<{ record: unknown }>(statement)).rows.map((row) => row.record))
      }
    }
  }

  async #loadRecords(client: PoolClient, keys: readonly [CollectionName, RecordKey][]): Promise<Map<string, unknown>> {
    const columns: string[][] = [[], [], [], []]
    for (const [collection, key] of keys) {
      const [k1, k2, k3] = keyColumns(key)
      columns[0]?.push(collection)
      columns[1]?.push(k1)
      columns[2]?.push(k2)
      columns[3]?.push(k3)
    }
    const result = await client.query<{ collection: string; k1: string; k2: string; k3: string; record: unknown }>(
      `SELECT r.collection, r.k1, r.k2, r.k3, r.record FROM ${this.#s}.records r
       JOIN unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS wanted(collection, k1, k2, k3)
         ON r.collection = wanted.collection AND r.k1 = wanted.k1 AND r.k2 = wanted.k2 AND r.k3 = wanted.k3
       WHERE r.member = $1`,
      [this.member, ...columns])
    return new Map(result.rows.map((row) => [`${row.collection}\u0000${row.k1}\u0000${row.k2}\u0000${row.k3}`, row.record]))
  }

  async #deleteRecords(client: PoolClient, deletes: readonly DeletedRecord[]): Promise<void> {
    if (deletes.length === 0) return
    const columns = deletes.map((d) => [d.collection, ...keyColumns(d.key)])
    await client.query(
      `DELETE FROM ${this.#s}.records r USING unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS gone(collection, k1, k2, k3)
       WHERE r.member = $1 AND r.collection = gone.collection AND r.k1 = gone.k1 AND r.k2 = gone.k2 AND r.k3 = gone.k3`,
      [this.member, ...[0, 1, 2, 3].map((i) => columns.map((c) => c[i]))])
  }

  /** This database's id (made on first use): what marks its own scores in setups other databases import. */
  async #databaseId(client: PoolClient): Promise<string> {
    await client.query(`INSERT INTO ${this.#s}.meta (name, value) VALUES ('database_id', gen_random_uuid()::text) ON CONFLICT (name) DO NOTHING`)
    const result = await client.query<{ value: string }>(`SELECT value FROM ${this.#s}.meta WHERE name = 'database_id'`)
    return `${result.rows[0]?.value ?? ''}${this.member === '' ? '' : `:${this.member}`}`
  }

  async #putRecords(client: PoolClient, writes: readonly PlannedRecord[]): Promise<void> {
    if (writes.length === 0) return
    await client.query(
      `INSERT INTO ${this.#s}.records (member, collection, k1, k2, k3, at, setup, project, record)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::json[])
       ON CONFLICT (member, collection, k1, k2, k3) DO UPDATE SET at = excluded.at, setup = excluded.setup, project = excluded.project, record = excluded.record`,
      [this.member, ...writeColumns(writes)])
  }

  async #appendLog(client: PoolClient, logged: FactPlan['logged'], source: string | undefined): Promise<void> {
    if (logged.length === 0) return
    const first = (await this.#lastSeq(client)) + 1
    const ids = logged.map((fact) => fact.id)
    const facts = logged.map((fact) => JSON.stringify(fact))
    await client.query(
      `INSERT INTO ${this.#s}.fact_log (member, seq, fact, source)
       SELECT $1, $2::bigint + ordinality - 1, fact, $4 FROM unnest($3::json[]) WITH ORDINALITY AS f(fact, ordinality)`,
      [this.member, first, facts, source ?? null])
    await client.query(
      `INSERT INTO ${this.#s}.fact_ids (member, id, seq)
       SELECT $1, id, $2::bigint + ordinality - 1 FROM unnest($3::text[]) WITH ORDINALITY AS f(id, ordinality)`,
      [this.member, first, ids])
  }

  /** Runs a call: STORE_CLOSED once closed, and `pg`'s errors as the store's own. */
  async #run<T>(work: () => Promise<T>): Promise<T> {
    this.#ensureOpen()
    try {
      return await work()
    } catch (error) {
      throw this.#translate(error)
    }
  }

  #ensureOpen(): void {
    if (this.#closed) throw new TrackerError('STORE_CLOSED', 'The team database store is closed.')
  }
}
