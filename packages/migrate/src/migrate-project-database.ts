import type { CommitRecord, GradeEventRecord, ProjectRecord, RetrospectiveRecord, SetupRecord, TrackerStore } from '@agent-tracker/core'
import { databaseHasData, legacyDatabasePath } from './detect-legacy.js'
import type { SetupTrace } from './legacy-database-records.js'
import { commitFromLegacy, gradeEventFromLegacy, legacySetupId, parseLegacyKey, projectOf, setupFromLegacyAgent, setupFromTrace, sumTallies, traceSetup, tracedSetupsNote } from './legacy-database-records.js'
import { resolveTimeZone } from './legacy-time.js'
import type { MigrationIssue, MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { EMPTY_REPORT, messageOf, neverThrowing } from './migration-report.js'
import { openLegacyDatabase } from './open-legacy-database.js'
import { withoutZoneShiftedCopies } from './zone-shifted-copies.js'

/** Options of {@link migrateProjectDatabase}. */
export interface ProjectDatabaseOptions extends MigrationOptions {
  /** Source entries per import batch (and per progress report); default 1000. */
  readonly chunkSize?: number
  /** Migrate this database instead of `<projectDir>/~/.config/opencode/agent-tracker.lmdb`. */
  readonly sourcePath?: string
}

interface Chunk {
  commits: CommitRecord[]
  gradeEvents: GradeEventRecord[]
  retrospectives: RetrospectiveRecord[]
  entries: number
}

/**
 * Copies the predecessor's per-project database into the central store, each commit and grade under
 * the project holding the folder it names (see `MigrationOptions.projectOf`): only records the store
 * lacks (never overwrites), idempotent, streamed in chunks, with progress. Its agents' scores, with
 * the grades its events record, are added to the setups' (see `TrackerStore.importSetups`) —
 * once: migrating it again adds nothing. Never throws and never deletes the source; every problem
 * is an issue in the report. Records the run in the store's meta. No source (absent, an empty
 * folder or an empty file: what `detectLegacy` finds nothing in) is a no-op.
 */
export async function migrateProjectDatabase(projectDir: string, target: TrackerStore, options: ProjectDatabaseOptions = {}): Promise<MigrationReport> {
  const source = options.sourcePath ?? legacyDatabasePath(projectDir)
  return neverThrowing(source, () => copyLegacyDatabase(source, target, options))
}

async function copyLegacyDatabase(source: string, target: TrackerStore, options: ProjectDatabaseOptions): Promise<MigrationReport> {
  if (!databaseHasData(source)) return EMPTY_REPORT
  const zone = resolveTimeZone(options.timeZone)
  const opened = openLegacyDatabase(source)
  if (!opened.ok) return { ...EMPTY_REPORT, errors: [{ source, message: opened.problem }] }
  const chunkSize = options.chunkSize ?? 1000
  const errors: MigrationIssue[] = []
  const agents = new Map<string, SetupRecord>()
  const setupOf = (agentId: string): string => agents.get(agentId)?.id ?? legacySetupId({ id: agentId })
  const grades = new Map<string, { count: number; sum: number }>()
  // Setups agent records make, and what the records of other setups (agents without an agent record) show of them.
  const recordedSetups = new Set<string>()
  const traces = new Map<string, SetupTrace>()
  const trace = (record: { readonly setup: string; readonly at: string }, commit?: string): void => {
    if (!recordedSetups.has(record.setup)) traceSetup(traces, record, commit)
  }
  const notes: string[] = []
  let migrated = 0
  let skipped = 0
  let processed = 0
  let chunk = emptyChunk()
  let now = ''
  let total = 0
  let combined: MigrationReport['combined'] = []
  // Whole-run, not per chunk: a project's commits may span chunks, and a project record, once
  // imported, is never overwritten — so it is imported once, spanning every commit, at the end.
  const projects = new Map<string, ProjectRecord>()
  // The commits whose first legacy grade gave them a retrospective (see `addGradeEvent`).
  const graded = new Set<string>()
  // The folder the predecessor recorded a record in, as the project holding it (see `MigrationOptions.projectOf`).
  const underProject = <R extends { readonly project: string }>(record: R): R => (options.projectOf === undefined ? record : { ...record, project: options.projectOf(record.project) })

  const flush = async (): Promise<void> => {
    if (chunk.entries === 0) return
    // A grade's zone-less time read in another zone than an earlier migration of this database
    // (`migrate --again --timezone …`, or another machine's migration later merged) is the same grade.
    const fresh = await withoutZoneShiftedCopies(target, { commits: chunk.commits, gradeEvents: chunk.gradeEvents })
    const written = await target.importRecords(fresh.batch)
    migrated += written.written
    skipped += written.skipped + fresh.dropped
    // The retrospectives the grades imply are no entries of the legacy database: not counted. A
    // rerun makes them again, so one missing (a run cut off here) is added then.
    if (chunk.retrospectives.length > 0) await target.importRecords({ retrospectives: chunk.retrospectives })
    processed += chunk.entries
    chunk = emptyChunk()
    options.onProgress?.({ source, processed, total, migrated, skipped })
  }

  try {
    now = (options.now ?? (() => new Date()))().toISOString()
    total = opened.root.getCount()
    for (const { key, value } of opened.root.getRange({ snapshot: true })) {
      const entry = parseLegacyKey(key)
      chunk.entries += 1
      if (entry === undefined) {
        errors.push({ source, position: `key ${JSON.stringify(key)}`, message: 'not an agent:, commit: or communication: key; left out' })
      } else {
        try {
          if (entry.kind === 'agent') {
            const setup = setupFromLegacyAgent(entry.agentId, value, now, zone)
            agents.set(entry.agentId, setup)
            recordedSetups.add(setup.id)
          } else if (entry.kind === 'commit') {
            const commit = underProject(commitFromLegacy(entry, value, setupOf, zone))
            addCommit(chunk, projects, commit)
            trace(commit, commit.hash)
          } else {
            const event = underProject(gradeEventFromLegacy(entry, value, setupOf, zone))
            addGradeEvent(chunk, grades, entry.agentId, event, graded)
            trace(event)
          }
        } catch (error) {
          errors.push({ source, position: `key ${String(key)}`, message: messageOf(error) })
        }
      }
      if (chunk.entries >= chunkSize) await flush()
    }
    await flush()
    // Each agent is its own source: two agents of one database never count as one re-imported part.
    for (const [agentId, setup] of agents) {
      const result = await target.importSetups(`project-database:${source}#${agentId}`, [{ ...setup, state: { ...setup.state, userGrades: grades.get(agentId) ?? setup.state.userGrades } }])
      migrated += result.written
      skipped += result.skipped
      combined = [...combined, ...result.combined]
    }
    // Agents with records but no agent record (`agent:` keys sort first, so all were read before any record).
    const made: string[] = []
    for (const [id, traced] of traces) {
      if (recordedSetups.has(id)) continue
      const user = sumTallies([...grades].filter(([agentId]) => !agents.has(agentId) && legacySetupId({ id: agentId }) === id).map(([, tally]) => tally))
      const result = await target.importSetups(`project-database:${source}#setup:${id}`, [setupFromTrace(id, traced, { user }, target.rules)])
      migrated += result.written
      skipped += result.skipped
      combined = [...combined, ...result.combined]
      made.push(id)
    }
    const note = tracedSetupsNote(made, target.rules)
    if (note !== undefined) notes.push(note)
    await target.importRecords({ projects: [...projects.values()] })
    await recordMigrationRun(target, {
      id: migrationId('project-database', source), kind: 'project-database', source, at: now, migrated, skipped, errors: errors.length, timeZone: zone.name,
      ...(combined.length === 0 ? {} : { combinedSetups: combined.map((entry) => entry.id) }),
    })
  } catch (error) {
    errors.push({ source, message: `migration stopped after ${String(processed)} entries: ${messageOf(error)}` })
  } finally {
    await opened.root.close().catch(() => undefined)
  }
  return { migrated, skipped, errors, timeZone: zone.name, ...(combined.length === 0 ? {} : { combined }), ...(notes.length === 0 ? {} : { notes }) }
}

function addCommit(chunk: Chunk, projects: Map<string, ProjectRecord>, commit: CommitRecord): void {
  chunk.commits.push(commit)
  widenProject(projects, projectOf(commit.project, commit.at))
}

/**
 * A legacy grade, and — for the first grade of its commit (keys sort a commit's grades by time) —
 * the commit's retrospective holding it as the user's grade: a grade is final once a commit's
 * retrospective holds it, so a later `grade` of the commit is refused rather than counted again.
 * (A retrospective already stored, e.g. from the journal files, is kept as it is.)
 */
function addGradeEvent(chunk: Chunk, grades: Map<string, { count: number; sum: number }>, agentId: string, event: GradeEventRecord, graded: Set<string>): void {
  chunk.gradeEvents.push(event)
  const commit = `${event.setup}\u0000${event.commit}`
  if (event.userGrade !== undefined && !graded.has(commit)) {
    graded.add(commit)
    chunk.retrospectives.push({ v: 1, setup: event.setup, commit: event.commit, project: event.project, at: event.at, updatedAt: event.at, userGrade: event.userGrade, userGradeChannel: 'import' })
  }
  const tally = grades.get(agentId) ?? { count: 0, sum: 0 }
  grades.set(agentId, { count: tally.count + 1, sum: tally.sum + (event.userGrade ?? 0) })
}

function widenProject(projects: Map<string, ProjectRecord>, project: ProjectRecord): void {
  const known = projects.get(project.path)
  projects.set(project.path, known === undefined ? project : {
    ...known,
    firstSeenAt: project.firstSeenAt < known.firstSeenAt ? project.firstSeenAt : known.firstSeenAt,
    lastSeenAt: project.lastSeenAt > known.lastSeenAt ? project.lastSeenAt : known.lastSeenAt,
  })
}

function emptyChunk(): Chunk {
  return { commits: [], gradeEvents: [], retrospectives: [], entries: 0 }
}
