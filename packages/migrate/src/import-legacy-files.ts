import { readFileSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { TrackerStore } from '@agent-tracker/core'
import { parseSetupId } from '@agent-tracker/core'
import { projectName } from '@agent-tracker/core/store'
import { detectLegacy } from './detect-legacy.js'
import type { LegacyFileContext, LegacyFileRecords } from './legacy-files.js'
import { readCommunicationFile } from './legacy-communication-file.js'
import { readStatusFile, statusAgentName } from './legacy-files.js'
import { readJournalFile } from './legacy-journal-file.js'
import type { MigrationIssue, MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { EMPTY_REPORT, messageOf, neverThrowing } from './migration-report.js'

/** Options of {@link importLegacyFiles}. */
export interface LegacyFilesOptions extends MigrationOptions {
  /** The setup the files belong to; default the status file's `agent_name`, else `build`. */
  readonly setup?: string
}

/** The agent OpenCode runs by default, assumed for journal files that name none. */
export const DEFAULT_LEGACY_SETUP = 'build'

/**
 * Imports a project's hand-written `.agent/status.json`, `.journal/communication.json` and
 * `.journal/YYYY-MM-DD.md` files: additive and idempotent. Malformed files and entries are
 * reported with file and position; everything else imports. Never throws.
 */
export async function importLegacyFiles(projectDir: string, target: TrackerStore, options: LegacyFilesOptions = {}): Promise<MigrationReport> {
  const project = resolve(projectDir)
  return neverThrowing(project, () => importFiles(project, target, options))
}

async function importFiles(project: string, target: TrackerStore, options: LegacyFilesOptions): Promise<MigrationReport> {
  const found = detectLegacy(project)
  const files = [found.statusFile, found.communicationFile, ...found.journalFiles].filter((file): file is string => file !== undefined)
  if (files.length === 0) return EMPTY_REPORT
  const errors: MigrationIssue[] = []
  const contents = new Map<string, string>()
  for (const file of files) {
    try {
      contents.set(file, readFileSync(file, 'utf8'))
    } catch (error) {
      errors.push({ source: file, message: `cannot be read: ${messageOf(error)}` })
    }
  }
  const status = found.statusFile === undefined ? undefined : contents.get(found.statusFile)
  const setup = options.setup ?? (status === undefined ? undefined : statusAgentName(status)) ?? DEFAULT_LEGACY_SETUP
  try {
    parseSetupId(setup)
  } catch (error) {
    return { ...EMPTY_REPORT, errors: [...errors, { source: project, message: messageOf(error) }] }
  }
  let migrated = 0
  let skipped = 0
  let processed = 0
  try {
    const now = (options.now ?? (() => new Date()))().toISOString()
    const context: LegacyFileContext = { setup, project, now }
    for (const [file, content] of contents) {
      const records = read(file, content, context, found.statusFile, found.communicationFile)
      errors.push(...records.errors)
      const { setups, commits, retrospectives, gradeEvents, activities } = records
      const imported = await target.importRecords({ setups, commits, retrospectives, gradeEvents, activities })
      migrated += imported.written
      skipped += imported.skipped
      processed += 1
      options.onProgress?.({ source: file, processed, total: contents.size, migrated, skipped })
    }
    await target.importRecords({ projects: [{ v: 1, path: project, name: projectName(project), firstSeenAt: now, lastSeenAt: now }] })
    await recordMigrationRun(target, { id: migrationId('legacy-files', project), kind: 'legacy-files', source: project, at: now, migrated, skipped, errors: errors.length })
  } catch (error) {
    errors.push({ source: project, message: `import stopped: ${messageOf(error)}` })
  }
  return { migrated, skipped, errors }
}

function read(file: string, content: string, context: LegacyFileContext, statusFile: string | undefined, communicationFile: string | undefined): LegacyFileRecords {
  if (file === statusFile) return readStatusFile(file, content, context)
  if (file === communicationFile) return readCommunicationFile(file, content, context)
  return readJournalFile(file, content, context, basename(file, '.md'))
}
