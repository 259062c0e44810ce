import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AgentState, CollectionName, CollectionRecords, Fact, LoggedFact, ProjectRecord, RecordBatch, SetupRecord, TrackerStore, UsageRecord } from '@agent-tracker/core'
import { COLLECTIONS, REPEAT, communicationCap, gradeWithoutCommitReason, gradesWithoutCommit, validateFact, validateRecord } from '@agent-tracker/core'
import { emptyUsage, recordKey } from '@agent-tracker/core/store'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { open } from 'lmdb'
import { MEMORY_PATH, isLmdbStoreError, openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import { importPredecessorDatabase } from './import-predecessor-database.js'
import { uncapped } from './legacy-values.js'
import type { MigrationIssue, MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { messageOf, neverThrowing } from './migration-report.js'
import { mergeSourceProblem } from './merge-source.js'
import { addMissingProfiles } from './project-profiles.js'
import { baselineOf } from './setup-baseline.js'
import { withoutZoneShiftedCopies } from './zone-shifted-copies.js'

/** Options of {@link mergeDatabase}. */
export interface MergeOptions extends MigrationOptions {
  /** Facts or records per write; default 1000. */
  readonly chunkSize?: number
}

/** What a merge did: the records and facts it brought across, and each item it refused, by place. */
export interface MergeReport extends MigrationReport {
  /** Facts of the other database's fact log applied here, and those this database had already. */
  readonly facts: { readonly applied: number; readonly repeats: number; readonly withoutEffect: number }
  /** Projects here (made by the replayed facts, or here before) that had no profile and got the other database's. */
  readonly profiles: number
}

/** What a merge reads of the other database: its fact log and its records (an open database, or what was salvaged from one). */
export interface MergeSource {
  readFactLog(): AsyncIterable<LoggedFact> | Iterable<LoggedFact>
  scan(collection: CollectionName): AsyncIterable<unknown> | Iterable<unknown>
}

/** What was salvaged from a damaged database (see `salvageDatabase` of the LMDB store). */
export interface SalvagedSource {
  readonly facts: readonly LoggedFact[]
  readonly records: Partial<Record<CollectionName, readonly unknown[]>>
  readonly databaseId?: string
}

/** Collections whose records come across as they are (setups and day rollups are recomputed). */
const COPIED: readonly CollectionName[] = COLLECTIONS.filter((c) => c !== 'setups' && c !== 'usage')

/**
 * Collections whose records facts make: events under the fact's own id, commits and reviews under
 * their commit. Such a record of the other database that its replayed facts make too is theirs: it
 * is here when its fact had an effect here, and must not come across when the fact had none (a
 * grade for a commit already graded; a commit this database knows already, and may have since
 * replaced by an amend — copied, it would count twice). Records no fact makes (legacy imports) come
 * across where their key is free.
 */
const MADE_BY_FACTS: ReadonlySet<CollectionName> = new Set(['gradeEvents', 'bugs', 'activities', 'commits', 'retrospectives'])

/**
 * Adds another agent-tracker database (e.g. from another machine) to the store, recomputing
 * instead of copying state, so a damaged or hostile source cannot plant impossible scores:
 * - its fact log is replayed here: every fact is checked, applied with this store's rules, and
 *   skipped when this store has its id already (so merging again adds nothing);
 * - records no fact backs (legacy imports) are checked and added where their key is free; a record
 *   its replayed facts make is never copied, so a fact without effect here (a grade of a commit
 *   already graded) brings nothing in through its record;
 * - what a setup or day rollup holds beyond its facts (a baseline from a legacy import) is checked
 *   and added as that database's part, once (see `TrackerStore.importSetups`: a setup in both gets
 *   the other's part added to its own, and merging the same database again adds only what changed);
 * - a setup whose whole history here the other database holds (every fact of it here is in its
 *   log, every part it imported here it has the same) takes the other's scores, checked: sums of
 *   parts lose the order in which parts came among its facts, on which level-ups, the
 *   communication cap and the floors at 0 depend (only where the target can write a setup as it
 *   is, `LmdbStore.replaceSetups`);
 * - a project comes with its profile (what kind of project it is, read on the other machine, for
 *   `recommend` and `search`): a project this database lacks comes whole, and one it has without a
 *   profile gets the other's; a profile this database has is kept;
 * - entries made from legacy data that the store has under another time (the same journal read in
 *   another time zone) are recognised as the same.
 * The predecessor's central database is imported whole (see `importPredecessorDatabase`).
 * Every item that fails a check is reported with its place (fact sequence number or record key)
 * and skipped; the rest goes in. Opens the other database read-only; never throws.
 */
export async function mergeDatabase(otherPath: string, target: TrackerStore, options: MergeOptions = {}): Promise<MergeReport> {
  const source = resolve(otherPath)
  return neverThrowingMerge(source, () => mergeFrom(source, target, options))
}

async function mergeFrom(source: string, target: TrackerStore, options: MergeOptions): Promise<MergeReport> {
  const format = recogniseDatabase(source)
  if (format.kind === 'predecessor-central') return { ...(await importPredecessorDatabase(source, target, { ...options, kind: 'merge' })), ...NOTHING_MERGED }
  const problem = mergeSourceProblem(source, format)
  if (problem !== undefined) return { migrated: 0, skipped: 0, errors: [{ source, message: problem }], ...NOTHING_MERGED }
  let other: LmdbStore
  let upgradedCopy: string | undefined
  try {
    // Read-only: a database of schema 2 is read as it is, so a copy another release wrote stays
    // readable to it. Schema 1, which this release cannot read as it is, is upgraded in a copy:
    // the source stays as its release wrote it (upgraded, it would be too new for that release).
    try {
      other = openLmdbStore({ databasePath: source, readOnly: true, upgrade: false })
    } catch (error) {
      if (!isLmdbStoreError(error, 'DATABASE_NEEDS_UPGRADE')) throw error
      upgradedCopy = mkdtempSync(join(tmpdir(), 'agent-tracker-merge-'))
      const copy = join(upgradedCopy, 'source.lmdb')
      // Copied by LMDB inside a read transaction: the release that wrote it may be writing to it now,
      // and a copy of its bytes as they lie could hold pages a commit was still changing.
      const raw = open({ path: source, noSubdir: !statSync(source).isDirectory(), readOnly: true, maxDbs: 16 })
      try {
        await raw.backup(copy, false)
      } finally {
        await raw.close()
      }
      other = openLmdbStore({ databasePath: copy, readOnly: true })
    }
  } catch (error) {
    if (upgradedCopy !== undefined) rmSync(upgradedCopy, { recursive: true, force: true })
    return { migrated: 0, skipped: 0, errors: [{ source, message: messageOf(error) }], ...NOTHING_MERGED }
  }
  try {
    const report = await mergeFromSource(source, await sourceName(source, other, target), other, target, options, 'merge')
    try {
      await other.close()
    } catch (error) {
      return { ...report, errors: [...report.errors, { source, message: `could not be closed after merging: ${messageOf(error)}` }] }
    }
    return report
  } finally {
    if (upgradedCopy !== undefined) rmSync(upgradedCopy, { recursive: true, force: true })
  }
}

/**
 * The names another database's parts of the scores are remembered under (see
 * `TrackerStore.importSetups`): its own id when it has one, so that a copy of it at another path is
 * still the same source. In one without (an early release's, upgraded from schema 1), each setup's
 * part is named by the setup and when it was first seen, which every copy shares, however many
 * setups the database gains later — unless an earlier merge named the database by its path, which
 * then stays its name.
 */
async function sourceName(source: string, other: LmdbStore, target: TrackerStore): Promise<string | PartName> {
  const databaseId = other.info().databaseId
  if (databaseId !== undefined) return `database:${databaseId}`
  const byPath = `merge:${source}`
  if ((await target.find('setups')).some((setup) => setup.imports?.[byPath] !== undefined)) return byPath
  return (setup) => `merge:setup:${setup.id}#${setup.firstSeenAt}`
}

/**
 * Adds what was salvaged from a damaged database (see `salvageDatabase`) to the store exactly as
 * {@link mergeDatabase} adds another database: every fact and record checked at the door, scores
 * recomputed from the facts. Never throws.
 */
export async function mergeSalvaged(source: string, salvaged: SalvagedSource, target: TrackerStore, options: MergeOptions = {}): Promise<MergeReport> {
  const other: MergeSource = { readFactLog: () => salvaged.facts, scan: (collection) => salvaged.records[collection] ?? [] }
  const name = salvaged.databaseId === undefined ? `salvage:${source}` : `database:${salvaged.databaseId}`
  return neverThrowingMerge(source, () => mergeFromSource(source, name, other, target, options, 'salvage'))
}

/** The merge-only counts of a merge that replayed no fact and brought no profile (the predecessor's database is imported through its own reader). */
const NOTHING_MERGED = { facts: { applied: 0, repeats: 0, withoutEffect: 0 }, profiles: 0 } as const

async function neverThrowingMerge(source: string, run: () => Promise<MergeReport>): Promise<MergeReport> {
  const report = await neverThrowing(source, run)
  return 'facts' in report ? (report as MergeReport) : { ...report, ...NOTHING_MERGED }
}

/** The name a setup's part from the other database is kept under in the target (see `SetupRecord.imports`). */
type PartName = (setup: SetupRecord) => string

async function mergeFromSource(source: string, name: string | PartName, other: MergeSource, target: TrackerStore, options: MergeOptions, kind: 'merge' | 'salvage'): Promise<MergeReport> {
  // The other database's facts replayed alone, to tell what its setups hold beyond them.
  const replay = openLmdbStore({ databasePath: MEMORY_PATH, rules: target.rules, maxDatabaseSize: 2 * 1024 ** 3 })
  const merge = new MergeRun(source, name, target, replay, options)
  try {
    const now = (options.now ?? (() => new Date()))().toISOString()
    // The setups here before, to say which the other database held too, and how each changed.
    const setupsBefore = await target.find('setups', { order: 'any' })
    const before = new Map(setupsBefore.map((setup) => [setup.id, setup.state]))
    await merge.readSetups(other)
    await merge.replayFacts(other, new Set(before.keys()))
    for (const collection of COPIED) await merge.copyRecords(other, collection)
    await merge.addProjectProfiles()
    await merge.addRollupBaselines(other)
    await merge.addSetupBaselines()
    await merge.takeWholeHistories(new Map(setupsBefore.map((setup) => [setup.id, setup])))
    await merge.addSetupsInBoth(before)
    await recordMigrationRun(target, {
      id: migrationId('merge', kind === 'salvage' ? `salvage:${source}` : source), kind: 'merge', source, at: now, migrated: merge.migrated, skipped: merge.skipped, errors: merge.errors.length,
      ...(merge.combined.length === 0 ? {} : { combinedSetups: merge.combined.map((entry) => entry.id) }),
    })
  } catch (error) {
    merge.errors.push({ source, message: `${kind} stopped after ${String(merge.processed)} items: ${messageOf(error)}` })
  } finally {
    await replay.close()
  }
  return { migrated: merge.migrated, skipped: merge.skipped, errors: merge.errors, facts: merge.facts, profiles: merge.profiles, ...(merge.combined.length === 0 ? {} : { combined: merge.combined }) }
}

/** The counts and the refused items of one merge, and its steps. */
class MergeRun {
  migrated = 0
  skipped = 0
  processed = 0
  readonly errors: MigrationIssue[] = []
  readonly facts = { applied: 0, repeats: 0, withoutEffect: 0 }
  profiles = 0
  combined: NonNullable<MigrationReport['combined']> = []
  readonly #source: string
  /** The name this database's part of a setup is kept under in the target. */
  readonly #name: PartName
  readonly #target: TrackerStore
  readonly #replay: LmdbStore
  /** The other database's setups, checked. */
  readonly #setups: SetupRecord[] = []
  /** Where the replay started each setup that holds imported parts: those parts added up (see {@link readSetups}). */
  readonly #replayedFrom = new Map<string, AgentState>()
  /** The other database's projects that have a profile, checked. */
  readonly #profiled: ProjectRecord[] = []
  readonly #options: MergeOptions
  readonly #chunkSize: number

  constructor(source: string, name: string | PartName, target: TrackerStore, replay: LmdbStore, options: MergeOptions) {
    this.#source = source
    this.#name = typeof name === 'string' ? () => name : name
    this.#target = target
    this.#replay = replay
    this.#options = options
    this.#chunkSize = options.chunkSize ?? 1000
  }

  /** The ids of the other database's facts of each setup this database had before the merge (see {@link takeWholeHistories}). */
  readonly #factIds = new Map<string, Set<string>>()

  /**
   * Applies the other database's fact log here, checked fact by fact, in its order; notes the ids
   * of the facts of the setups `here` (this database's before the merge).
   */
  async replayFacts(other: MergeSource, here: ReadonlySet<string>): Promise<void> {
    let batch: Fact[] = []
    let seqs: number[] = []
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return
      // A grade needs its commit, here or earlier in the other database's log.
      const orphans = new Set(await gradesWithoutCommit(this.#target, batch))
      for (const index of orphans) {
        const orphan = batch[index]
        if (orphan !== undefined) this.#refuse(`fact #${String(seqs[index])}`, gradeWithoutCommitReason(orphan))
      }
      if (orphans.size > 0) batch = batch.filter((_, index) => !orphans.has(index))
      const result = await this.#target.applyFacts(batch)
      this.#replay.applyFactsSync(batch)
      if (!result.deferred) {
        this.facts.applied += result.applied
        for (const skipped of result.skipped) {
          if (skipped.reason === REPEAT) this.facts.repeats += 1
          else this.facts.withoutEffect += 1
        }
        this.migrated += result.applied
        this.skipped += result.skipped.length
      }
      this.#progress(batch.length)
      batch = []
      seqs = []
    }
    for await (const { seq, fact } of other.readFactLog()) {
      try {
        const checked = validateFact(fact)
        batch.push(checked)
        seqs.push(seq)
        if (here.has(checked.setup)) {
          const ids = this.#factIds.get(checked.setup) ?? new Set<string>()
          ids.add(checked.id)
          this.#factIds.set(checked.setup, ids)
        }
      } catch (error) {
        this.#refuse(`fact #${String(seq)}`, error)
      }
      if (batch.length >= this.#chunkSize) await flush()
    }
    await flush()
  }

  /** Adds the other database's records of one collection where this one has no record under their key. */
  async copyRecords(other: MergeSource, collection: CollectionName): Promise<void> {
    let chunk: unknown[] = []
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return
      await this.#import({ [collection]: chunk }, chunk.length)
      chunk = []
    }
    for await (const record of other.scan(collection)) {
      const checked = this.#check(collection, record)
      if (checked !== undefined && !(await this.#madeByReplayedFact(collection, checked))) chunk.push(checked)
      if (collection === 'projects' && (checked as ProjectRecord | undefined)?.profile !== undefined) this.#profiled.push(checked as ProjectRecord)
      if (chunk.length >= this.#chunkSize) await flush()
    }
    await flush()
  }

  /**
   * Gives the projects here without a profile the other database's: the replayed facts make a
   * project record before its own record could be copied, and would leave it without one.
   */
  async addProjectProfiles(): Promise<void> {
    this.profiles = await addMissingProfiles(this.#target, this.#profiled)
  }

  /** Whether the record is one the other database's facts, replayed, make: it came (or rightly did not come) with them. */
  async #madeByReplayedFact(collection: CollectionName, record: CollectionRecords[CollectionName]): Promise<boolean> {
    if (!MADE_BY_FACTS.has(collection)) return false
    if ((await this.#replay.get(collection, recordKey(collection, record as never))) === undefined) return false
    this.skipped += 1
    this.#progress(1)
    return true
  }

  /** Adds each day rollup's baseline (counters no fact backs) where this database's rollup has none. */
  async addRollupBaselines(other: MergeSource): Promise<void> {
    let chunk: UsageRecord[] = []
    for await (const record of other.scan('usage')) {
      const checked = this.#check('usage', record)
      if (checked?.baseline === undefined) continue
      // Only the baseline comes across: the facts behind the rest were replayed, and the records behind the counts copied.
      chunk.push({ ...emptyUsage(checked.setup, checked.project, checked.day), ...checked.baseline })
      if (chunk.length >= this.#chunkSize) {
        await this.#import({ usage: chunk }, chunk.length)
        chunk = []
      }
    }
    if (chunk.length > 0) await this.#import({ usage: chunk }, chunk.length)
  }

  /**
   * Lists in {@link combined} the setups this database had before the merge that the other one held
   * too and that it changed (its facts added to theirs), with their scores before and after —
   * besides those whose parts beyond their facts were added (already listed), in the order of their ids.
   */
  async addSetupsInBoth(before: ReadonlyMap<string, AgentState>): Promise<void> {
    const listed = new Set(this.combined.map((entry) => entry.id))
    for (const id of [...new Set(this.#setups.map((setup) => setup.id))].sort()) {
      const was = before.get(id)
      if (was === undefined || listed.has(id)) continue
      const now = await this.#target.get('setups', [id])
      // A merge that brought nothing new for it (every fact a repeat) combined nothing.
      if (now !== undefined && JSON.stringify(now.state) !== JSON.stringify(was)) this.combined = [...this.combined, { id, before: was, after: now.state }]
    }
  }

  /**
   * Reads the other database's setups, checked, and starts each that holds imported parts (a
   * migrated status file, a part another merge brought) in the replay at those parts added up,
   * before any of its facts: its facts then meet the scores they met there. Replayed from the
   * rules' start instead, a level-up that imported experience made there would be missing from the
   * replay and be taken for a part of the setup's own beyond its facts: as skill points up and
   * experience down, which the same facts replayed here make again — so merging back a database
   * that levelled up a migrated setup applied the level-up twice.
   */
  async readSetups(other: MergeSource): Promise<void> {
    for await (const record of other.scan('setups')) {
      const checked = this.#check('setups', record)
      if (checked === undefined) continue
      this.#setups.push(checked)
    }
    const bySource = new Map<string, SetupRecord[]>()
    for (const setup of this.#setups) {
      for (const [source, part] of Object.entries(setup.imports ?? {})) {
        const { imports: _parts, ...own } = setup
        const parts = bySource.get(source) ?? []
        parts.push({ ...own, state: part })
        bySource.set(source, parts)
      }
    }
    // Added as the store adds any source's part: summed from the rules' start, held to a setup's bounds.
    for (const [source, parts] of bySource) await this.#replay.importSetups(source, parts)
    for (const setup of this.#setups) {
      const seeded = setup.imports === undefined ? undefined : await this.#replay.get('setups', [setup.id])
      if (seeded !== undefined) this.#replayedFrom.set(setup.id, seeded.state)
    }
  }

  /**
   * Gives each setup whose whole history here the other database holds — every fact this database
   * has of it is in the other's log, and every part it imported the other has too, the same — the
   * scores the other database has for it (checked): the other database played that history in its
   * own order. Its parts and facts added here as sums can end elsewhere: level-ups, the
   * communication cap and the floors at 0 depend on the order, and a part that came in there in the
   * middle of the setup's facts (a merge of a migrated database) is here either before them all (a
   * database merged back) or after them all (a setup new here). A setup with facts or parts of its
   * own here keeps the sums. Only where the target can write a setup as it is (the LMDB store).
   */
  async takeWholeHistories(before: ReadonlyMap<string, SetupRecord>): Promise<void> {
    const target = this.#target as TrackerStore & Partial<Pick<LmdbStore, 'replaceSetups'>>
    if (target.replaceSetups === undefined) return
    const whole = new Map<string, SetupRecord>()
    for (const setup of this.#setups) {
      const was = before.get(setup.id)
      if (was === undefined || sameParts(was.imports, setup.imports)) whole.set(setup.id, setup)
    }
    // A fact here that the other database lacks: that setup's history here is not all there.
    const shared = new Set([...whole.keys()].filter((id) => before.has(id)))
    if (shared.size > 0) {
      for await (const { fact } of target.readFactLog()) {
        if (shared.has(fact.setup) && this.#factIds.get(fact.setup)?.has(fact.id) !== true) whole.delete(fact.setup)
      }
    }
    const replaced: SetupRecord[] = []
    for (const [id, setup] of whole) {
      const now = await target.get('setups', [id])
      if (now === undefined || JSON.stringify(now.state) === JSON.stringify(setup.state)) continue
      // Its parts stay as the sums left them, so that a later merge of a history that parted adds none twice.
      replaced.push({ ...now, state: setup.state, ...haltsOf(setup) })
    }
    if (replaced.length > 0) await target.replaceSetups(replaced)
    // What the sums combined on the way is said as it ended: a setup back where it was combined nothing.
    this.combined = this.combined.flatMap((entry) => {
      const taken = whole.get(entry.id)
      if (taken === undefined) return [entry]
      return JSON.stringify(taken.state) === JSON.stringify(entry.before) ? [] : [{ ...entry, after: taken.state }]
    })
  }

  /** Adds what each setup holds beyond its replayed facts and its imported parts as the other database's part. */
  async addSetupBaselines(): Promise<void> {
    const baselines: SetupRecord[] = []
    for (const setup of this.#setups) {
      const replayed = await this.#replay.get('setups', [setup.id])
      const baseline = baselineOf(setup, replayed, this.#target.rules, this.#replayedFrom.get(setup.id))
      if (baseline !== undefined) baselines.push(baseline)
    }
    if (baselines.length === 0) return
    const byName = new Map<string, SetupRecord[]>()
    for (const baseline of baselines) byName.set(this.#name(baseline), [...(byName.get(this.#name(baseline)) ?? []), baseline])
    for (const [name, setups] of byName) {
      const result = await this.#target.importSetups(name, setups)
      this.migrated += result.written
      this.skipped += result.skipped
      this.combined = [...this.combined, ...result.combined]
    }
    this.#progress(baselines.length)
  }

  async #import(batch: RecordBatch, size: number): Promise<void> {
    const fresh = await withoutZoneShiftedCopies(this.#target, batch)
    const result = await this.#target.importRecords(fresh.batch)
    this.migrated += result.written
    this.skipped += result.skipped + fresh.dropped
    this.#progress(size)
  }

  #check<C extends CollectionName>(collection: C, record: unknown): ReturnType<typeof validateRecord<C>> | undefined {
    try {
      // A setup holding imported parts may be above the communication cap, as migrate keeps legacy
      // scores (the cap applies with its next fact): refused here, a migrated database could not be
      // merged whole. It comes in at the cap, which its next fact would bring it to: the cap is
      // lifted for the check only, so a source cannot plant more than the rules reach.
      const imported = collection === 'setups' && typeof record === 'object' && record !== null && (record as { imports?: unknown }).imports !== undefined
      if (!imported) return validateRecord(collection, record, this.#target.rules)
      const setup = validateRecord('setups', record, uncapped(this.#target.rules))
      const cap = communicationCap(setup.state.skillPoints, this.#target.rules)
      return (setup.state.communication <= cap ? setup : { ...setup, state: { ...setup.state, communication: cap } }) as ReturnType<typeof validateRecord<C>>
    } catch (error) {
      this.#refuse(`${collection} ${describeKey(record)}`, error)
      this.#progress(1)
      return undefined
    }
  }

  #refuse(position: string, problem: unknown): void {
    const message = typeof problem === 'string' ? `${problem}.` : messageOf(problem)
    this.errors.push({ source: this.#source, position, message: `${message} Skipped.` })
  }

  #progress(items: number): void {
    this.processed += items
    this.#options.onProgress?.({ source: this.#source, processed: this.processed, migrated: this.migrated, skipped: this.skipped })
  }
}

/** Whether every part `here` holds is among `there`'s, the same. */
function sameParts(here: SetupRecord['imports'], there: SetupRecord['imports']): boolean {
  return Object.entries(here ?? {}).every(([source, part]) => there?.[source] !== undefined && JSON.stringify(there[source]) === JSON.stringify(part))
}

/** A setup's halt and reinstatement, as its record has them (absent ones left out). */
function haltsOf(setup: SetupRecord): Pick<SetupRecord, 'haltedAt' | 'reinstatedAt'> {
  return { ...(setup.haltedAt === undefined ? {} : { haltedAt: setup.haltedAt }), ...(setup.reinstatedAt === undefined ? {} : { reinstatedAt: setup.reinstatedAt }) }
}

/** A short name of a record that failed its check: its id, path or hash, if it has one that reads. */
function describeKey(record: unknown): string {
  if (typeof record !== 'object' || record === null) return '(not an object)'
  const fields = record as Record<string, unknown>
  const parts = ['id', 'setup', 'path', 'project', 'hash', 'commit', 'day', 'at'].map((name) => fields[name]).filter((value): value is string => typeof value === 'string')
  const text = parts.slice(0, 3).join(' · ')
  return text.length > 120 ? `${text.slice(0, 117)}...` : text === '' ? '(no key)' : text
}
