import { basename, resolve } from 'node:path'
import type { AgentState, GradeEventRecord, MigrationRecord, RecordBatch, SetupRecord, TrackerStore } from '@agent-tracker/core'
import { initialState, parseSetupId } from '@agent-tracker/core'
import { projectName } from '@agent-tracker/core/store'
import { detectLegacy } from './detect-legacy.js'
import type { LegacyFileContext, LegacyFileRecords, StatusFile } from './legacy-files.js'
import { readCommunicationFile } from './legacy-communication-file.js'
import { readStatusFile } from './legacy-files.js'
import { readJournalFile } from './legacy-journal-file.js'
import { readLegacyFile } from './legacy-text.js'
import { resolveTimeZone } from './legacy-time.js'
import type { MigrationIssue, MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { EMPTY_REPORT, messageOf, neverThrowing } from './migration-report.js'
import { withoutZoneShiftedCopies } from './zone-shifted-copies.js'

/** Options of {@link importLegacyFiles}. */
export interface LegacyFilesOptions extends MigrationOptions {
  /**
   * The setup the files belong to; default the one `.agent/status.json` names (`agent_name`, or the
   * `setup` of agent-tracker's own export), else the one an earlier import used, else a placeholder
   * (see {@link placeholderSetup}) that a later import with the right setup moves.
   */
  readonly setup?: string
}

/** The id of the legacy-files migration of a project folder. */
export function legacyFilesMigrationId(project: string): string {
  return migrationId('legacy-files', resolve(project))
}

/**
 * The setup legacy files are imported under when nothing says which setup wrote them (no readable
 * `.agent/status.json`): visible in every listing, one per project folder, and moved to the right
 * setup by the next import that knows it.
 */
export function placeholderSetup(project: string): string {
  const name = basename(resolve(project)).replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')
  return `unattributed-${name === '' ? 'project' : name}`
}

/**
 * Imports a folder's hand-written `.agent/status.json`, `.journal/communication.json` and
 * `.journal/YYYY-MM-DD.md` files, under the project holding the folder (see
 * `MigrationOptions.projectOf`): additive and idempotent. The migration, and the placeholder setup
 * of files nothing attributes, are the folder's. agent-tracker's own status export is not
 * legacy data and is left out. The status file's scores, with the grades and commits of the
 * journal, are added to the setup's (see `TrackerStore.importSetups`). Malformed files and entries
 * are reported with file and position; everything else imports. Never throws.
 */
export async function importLegacyFiles(projectDir: string, target: TrackerStore, options: LegacyFilesOptions = {}): Promise<MigrationReport> {
  const folder = resolve(projectDir)
  return neverThrowing(folder, () => importFiles(folder, target, options))
}

async function importFiles(folder: string, target: TrackerStore, options: LegacyFilesOptions): Promise<MigrationReport> {
  const found = detectLegacy(folder)
  const files = [found.statusFile, found.communicationFile, ...found.journalFiles].filter((file): file is string => file !== undefined)
  if (files.length === 0) return EMPTY_REPORT
  const zone = resolveTimeZone(options.timeZone)
  const errors: MigrationIssue[] = []
  const contents = new Map<string, string>()
  let status: StatusFile | undefined
  for (const file of files) {
    const read = readLegacyFile(file)
    if (read.ok) contents.set(file, read.text)
    // A status file that cannot be read is one that names no setup, and says why.
    else if (file === found.statusFile) status = { kind: 'unreadable', issue: read.issue }
    else errors.push(read.issue)
  }
  const statusContent = found.statusFile === undefined ? undefined : contents.get(found.statusFile)
  if (found.statusFile !== undefined && statusContent !== undefined) status = readStatusFile(found.statusFile, statusContent, target.rules)
  if (status?.kind === 'unreadable') errors.unshift(status.issue)
  const records = [...contents].filter(([file]) => file !== found.statusFile)
  // Neither a journal nor a status file's scores to import: nothing goes under any setup, and where
  // a file could not be used, that is what is said (not which setup something went to).
  if (records.length === 0 && status?.kind !== 'legacy') return { ...EMPTY_REPORT, errors: errors.length === 0 ? [] : [...errors, nothingImported(folder, found.statusFile !== undefined && files.length === 1)] }
  const id = legacyFilesMigrationId(folder)
  const previous = (await target.listMigrations()).find((record) => record.id === id)
  const imported = [...(status?.kind === 'legacy' ? ["the status file's scores"] : []), ...(records.length > 0 ? ['the journal'] : [])]
  const chosen = chooseSetup(folder, options.setup, status, previous, imported)
  errors.push(...chosen.issues)
  const { setup } = chosen
  try {
    parseSetupId(setup)
  } catch (error) {
    return { ...EMPTY_REPORT, errors: [...errors, { source: folder, message: messageOf(error) }] }
  }
  const project = options.projectOf?.(folder) ?? folder
  let migrated = 0
  let skipped = 0
  let processed = 0
  let moved: MigrationReport['moved']
  let combined: MigrationReport['combined'] = []
  try {
    const now = (options.now ?? (() => new Date()))().toISOString()
    if (chosen.moveFrom !== undefined) {
      const result = await target.reattribute({ from: chosen.moveFrom, to: setup, project, source: id })
      moved = { from: chosen.moveFrom, to: setup, records: result.moved + result.dropped }
    }
    const context: LegacyFileContext = { setup, project, folder, now, zone }
    const read: LegacyFileRecords[] = []
    for (const [file, content] of records) {
      const fileRecords = file === found.communicationFile ? readCommunicationFile(file, content, context) : readJournalFile(file, content, context, basename(file, '.md'))
      read.push(fileRecords)
      errors.push(...fileRecords.errors)
      const { commits, retrospectives, gradeEvents, activities } = fileRecords
      const fresh = await withoutZoneShiftedCopies(target, { commits, retrospectives, gradeEvents, activities })
      for (const chunk of chunksOf(fresh.batch, IMPORT_CHUNK)) {
        const imported = await target.importRecords(chunk)
        migrated += imported.written
        skipped += imported.skipped
      }
      skipped += fresh.dropped
      processed += 1
      options.onProgress?.({ source: file, processed, total: contents.size, migrated, skipped })
    }
    const setups = await target.importSetups(id, [importedSetup(setup, contribution(status, read, target), read, now)])
    migrated += setups.written
    skipped += setups.skipped
    combined = setups.combined
    await target.importRecords({ projects: [{ v: 1, path: project, name: projectName(project), firstSeenAt: now, lastSeenAt: now }] })
    await recordMigrationRun(target, {
      id, kind: 'legacy-files', source: folder, at: now, migrated, skipped, errors: errors.length, timeZone: zone.name, setup,
      ...(combined.length === 0 ? {} : { combinedSetups: combined.map((entry) => entry.id) }),
    })
  } catch (error) {
    errors.push({ source: folder, message: `import stopped: ${messageOf(error)}` })
  }
  return { migrated, skipped, errors, setup, timeZone: zone.name, ...(moved === undefined ? {} : { moved }), ...(combined.length === 0 ? {} : { combined }) }
}

interface ChosenSetup {
  readonly setup: string
  /** A placeholder an earlier import used, whose records now move to `setup`. */
  readonly moveFrom?: string
  readonly issues: MigrationIssue[]
}

/** What is said when none of a folder's legacy files can be imported: that nothing was, and how to go on. */
function nothingImported(folder: string, onlyStatusFile: boolean): MigrationIssue {
  const why = onlyStatusFile ? '.agent/status.json cannot be read and there is no journal (.journal/), so nothing was imported' : 'none of its legacy files could be read, so nothing was imported'
  return { source: folder, message: `${why}. Fix ${onlyStatusFile ? 'the file' : 'them'} and run \`agent-tracker migrate ${folder}\` again.` }
}

/**
 * The setup the files go to, and what to say about it. `imported` names what they bring (the status
 * file's scores, the journal): never empty, as a folder with nothing to import chooses none.
 */
function chooseSetup(folder: string, given: string | undefined, status: StatusFile | undefined, previous: MigrationRecord | undefined, imported: readonly string[]): ChosenSetup {
  const placeholder = placeholderSetup(folder)
  const earlier = previous?.setup
  // Who says which setup wrote the files: the user, or the legacy status file. The tracker's own
  // export only names who worked here last: a hint after an earlier import's choice.
  const named = given ?? (status?.kind === 'legacy' ? status.setup : undefined)
  if (earlier !== undefined && earlier !== placeholder && named !== undefined && named !== earlier) {
    return {
      setup: earlier,
      issues: [{ source: folder, message: `its legacy files were imported under the setup "${earlier}" on ${previous?.at.slice(0, 10) ?? 'an earlier run'}, so they stay there (only an import under "${placeholder}" is moved to another setup); nothing was imported under "${named}".` }],
    }
  }
  // A placeholder moves only when someone names the setup, never on the export's hint.
  const hint = status?.kind === 'own' ? status.setup : undefined
  const setup = named ?? earlier ?? hint ?? placeholder
  if (setup === placeholder) {
    const why = status === undefined ? 'no .agent/status.json names the agent that wrote them' : status.kind === 'unreadable' ? '.agent/status.json, which names the agent that wrote them, cannot be read' : '.agent/status.json names no agent'
    const what = imported.join(' and ')
    const one = imported.length === 1 && imported[0] === 'the journal'
    return { setup, issues: [{ source: folder, message: `${why}: ${what} ${one ? 'was' : 'were'} imported under the setup "${placeholder}". Run \`agent-tracker migrate ${folder} --setup <agent or agent@provider/model>\` to move ${one ? 'it' : 'them'} to the setup ${one ? 'it belongs' : 'they belong'} to.` }] }
  }
  return earlier === placeholder ? { setup, moveFrom: placeholder, issues: [] } : { setup, issues: [] }
}

/**
 * What these files add to their setup's scores: the status file's (when it is legacy data), plus
 * the grades the journal records; with no status file to count them, the journal's commits too.
 * Every entry read counts, whether this run stored it or an earlier one did: a run stopped partway
 * is finished by the next. (So the same journal in two clones of a project counts its grades in
 * each folder's part, though its grade records are stored once.)
 */
function contribution(status: StatusFile | undefined, read: readonly LegacyFileRecords[], target: TrackerStore): AgentState {
  const start = status?.kind === 'legacy' ? status.state : initialState(target.rules)
  const events: GradeEventRecord[] = read.flatMap((records) => records.gradeEvents)
  const tally = (grades: readonly (number | undefined)[]): { count: number; sum: number } => {
    const given = grades.filter((grade): grade is number => grade !== undefined)
    return { count: given.length, sum: given.reduce((sum, grade) => sum + grade, 0) }
  }
  const commits = new Set(read.flatMap((records) => records.commits.map((commit) => commit.hash))).size
  return {
    ...start,
    commits: status?.kind === 'legacy' ? start.commits : commits,
    agentGrades: tally(events.map((event) => event.agentGrade)),
    userGrades: tally(events.map((event) => event.userGrade)),
  }
}

/**
 * Records imported in one write at most. A store checks that a write fits its size limit by an
 * upper bound of what it adds, which for a whole journal of a hundred thousand entries is
 * many times the room it really takes: a file in writes of this size fits wherever its records
 * do. A run stopped between them is finished by the next one (records already there are skipped).
 */
const IMPORT_CHUNK = 500

/** A batch cut into batches of at most `size` records, collection by collection. */
function chunksOf(batch: RecordBatch, size: number): RecordBatch[] {
  const chunks: RecordBatch[] = []
  let chunk: Record<string, unknown[]> = {}
  let count = 0
  for (const [collection, records] of Object.entries(batch) as [string, readonly unknown[]][]) {
    for (const record of records) {
      ;(chunk[collection] ??= []).push(record)
      if (++count === size) {
        chunks.push(chunk)
        chunk = {}
        count = 0
      }
    }
  }
  if (count > 0) chunks.push(chunk)
  return chunks
}

/** The setup as these files know it: seen from their first entry to their last (or now, when they have none). */
function importedSetup(id: string, state: AgentState, read: readonly LegacyFileRecords[], now: string): SetupRecord {
  const times = read.flatMap((records) => [...records.commits, ...records.retrospectives, ...records.gradeEvents, ...records.activities].map((record) => record.at)).sort()
  return { v: 1, id, ...parseSetupId(id), state, firstSeenAt: times[0] ?? now, lastSeenAt: times.at(-1) ?? now }
}
