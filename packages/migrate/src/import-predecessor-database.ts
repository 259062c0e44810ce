import type { AgentState, CollectionName, MigrationRecord, ProjectRecord, RecordBatch, SetupRecord, TrackerStore } from '@agent-tracker/core'
import { recogniseDatabase } from '@agent-tracker/lmdb-store'
import type { Database, RootDatabase } from 'lmdb'
import { legacyDatabasePath } from './detect-legacy.js'
import { splitActivityKey, splitCommitKey, splitCommunicationKey, splitRetrospectiveKey } from './legacy-keys.js'
import type { SetupTrace } from './legacy-database-records.js'
import { commitFromLegacy, gradeEventFromLegacy, legacySetupId, projectOf, setupFromLegacyAgent, setupFromTrace, sumTallies, traceSetup, tracedSetupsNote } from './legacy-database-records.js'
import type { LegacyTimeZone } from './legacy-time.js'
import { LegacyShapeError } from './legacy-values.js'
import { resolveTimeZone } from './legacy-time.js'
import type { MigrationIssue, MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { EMPTY_REPORT, messageOf, neverThrowing } from './migration-report.js'
import { openLegacyDatabase } from './open-legacy-database.js'
import { activityFromPredecessor, migrationFromPredecessor, projectFromPredecessor, retrospectiveFromPredecessor } from './predecessor-records.js'
import { addMissingProfiles } from './project-profiles.js'
import { withoutZoneShiftedCopies } from './zone-shifted-copies.js'

/** The sub-databases of the predecessor's central database, in the order they are imported. */
export const PREDECESSOR_KINDS = ['agents', 'commits', 'communication', 'retrospectives', 'activities', 'projects', 'migrations'] as const

/** A sub-database of the predecessor's central database. */
export type PredecessorKind = (typeof PREDECESSOR_KINDS)[number]

/** Options of {@link importPredecessorDatabase}. */
export interface PredecessorImportOptions extends MigrationOptions {
  /** Records per import batch; default 1000. */
  readonly chunkSize?: number
  /** How the run is recorded: `upgrade` (the database at our path, moved aside) or `merge`. Default `merge`. */
  readonly kind?: 'upgrade' | 'merge'
  /** The source to record, when it is not `path` (an upgrade records where the old database is kept). */
  readonly recordedSource?: string
}

/** What {@link importPredecessorDatabase} did, with how many records each sub-database held. */
export interface PredecessorImportReport extends MigrationReport {
  readonly read: Readonly<Record<PredecessorKind, number>>
  /** True when every sub-database was read to its end and the run was recorded (entries it reports as issues aside). */
  readonly completed: boolean
}

const NOTHING_READ: Record<PredecessorKind, number> = { agents: 0, commits: 0, communication: 0, retrospectives: 0, activities: 0, projects: 0, migrations: 0 }

/**
 * Imports everything the predecessor's central database holds (opencode-agent-tracker 0.0.x: the
 * sub-databases agents, commits, communication, retrospectives, activities, projects, migrations;
 * msgpack with shared structures, compressed): agents become setups whose scores — with the grades
 * its retrospectives and grade events record — are added to the store's (once per agent, see
 * `TrackerStore.importSetups`); commits, grade events, retrospectives (each with the grade event
 * its grades make), activities, project profiles and the per-project migrations it ran become
 * ours. Additive and idempotent; opens the source read-only after checking it; never throws.
 */
export async function importPredecessorDatabase(path: string, target: TrackerStore, options: PredecessorImportOptions = {}): Promise<PredecessorImportReport> {
  const report = await neverThrowing(path, () => importDatabase(path, target, options))
  return { read: NOTHING_READ, completed: false, ...report }
}

async function importDatabase(source: string, target: TrackerStore, options: PredecessorImportOptions): Promise<PredecessorImportReport> {
  const format = recogniseDatabase(source)
  if (format.kind !== 'predecessor-central') return { ...EMPTY_REPORT, read: NOTHING_READ, completed: false, errors: [{ source, message: `${source} is not the predecessor's central database (it is ${format.kind}).` }] }
  const zone = resolveTimeZone(options.timeZone)
  const opened = openLegacyDatabase(source, { maxDbs: 16 })
  if (!opened.ok) return { ...EMPTY_REPORT, read: NOTHING_READ, completed: false, errors: [{ source, message: opened.problem }] }
  const run = new PredecessorImport(source, target, opened.root, zone, options)
  try {
    await run.importAll(format.subDatabases)
    run.completed = true
  } catch (error) {
    run.errors.push({ source, message: `import stopped: ${messageOf(error)}` })
  } finally {
    await opened.root.close().catch(() => undefined)
  }
  return run.report()
}

/** One import run: what it read, wrote and found wrong. */
class PredecessorImport {
  readonly errors: MigrationIssue[] = []
  completed = false
  readonly #read: Record<PredecessorKind, number> = { ...NOTHING_READ }
  readonly #agents = new Map<string, SetupRecord>()
  /** Each agent's `created_at` as its record holds it (see {@link #sourceOf}). */
  readonly #created = new Map<string, string>()
  /** The setups agent records make, and the records of other setups (agents without an agent record). */
  readonly #recordedSetups = new Set<string>()
  readonly #traces = new Map<string, SetupTrace>()
  readonly #grades = new Map<string, { agent: { count: number; sum: number }; user: { count: number; sum: number } }>()
  readonly #projectOfHash = new Map<string, string>()
  readonly #projects = new Map<string, ProjectRecord>()
  readonly #migrations: MigrationRecord[] = []
  #migrated = 0
  #skipped = 0
  #combined: NonNullable<MigrationReport['combined']> = []
  #unplaced = 0
  readonly #notes: string[] = []
  readonly #now: string

  constructor(
    readonly source: string,
    readonly target: TrackerStore,
    readonly root: RootDatabase,
    readonly zone: LegacyTimeZone,
    readonly options: PredecessorImportOptions,
  ) {
    this.#now = (options.now ?? (() => new Date()))().toISOString()
  }

  async importAll(present: readonly string[]): Promise<void> {
    const total = present.reduce((sum, name) => sum + this.#table(name).getCount(), 0)
    let processed = 0
    for (const kind of PREDECESSOR_KINDS) {
      if (!present.includes(kind)) continue
      let batch: Partial<Record<CollectionName, unknown[]>> = {}
      let size = 0
      const flush = async (): Promise<void> => {
        if (size === 0) return
        // Zone-less times read in another zone than an earlier import of the same database (an
        // upgrade, then a merge of the kept copy with another --timezone) are the same entries.
        const fresh = await withoutZoneShiftedCopies(this.target, batch as RecordBatch)
        const written = await this.target.importRecords(fresh.batch)
        this.#migrated += written.written
        this.#skipped += written.skipped + fresh.dropped
        processed += size
        batch = {}
        size = 0
        this.options.onProgress?.({ source: this.source, processed, total, migrated: this.#migrated, skipped: this.#skipped })
      }
      for (const { key, value } of this.#table(kind).getRange({ snapshot: true })) {
        // The shared msgpack structures live under a symbol key in each sub-database.
        if (typeof key !== 'string') continue
        this.#read[kind] += 1
        try {
          for (const [collection, record] of this.#convert(kind, key, value)) {
            ;(batch[collection] ??= []).push(record)
          }
        } catch (error) {
          this.errors.push({ source: this.source, position: `${kind} ${JSON.stringify(key)}`, message: messageOf(error) })
        }
        size += 1
        if (size >= (this.options.chunkSize ?? 1000)) await flush()
      }
      await flush()
    }
    await this.#importSetups()
    await this.#importProjects()
    if (this.#unplaced > 0) this.#notes.push(`${String(this.#unplaced)} activities and retrospectives name no project (the predecessor did not record one for them); they were imported without one.`)
    const kind = this.options.kind ?? 'merge'
    await recordMigrationRun(this.target, {
      id: migrationId(kind, this.source), kind, source: this.options.recordedSource ?? this.source, at: this.#now, migrated: this.#migrated, skipped: this.#skipped, errors: this.errors.length, timeZone: this.zone.name,
      ...(this.#combined.length === 0 ? {} : { combinedSetups: this.#combined.map((entry) => entry.id) }),
    })
  }

  report(): PredecessorImportReport {
    return {
      migrated: this.#migrated, skipped: this.#skipped, errors: this.errors, read: this.#read, completed: this.completed, timeZone: this.zone.name,
      ...(this.#combined.length === 0 ? {} : { combined: this.#combined }), ...(this.#notes.length === 0 ? {} : { notes: this.#notes }),
    }
  }

  #table(name: string): Database<unknown, string | symbol> {
    return this.root.openDB({ name, sharedStructuresKey: Symbol.for(`structures:${name}`), compression: true })
  }

  /** The records one source entry becomes (agents and migration records are kept for the end). */
  #convert(kind: PredecessorKind, key: string, value: unknown): [CollectionName, unknown][] {
    switch (kind) {
      case 'agents': {
        const setup = setupFromLegacyAgent(key, value, this.#now, this.zone)
        this.#agents.set(key, setup)
        // As stored (a Date, as the predecessor wrote it; a string or number from older ones), not read in a zone.
        const created = (value as { created_at?: unknown } | null)?.created_at
        const born = created instanceof Date ? (Number.isNaN(created.getTime()) ? undefined : created.toISOString()) : typeof created === 'string' || typeof created === 'number' ? String(created) : undefined
        if (born !== undefined) this.#created.set(key, born)
        this.#recordedSetups.add(setup.id)
        return []
      }
      case 'commits': {
        const parts = splitCommitKey(key) ?? malformedKey('<project path>:<commit hash>')
        const commit = commitFromLegacy({ kind: 'commit', ...parts }, value, (agent) => this.#setupOf(agent), this.zone)
        this.#place(commit.hash, commit.project, commit.at)
        this.#trace(commit, commit.hash)
        return [['commits', commit]]
      }
      case 'communication': {
        const parts = splitCommunicationKey(key) ?? malformedKey('<agent>:<commit hash>:<epoch milliseconds>')
        const event = gradeEventFromLegacy({ kind: 'communication', ...parts }, value, (agent) => this.#setupOf(agent), this.zone)
        this.#place(event.commit, event.project, event.at)
        this.#tally(parts.agentId, undefined, event.userGrade)
        this.#trace(event)
        return [['gradeEvents', event]]
      }
      case 'retrospectives': {
        const { agentId, hash } = splitRetrospectiveKey(key) ?? malformedKey('<agent>:<commit hash>')
        const { retrospective, gradeEvent } = retrospectiveFromPredecessor(this.#setupOf(agentId), hash, value, (known) => this.#projectOfHash.get(known), this.zone)
        if (retrospective.project === '') this.#unplaced += 1
        this.#tally(agentId, retrospective.agentGrade, retrospective.userGrade)
        this.#trace(retrospective)
        return [['retrospectives', retrospective], ['gradeEvents', gradeEvent]]
      }
      case 'activities': {
        const { agentId } = splitActivityKey(key, (value as { timestamp?: unknown } | null)?.timestamp) ?? malformedKey('<agent>:<timestamp>')
        const activity = activityFromPredecessor(this.#setupOf(agentId), key, value, this.zone)
        this.#unplaced += 1
        this.#trace(activity)
        return [['activities', activity]]
      }
      case 'projects': {
        const project = projectFromPredecessor(key, value, this.#now)
        this.#widen(project)
        return []
      }
      case 'migrations':
        this.#migrations.push(migrationFromPredecessor(key, value, legacyDatabasePath, this.zone))
        return []
    }
  }

  #setupOf(agentId: string): string {
    return this.#agents.get(agentId)?.id ?? legacySetupId({ id: agentId })
  }

  /** Notes a record of a setup no agent record made (agents come first, so every agent record is known by now). */
  #trace(record: { readonly setup: string; readonly at: string }, commit?: string): void {
    if (!this.#recordedSetups.has(record.setup)) traceSetup(this.#traces, record, commit)
  }

  #tally(agentId: string, agentGrade: number | undefined, userGrade: number | undefined): void {
    const tally = this.#grades.get(agentId) ?? { agent: { count: 0, sum: 0 }, user: { count: 0, sum: 0 } }
    if (agentGrade !== undefined) tally.agent = { count: tally.agent.count + 1, sum: tally.agent.sum + agentGrade }
    if (userGrade !== undefined) tally.user = { count: tally.user.count + 1, sum: tally.user.sum + userGrade }
    this.#grades.set(agentId, tally)
  }

  #place(hash: string, project: string, at: string): void {
    if (!this.#projectOfHash.has(hash)) this.#projectOfHash.set(hash, project)
    this.#widen(projectOf(project, at))
  }

  #widen(project: ProjectRecord): void {
    const known = this.#projects.get(project.path)
    this.#projects.set(project.path, known === undefined ? project : {
      ...known,
      ...(known.profile === undefined && project.profile !== undefined ? { profile: project.profile } : {}),
      firstSeenAt: project.firstSeenAt < known.firstSeenAt ? project.firstSeenAt : known.firstSeenAt,
      lastSeenAt: project.lastSeenAt > known.lastSeenAt ? project.lastSeenAt : known.lastSeenAt,
    })
  }

  /** Each agent is its own source: two agents of one database never count as one re-imported part. */
  async #importSetups(): Promise<void> {
    for (const [agentId, setup] of this.#agents) {
      const grades = this.#grades.get(agentId)
      const state = grades === undefined ? setup.state : { ...setup.state, agentGrades: grades.agent, userGrades: grades.user }
      const source = await this.#sourceOf(setup.id, `#${agentId}`, this.#created.get(agentId) === undefined ? undefined : `predecessor-agent:${agentId}#created:${this.#created.get(agentId) ?? ''}`, state)
      const result = await this.target.importSetups(source, [{ ...setup, state }])
      this.#migrated += result.written
      this.#skipped += result.skipped
      this.#combined = [...this.#combined, ...result.combined]
    }
    await this.#importTracedSetups()
  }

  /**
   * The import source a setup's scores from this database are remembered under (see
   * `SetupRecord.imports`), so that importing the database again replaces its part rather than
   * adding it twice: `identity`, which every copy of one predecessor database shares — an agent and
   * the time the predecessor created it; a setup traced from records, and its first commit —
   * for the file `upgrade` moved aside, a copy of it, one on another machine. Parts an earlier
   * release remembered by the database's path (`predecessor:<path><suffix>`) are kept: this path's,
   * or another path's holding the very scores this copy reports. Without an identity, the path.
   */
  async #sourceOf(setupId: string, suffix: string, identity: string | undefined, state: AgentState): Promise<string> {
    const byPath = `predecessor:${this.source}${suffix}`
    const imports = (await this.target.get('setups', [setupId]))?.imports ?? {}
    if (imports[byPath] !== undefined) return byPath
    const copy = Object.entries(imports).find(([key, part]) => key.startsWith('predecessor:') && key.endsWith(suffix) && sameState(part, state))
    if (copy !== undefined) return copy[0]
    return identity ?? byPath
  }

  /** A setup for each agent whose records came without an agent record (see `setupFromTrace`), so that every listing shows their work. */
  async #importTracedSetups(): Promise<void> {
    const made: string[] = []
    for (const [id, trace] of this.#traces) {
      if (this.#recordedSetups.has(id)) continue
      const tallies = [...this.#grades].filter(([agentId]) => !this.#agents.has(agentId) && legacySetupId({ id: agentId }) === id).map(([, tally]) => tally)
      const grades = { agent: sumTallies(tallies.map((tally) => tally.agent)), user: sumTallies(tallies.map((tally) => tally.user)) }
      const traced = setupFromTrace(id, trace, grades, this.target.rules)
      // Named by its first commit, which is the same in any time zone its zone-less times are read in (its first time is not).
      const first = trace.firstCommit
      const source = await this.#sourceOf(id, `#setup:${id}`, first === undefined ? undefined : `predecessor-setup:${id}#commit:${first.hash}`, traced.state)
      const result = await this.target.importSetups(source, [traced])
      this.#migrated += result.written
      this.#skipped += result.skipped
      this.#combined = [...this.#combined, ...result.combined]
      made.push(id)
    }
    const note = tracedSetupsNote(made, this.target.rules)
    if (note !== undefined) this.#notes.push(note)
  }

  /** Projects once, spanning every record; a project the store has without a profile gets this one. */
  async #importProjects(): Promise<void> {
    const projects = [...this.#projects.values()]
    await this.target.importRecords({ projects })
    await addMissingProfiles(this.target, projects)
    const known = new Set((await this.target.listMigrations()).map((record) => record.id))
    for (const migration of this.#migrations) if (!known.has(migration.id)) await this.target.recordMigration(migration)
  }
}

/** A key of a shape the predecessor never wrote: its entry is reported and left out. */
function malformedKey(shape: string): never {
  throw new LegacyShapeError(`not a key of the form ${shape}, as the predecessor wrote them; left out`)
}

/** Whether two score states hold the same numbers, field by field (however their fields are ordered). */
function sameState(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((key) => sameState((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}
