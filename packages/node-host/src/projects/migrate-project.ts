import { resolve } from 'node:path'
import type { MigrationRecord, ProjectProfile, TrackerStore } from '@agent-tracker/core'
import type { MigrationIssue, MigrationProgress, MigrationReport } from '@agent-tracker/migrate'
import { detectLegacy, hasLegacyData, importLegacyFiles, migrateProjectDatabase, migrationId } from '@agent-tracker/migrate'
import { refreshProjectProfile } from './project-profile.js'
import { projectRoot } from './project-root.js'

/** Options of {@link migrateProject}. */
export interface MigrateProjectOptions {
  /**
   * The setup legacy journal files belong to; default the one `.agent/status.json` names, else a
   * visible `unattributed-<folder>` setup that a later migration with the right setup moves.
   */
  readonly setup?: string | undefined
  /** Run even the migrations that finished before (to pick up legacy files added since); default false. */
  readonly again?: boolean | undefined
  /** Called after every chunk of the legacy database. */
  readonly onProgress?: ((progress: MigrationProgress) => void) | undefined
  /** The current time, for migration records and the profile; default now. */
  readonly now?: (() => Date) | undefined
  /** The zone legacy times written without one are read in (IANA name or offset); default the machine's. */
  readonly timeZone?: string | undefined
  /** The user's home folder, where the walk up to a repository's root stops (see `projectRoot`); default the operating system's. */
  readonly homeDir?: string | undefined
}

/** What became of one kind of legacy data in a project folder. */
export interface SourceMigration extends MigrationReport {
  /**
   * `none`: the folder holds no such data; `migrated`: imported now (into what the store lacked);
   * `done-before`: an earlier run finished without problems (see `previousRun`), so it was not repeated.
   */
  readonly outcome: 'none' | 'migrated' | 'done-before'
  /** The earlier run that made this one unnecessary. */
  readonly previousRun?: MigrationRecord
}

/** What {@link migrateProject} did in one folder. */
export interface ProjectMigration {
  /** The folder its legacy data was read from. */
  readonly folder: string
  /** The project that data is recorded under: the root of the git work tree holding the folder, else the folder (see `projectRoot`). */
  readonly project: string
  /** True when the folder holds legacy data of any kind (imported now or before). */
  readonly found: boolean
  /** The predecessor's per-project database (`<folder>/~/.config/opencode/agent-tracker.lmdb`). */
  readonly database: SourceMigration
  /** `.agent/status.json`, `.journal/communication.json` and `.journal/YYYY-MM-DD.md`. */
  readonly files: SourceMigration
  /** The profile stored now (AGENTS.md and manifests changed, or none was stored); undefined when unchanged. */
  readonly profile?: ProjectProfile
  /** Every problem, from both sources and the profile; everything else was migrated and nothing deleted. */
  readonly issues: readonly MigrationIssue[]
}

const NOTHING: MigrationReport = { migrated: 0, skipped: 0, errors: [] }

/**
 * Brings a folder's legacy data into the central store, the one way every host does it, recorded
 * under the project holding the folder — the root of its git work tree, as every host records work
 * (see `projectRoot`; the per-project database's records under the project of the folder each
 * names): detects what is there, imports the per-project database and the legacy files — each only once:
 * a kind whose earlier run finished without problems is not repeated — and stores the project's
 * profile when the folder holds legacy data or the project is known already. A `.agent/status.json`
 * this tracker wrote itself is no legacy agent (see `importLegacyFiles`). Additive
 * and idempotent; never throws (every problem is an issue) and never deletes anything.
 */
export async function migrateProject(folder: string, store: TrackerStore, options: MigrateProjectOptions = {}): Promise<ProjectMigration> {
  const source = resolve(folder)
  const projectOf = (path: string): string => projectRoot(path, { homeDir: options.homeDir })
  const project = projectOf(source)
  const legacy = detectLegacy(source)
  const found = hasLegacyData(legacy)
  const issues: MigrationIssue[] = []
  let finished: readonly MigrationRecord[] = []
  try {
    finished = options.again === true ? [] : (await store.listMigrations()).filter((record) => record.errors === 0)
  } catch (error) {
    issues.push({ source, message: `could not read which migrations already ran: ${messageOf(error)}` })
  }
  const migrate = async (kind: 'project-database' | 'legacy-files', from: string | undefined, run: () => Promise<MigrationReport>): Promise<SourceMigration> => {
    if (from === undefined) return { ...NOTHING, outcome: 'none' }
    const id = migrationId(kind, from)
    const previousRun = finished.find((record) => record.id === id)
    if (previousRun !== undefined) return { ...NOTHING, outcome: 'done-before', previousRun }
    const report = await run()
    issues.push(...report.errors)
    return { ...report, outcome: 'migrated' }
  }
  const migrationOptions = {
    projectOf,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  }
  const database = await migrate('project-database', legacy.projectDatabase, () => migrateProjectDatabase(source, store, migrationOptions))
  const hasFiles = legacy.statusFile !== undefined || legacy.communicationFile !== undefined || legacy.journalFiles.length > 0
  // The tracker's own `.agent/status.json` is no legacy data; importLegacyFiles takes it for the hint it is.
  const { setup } = options
  const files = await migrate('legacy-files', hasFiles ? source : undefined, () => importLegacyFiles(source, store, { ...migrationOptions, ...(setup === undefined ? {} : { setup }) }))
  let profile: ProjectProfile | undefined
  try {
    if (found || (await store.get('projects', [project])) !== undefined) profile = await refreshProjectProfile(store, project, options.now?.())
  } catch (error) {
    issues.push({ source: project, message: `could not store the project profile: ${messageOf(error)}` })
  }
  return { folder: source, project, found, database, files, ...(profile === undefined ? {} : { profile }), issues }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
